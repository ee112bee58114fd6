import type { Plugin } from 'vite';
import { SAMPLE_CATALOG } from '../../services/catalog/data/sample-catalog';
import type { Product } from '../../services/catalog/domain/product';

/** One colour per category, so that a listing reads at a glance. */
const PALETTE = [
  '#1f5f8b',
  '#2e7d4f',
  '#8b3a1f',
  '#5b3f8c',
  '#8c6d1f',
  '#1f7a7a',
  '#a33b5c',
  '#3f6b2e',
  '#4a4f8c',
  '#7a4a1f',
];

/**
 * Writes the picture of every product of the sample catalog (the catalog the platform seeds) to
 * `images/products/<productId>.svg`, where each product's `imagePath` points. A shop with its own
 * catalog uploads its own pictures to the same place.
 */
export function sampleCatalogImages(catalog: readonly Product[] = SAMPLE_CATALOG): Plugin {
  return {
    name: 'sample-catalog-images',
    apply: 'build',
    generateBundle() {
      const categories = [...new Set(catalog.map((product) => product.category))];
      for (const product of catalog) {
        const colour = PALETTE[categories.indexOf(product.category) % PALETTE.length] ?? '#1f5f8b';
        this.emitFile({
          type: 'asset',
          fileName: product.imagePath.replace(/^\//, ''),
          source: productPicture(product, colour),
        });
      }
    },
  };
}

/** A flat illustration: the product's initials on its category's colour, and its name. */
export function productPicture(product: Pick<Product, 'name' | 'category'>, colour: string): string {
  const [kind = product.name, variant = ''] = product.name.split(', ');
  const initials = kind
    .split(/[\s-]+/)
    .filter((word) => /^[A-Za-z]/.test(word))
    .slice(0, 2)
    .map((word) => word[0]?.toUpperCase())
    .join('');
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 300" role="img">',
    `<title>${escapeXml(product.name)}</title>`,
    `<rect width="400" height="300" fill="${colour}"/>`,
    '<circle cx="200" cy="120" r="70" fill="#ffffff" fill-opacity="0.18"/>',
    `<text x="200" y="145" font-family="system-ui, sans-serif" font-size="64" font-weight="700" fill="#fff" text-anchor="middle">${escapeXml(initials)}</text>`,
    `<text x="200" y="238" font-family="system-ui, sans-serif" font-size="22" fill="#fff" text-anchor="middle">${escapeXml(kind)}</text>`,
    `<text x="200" y="268" font-family="system-ui, sans-serif" font-size="17" fill="#fff" fill-opacity="0.85" text-anchor="middle">${escapeXml(variant)}</text>`,
    '</svg>',
  ].join('');
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
