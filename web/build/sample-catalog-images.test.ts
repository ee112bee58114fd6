import { SAMPLE_CATALOG } from '../../services/catalog/data/sample-catalog';
import { productPicture, sampleCatalogImages } from './sample-catalog-images';

describe('the pictures of the sample catalog', () => {
  it("draws the kind's initials, its name and its variant, with the product's name as the title", () => {
    const svg = productPicture({ name: 'Cast-Iron Skillet, Pro', category: 'kitchen' }, '#1f5f8b');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).toContain('<title>Cast-Iron Skillet, Pro</title>');
    expect(svg).toContain('>CI</text>');
    expect(svg).toContain('>Cast-Iron Skillet</text>');
    expect(svg).toContain('>Pro</text>');
  });

  it('escapes text that would break the SVG', () => {
    const svg = productPicture({ name: 'Salt & Pepper <Mill>, "Classic"', category: 'kitchen' }, '#000');
    expect(svg).toContain('Salt &#38; Pepper &#60;Mill&#62;');
    expect(svg).not.toMatch(/<Mill>/);
  });

  it('writes one picture per product, where its imagePath points', () => {
    const emitted: { fileName: string }[] = [];
    const plugin = sampleCatalogImages();
    (plugin.generateBundle as (this: unknown) => void).call({
      emitFile: (file: { fileName: string }) => emitted.push(file),
    });
    expect(emitted.map((file) => `/${file.fileName}`).sort()).toEqual(
      SAMPLE_CATALOG.map((product) => product.imagePath).sort(),
    );
  });
});
