import * as fs from 'node:fs';
import * as path from 'node:path';
import { Stack, Stage, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';
import { environmentConfig } from '../config/platform-config';
import { applyAwsSolutionsChecks } from '../platform-app';
import { PlatformStage } from '../stage';
import { buildTestPlatform, cdkJsonPlatformConfig, newApp } from '../testing/platform-app';

interface ValidationReport {
  pluginReports: { summary: { pluginName: string }; violations: { ruleName: string }[] }[];
}

function violationsIn(directory: string): string[] {
  const report: ValidationReport = JSON.parse(
    fs.readFileSync(path.join(directory, 'validation-report.json'), 'utf8'),
  );
  return report.pluginReports.flatMap((plugin) => plugin.violations.map((violation) => violation.ruleName));
}

/** Every acknowledgement in the tree, with its reason and where it was made. */
function acknowledgements(root: IConstruct): { on: IConstruct; id: string; reason: string }[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          on: construct,
          id,
          reason,
        })),
      ),
  );
}

describe('cdk-nag AwsSolutions checks', () => {
  it('pass on the whole app: the pipeline and the dev, staging and prod stages', () => {
    const { app } = buildTestPlatform();
    const assembly = app.synth();
    expect(violationsIn(assembly.directory)).toEqual([]);
    expect(assembly.nestedAssemblies.map((nested) => nested.directoryName).sort()).toEqual([
      'assembly-EcommercePlatformPipeline-dev',
      'assembly-EcommercePlatformPipeline-prod',
      'assembly-EcommercePlatformPipeline-staging',
    ]);
  });

  it('pass when stages live in other accounts (cross-account keys)', () => {
    const config = cdkJsonPlatformConfig();
    config.environments.staging.account = '210987654321';
    config.environments.prod.account = '310987654321';
    const { app } = buildTestPlatform(config);
    expect(violationsIn(app.synth().directory)).toEqual([]);
  });

  it('give every acknowledgement a written reason, on a named resource', () => {
    const { app } = buildTestPlatform();
    app.synth();
    const all = acknowledgements(app);
    expect(all.length).toBeGreaterThan(0);
    for (const acknowledgement of all) {
      expect(acknowledgement.reason.length).toBeGreaterThan(40);
      // On the resource (or the construct owning it), never on a whole stage or stack.
      expect(Stack.isStack(acknowledgement.on) || Stage.isStage(acknowledgement.on)).toBe(false);
    }
  });

  it('fail the synth on an unacknowledged finding anywhere in a stage', () => {
    const app = newApp();
    const stage = new PlatformStage(app, 'dev', {
      config: environmentConfig(cdkJsonPlatformConfig(), 'dev'),
    });
    applyAwsSolutionsChecks(app);
    // A bucket without access logs or TLS enforcement: AwsSolutions-S1 and AwsSolutions-S10.
    new s3.Bucket(stage.stateful, 'CarelessBucket');
    expect(() => app.synth()).toThrow(/ERROR The S3 Bucket has server access logs disabled/);
    expect(violationsIn(app.outdir)).toEqual(expect.arrayContaining(['AwsSolutions-S1', 'AwsSolutions-S10']));
  });
});
