import { Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { PipelineStack } from '../pipeline/pipeline-stack';
import type { PlatformConfig } from './config/platform-config';

/** Name of the pipeline stack, the only stack deployed by hand (once). */
export const PIPELINE_STACK_NAME = 'EcommercePlatformPipeline';

/**
 * Builds the whole platform into an app: the pipeline stack, which holds the dev, staging and
 * prod stages, checked by cdk-nag's AwsSolutions rules (synth fails on an unacknowledged finding).
 */
export function buildPlatformApp(
  app: App,
  config: PlatformConfig,
  options: { readonly siteDirectory?: string } = {},
): PipelineStack {
  const pipelineStack = new PipelineStack(app, PIPELINE_STACK_NAME, {
    config,
    ...options,
    env: { account: config.pipeline.account, region: config.pipeline.region },
    description: 'E-commerce platform: the self-mutating delivery pipeline',
  });
  applyAwsSolutionsChecks(app);
  return pipelineStack;
}

/** Checks every stack of the app, stages included, against cdk-nag's AwsSolutions rules at synth. */
export function applyAwsSolutionsChecks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
}
