/**
 * How long synthesizing the whole platform takes (pipeline + dev, staging and prod stages, with
 * the cdk-nag checks), in-process, over several runs. Prints figures; asserts nothing.
 *
 *   npm run bench            # 5 runs
 *   npm run bench -- 10      # 10 runs
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildTestPlatform } from '../infra/testing/platform-app';

const runs = Number(process.argv[2] ?? 5);

function countResources(directory: string): { templates: number; resources: number } {
  let templates = 0;
  let resources = 0;
  for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory() && entry.name.startsWith('assembly-')) {
      const nested = countResources(full);
      templates += nested.templates;
      resources += nested.resources;
    } else if (entry.name.endsWith('.template.json')) {
      templates += 1;
      resources += Object.keys(JSON.parse(fs.readFileSync(full, 'utf8')).Resources ?? {}).length;
    }
  }
  return { templates, resources };
}

const timings: number[] = [];
let directory = '';
for (let run = 0; run < runs; run++) {
  const started = process.hrtime.bigint();
  const { app } = buildTestPlatform();
  directory = app.synth().directory;
  timings.push(Number(process.hrtime.bigint() - started) / 1e6);
}

const sorted = [...timings].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
const { templates, resources } = countResources(directory);
console.log(`synth of the whole app, in-process, ${runs} runs (the first includes module loading):`);
console.log(`  runs (ms):   ${timings.map((t) => t.toFixed(0)).join(', ')}`);
console.log(
  `  min ${sorted[0]?.toFixed(0)} ms, median ${median.toFixed(0)} ms, max ${sorted.at(-1)?.toFixed(0)} ms`,
);
console.log(`  output: ${templates} templates, ${resources} resources`);
