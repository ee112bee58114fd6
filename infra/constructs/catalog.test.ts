import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { hashSampleCatalogData, SAMPLE_CATALOG_DATA_DIRECTORY } from './catalog';

describe('hashSampleCatalogData', () => {
  let directory: string;
  const write = (name: string, content: string) => fs.writeFileSync(path.join(directory, name), content);

  beforeEach(() => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'sample-catalog-'));
    write('sample-catalog.ts', 'export const SAMPLE_CATALOG = buildSampleCatalog();');
    write('product-lines.ts', "export const PRODUCT_LINES = [{ name: 'Tea' }];");
    write('sample-catalog.test.ts', "it('builds', () => {});");
  });
  afterEach(() => fs.rmSync(directory, { recursive: true, force: true }));

  it('changes when the sample catalog changes, so that a deployment reloads it', () => {
    const before = hashSampleCatalogData(directory);
    write('sample-catalog.ts', 'export const SAMPLE_CATALOG = buildSampleCatalog().slice(1);');
    expect(hashSampleCatalogData(directory)).not.toBe(before);
  });

  it('changes when a data module the catalog is built from changes', () => {
    const before = hashSampleCatalogData(directory);
    write('product-lines.ts', "export const PRODUCT_LINES = [{ name: 'Coffee' }];");
    expect(hashSampleCatalogData(directory)).not.toBe(before);
  });

  it('stays the same when only a test changes, or when nothing does', () => {
    const before = hashSampleCatalogData(directory);
    write('sample-catalog.test.ts', "it('builds 150 products', () => {});");
    expect(hashSampleCatalogData(directory)).toBe(before);
    expect(hashSampleCatalogData(directory)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('says which file is missing when there is no sample catalog', () => {
    fs.rmSync(path.join(directory, 'sample-catalog.ts'));
    expect(() => hashSampleCatalogData(directory)).toThrow(
      /sample catalog is missing: expected .*sample-catalog\.ts/,
    );
  });

  it('reads the catalog of the catalog service by default', () => {
    expect(fs.existsSync(path.join(SAMPLE_CATALOG_DATA_DIRECTORY, 'sample-catalog.ts'))).toBe(true);
  });
});
