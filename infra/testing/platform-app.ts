import * as path from 'node:path';
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

/**
 * A storefront build in miniature (`index.html`, hashed files under `assets/` with their source
 * maps, Vite's manifest), so that infrastructure tests do not depend on `npm run build`.
 */
export const TEST_SITE_DIRECTORY = path.join(__dirname, 'site');

/**
 * The whole platform as `cdk synth` builds it: the pipeline stack with its three stages, checked by
 * cdk-nag; each stage deploys the test site.
 */
export function buildTestPlatform(config: PlatformConfig = cdkJsonPlatformConfig()) {
  const app = newApp();
  const pipelineStack = buildPlatformApp(app, config, { siteDirectory: TEST_SITE_DIRECTORY });
  return { app, pipelineStack, stages: pipelineStack.stages };
}
