import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { measureInitialJavaScript } from './initial-javascript';

/** A build folder with these chunks and this manifest. */
function build(files: Record<string, string>, manifest: Record<string, unknown>): string {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'web-dist-'));
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(directory, file)), { recursive: true });
    fs.writeFileSync(path.join(directory, file), content);
  }
  fs.mkdirSync(path.join(directory, '.vite'));
  fs.writeFileSync(path.join(directory, '.vite', 'manifest.json'), JSON.stringify(manifest));
  return directory;
}

describe('measureInitialJavaScript', () => {
  it('counts the entry and what it imports statically, not what it loads on demand', () => {
    const entry = 'import "./vendor-1.js";'.repeat(50);
    const vendor = 'export const react = 1;'.repeat(80);
    const dist = build(
      { 'assets/index-1.js': entry, 'assets/vendor-1.js': vendor, 'assets/admin-1.js': 'x'.repeat(5000) },
      {
        'index.html': {
          file: 'assets/index-1.js',
          isEntry: true,
          imports: ['_vendor'],
          dynamicImports: ['src/admin.tsx'],
        },
        _vendor: { file: 'assets/vendor-1.js', imports: ['index.html'] },
        'src/admin.tsx': {
          file: 'assets/admin-1.js',
          isDynamicEntry: true,
          imports: ['index.html', '_vendor'],
        },
      },
    );

    const initial = measureInitialJavaScript(dist);

    expect(initial.files).toEqual(['assets/index-1.js', 'assets/vendor-1.js']);
    expect(initial.bytes).toBe(entry.length + vendor.length);
    expect(initial.gzippedBytes).toBe(
      gzipSync(entry, { level: 9 }).length + gzipSync(vendor, { level: 9 }).length,
    );
  });
});
