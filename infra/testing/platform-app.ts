import { App } from 'aws-cdk-lib';
import cdkJson from '../../cdk.json';
import { CONFIG_CONTEXT_KEY, parsePlatformConfig, type PlatformConfig } from '../config/platform-config';
import { buildPlatformApp } from '../platform-app';

/** The context of cdk.json: the feature flags and the platform config `cdk synth` uses. */
export const CDK_CONTEXT: Record<string, unknown> = cdkJson.context;

/** A deep copy of the platform config in cdk.json, for a test to change. */
export function cdkJsonPlatformConfig(): PlatformConfig {
  return parsePlatformConfig(structuredClone(CDK_CONTEXT[CONFIG_CONTEXT_KEY]));
}

/** A new app with cdk.json's context, as `cdk synth` builds it (`new App()` in jest does not read cdk.json). */
export function newApp(): App {
  return new App({ context: CDK_CONTEXT });
}

/** The whole platform as `cdk synth` builds it: the pipeline stack with its three stages, checked by cdk-nag. */
export function buildTestPlatform(config: PlatformConfig = cdkJsonPlatformConfig()) {
  const app = newApp();
  const pipelineStack = buildPlatformApp(app, config);
  return { app, pipelineStack, stages: pipelineStack.stages };
}
