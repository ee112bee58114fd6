#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { CONFIG_CONTEXT_KEY, parsePlatformConfig, PlatformConfigError } from './config/platform-config';
import { buildPlatformApp } from './platform-app';

// The one place that reads configuration: the `platform` context of cdk.json (or -c on the CLI).
const app = new App();
try {
  buildPlatformApp(app, parsePlatformConfig(app.node.tryGetContext(CONFIG_CONTEXT_KEY)));
} catch (error) {
  if (!(error instanceof PlatformConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
app.synth();
