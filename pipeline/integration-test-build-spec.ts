import * as fs from 'node:fs';
import * as path from 'node:path';
import { BuildSpec } from 'aws-cdk-lib/aws-codebuild';
import YAML from 'yaml';

/** The single definition of the integration-test build, at the root of the repository. */
export const INTEG_BUILD_SPEC_FILE = path.join(__dirname, '..', 'buildspec.yml');

/**
 * Reads `buildspec.yml` at synth time. CDK Pipelines does not read it on its own: the pipeline
 * passes this object as the integration-test step's build spec, so editing the file changes the
 * pipeline (through self-mutation).
 */
export function loadIntegrationTestBuildSpec(file: string = INTEG_BUILD_SPEC_FILE): BuildSpec {
  const spec: unknown = YAML.parse(fs.readFileSync(file, 'utf8'));
  if (spec === null || typeof spec !== 'object' || !('phases' in spec) || !('reports' in spec)) {
    throw new Error(
      `${file} must define "phases" and "reports" (the JUnit report group of the integration tests)`,
    );
  }
  return BuildSpec.fromObject(spec as Record<string, unknown>);
}
