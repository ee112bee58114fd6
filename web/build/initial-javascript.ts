import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/** What a first visit may download of JavaScript, gzipped. */
export const INITIAL_JAVASCRIPT_BUDGET_BYTES = 200 * 1024;

interface ManifestChunk {
  readonly file: string;
  readonly isEntry?: boolean;
  readonly imports?: readonly string[];
}

export interface InitialJavaScript {
  readonly files: readonly string[];
  readonly bytes: number;
  readonly gzippedBytes: number;
}

/**
 * The JavaScript a first visit downloads: the entry chunk and every chunk it imports statically,
 * read from Vite's manifest (`.vite/manifest.json`); chunks loaded on demand (the admin dashboard,
 * the Cognito client) are not part of it.
 */
export function measureInitialJavaScript(distDirectory: string): InitialJavaScript {
  const manifestFile = path.join(distDirectory, '.vite', 'manifest.json');
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Record<string, ManifestChunk>;
  const files = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key);
  let bytes = 0;
  let gzippedBytes = 0;
  for (const file of files) {
    const content = fs.readFileSync(path.join(distDirectory, file));
    bytes += content.length;
    gzippedBytes += gzipSync(content, { level: 9 }).length;
  }
  return { files: [...files], bytes, gzippedBytes };
}

/** Prints the initial JavaScript's size after each build, and fails a build over the budget. */
export function initialJavaScriptBudget(budgetBytes = INITIAL_JAVASCRIPT_BUDGET_BYTES): Plugin {
  let outDir = '';
  return {
    name: 'initial-javascript-budget',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      const initial = measureInitialJavaScript(outDir);
      const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
      const line = `Initial JavaScript: ${kb(initial.gzippedBytes)} gzipped (${kb(initial.bytes)} raw, ${initial.files.length} file(s)); budget ${kb(budgetBytes)} gzipped`;
      if (initial.gzippedBytes > budgetBytes) {
        throw new Error(`${line}: over budget. Load what the first page does not need with import().`);
      }
      this.info(line);
    },
  };
}
