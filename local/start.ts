/**
 * `npm start`: synthesizes the platform and prints where each stage's CloudFormation templates are.
 *
 * The local platform, which will run the dev stage on this machine from these same templates, is
 * not built yet; until it is, this is what `npm start` does, and it says so.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.join(__dirname, '..');
const outdir = path.join(root, 'cdk.out');

interface Manifest {
  artifacts?: Record<
    string,
    { type: string; properties?: { templateFile?: string; directoryName?: string } }
  >;
}

/** Every stack template of the cloud assembly in `directory`, nested stage assemblies included. */
function templates(directory: string): string[] {
  const manifest: Manifest = JSON.parse(fs.readFileSync(path.join(directory, 'manifest.json'), 'utf8'));
  return Object.values(manifest.artifacts ?? {}).flatMap((artifact) => {
    if (artifact.type === 'aws:cloudformation:stack' && artifact.properties?.templateFile) {
      return [path.join(directory, artifact.properties.templateFile)];
    }
    if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName) {
      return templates(path.join(directory, artifact.properties.directoryName));
    }
    return [];
  });
}

const started = Date.now();
const synth = spawnSync('npx', ['cdk', 'synth', '--quiet', '--output', outdir], {
  cwd: root,
  stdio: 'inherit',
});
if (synth.status !== 0) {
  console.error('\nSynthesis failed: the messages above name the problem.');
  process.exit(synth.status ?? 1);
}

console.log(`\nSynthesized in ${((Date.now() - started) / 1000).toFixed(1)} s. CloudFormation templates:`);
for (const template of templates(outdir)) {
  console.log(`  ${path.relative(root, template)}`);
}
console.log(
  '\nThe local platform (the dev stage running on this machine) is not built yet: this command only ' +
    'synthesizes. Deploy with the pipeline (see README.md, "Deploy").',
);
