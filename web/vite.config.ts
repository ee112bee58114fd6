import { defineConfig } from 'vite';
import { initialJavaScriptBudget } from './build/initial-javascript';
import { sampleCatalogImages } from './build/sample-catalog-images';

/**
 * The storefront build: `npm run build` writes `web/dist`, which the Website stack deploys beside the
 * `config.json` it generates. Files under `assets/` carry a content hash and are cached for a year;
 * `index.html` is revalidated on every visit (see infra/constructs/website-content.ts).
 */
export default defineConfig({
  root: __dirname,
  base: '/',
  // The site is served from the same folder on every stage; `config.json` says where the API is.
  envPrefix: 'STOREFRONT_',
  oxc: { jsx: { runtime: 'automatic' } },
  plugins: [sampleCatalogImages(), initialJavaScriptBudget()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Read by web/build/initial-javascript.ts to measure what a first visit downloads.
    manifest: true,
    // Maps for debugging and error reports, not referenced by the served files (nor deployed).
    sourcemap: 'hidden',
    target: 'es2022',
    rolldownOptions: {
      onwarn(warning, warn) {
        // React Server Components' "use client" markers mean nothing in a browser-only bundle.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
});
