import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { environmentConfig, type EnvironmentConfig } from '../../infra/config/platform-config';
import { applyAwsSolutionsChecks } from '../../infra/platform-app';
import { PlatformStage } from '../../infra/stage';
import { CDK_CONTEXT, cdkJsonPlatformConfig } from '../../infra/testing/platform-app';
import { StageTemplates } from '../template/stage-templates';

/** The dev stage, synthesized for the local platform. */
export interface SynthesizedStage {
  readonly stage: StageTemplates;
  /** The cloud assembly root, which holds the `asset.<hash>` folders (bundled functions, site files). */
  readonly assetRoot: string;
  readonly config: EnvironmentConfig;
  /** The stack outputs the integration tests read, by environment variable name (`PlatformStage.testEnvironment`). */
  readonly testOutputs: Readonly<Record<string, { readonly stackName: string; readonly outputId: string }>>;
}

/**
 * The dev environment's config from cdk.json, changed only where a local machine needs it:
 * Firehose flushes the lake every 5 seconds instead of every minute, so that clickstream objects
 * show up while someone watches.
 */
export function localDevConfig(): EnvironmentConfig {
  const dev = environmentConfig(cdkJsonPlatformConfig(), 'dev');
  return { ...dev, clickstream: { ...dev.clickstream, firehoseBufferSeconds: 5 } };
}

/**
 * Synthesizes the dev stage in-process, with cdk.json's feature flags and the cdk-nag checks, into
 * `outdir`: the same constructs, templates and bundled handlers that the pipeline deploys.
 * `customize` may add to the stage before synthesis (tests use it to add a route, table or function).
 */
export function synthesizeDevStage(
  outdir: string,
  options: { config?: EnvironmentConfig; customize?: (stage: PlatformStage) => void } = {},
): SynthesizedStage {
  const config = options.config ?? localDevConfig();
  const app = new App({ context: CDK_CONTEXT, outdir });
  const stage = new PlatformStage(app, config.name, { config });
  options.customize?.(stage);
  applyAwsSolutionsChecks(app);
  app.synth();
  return {
    stage: StageTemplates.fromAssemblyDirectory(stage.outdir),
    assetRoot: path.resolve(app.outdir),
    config,
    testOutputs: Object.fromEntries(
      Object.entries(stage.testEnvironment).map(([name, output]) => {
        const stack = Stack.of(output);
        return [name, { stackName: stack.stackName, outputId: stack.resolve(output.logicalId) as string }];
      }),
    ),
  };
}
