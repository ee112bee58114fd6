import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { logRetentionOf } from '../config/cdk-settings';
import type { EnvironmentConfig } from '../config/platform-config';
import { WebsiteContent } from '../constructs/website-content';
import type { ApiStack } from './api-stack';
import type { StatefulStack } from './stateful-stack';

export interface WebsiteContentStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  readonly stateful: StatefulStack;
  /** The API the storefront calls. */
  readonly api: ApiStack;
  /** Folder holding the built site. */
  readonly siteDirectory: string;
}

/**
 * Deploys the storefront build and its runtime `config.json`. It comes last in the stage, so the
 * config can name everything the other stacks created.
 */
export class WebsiteContentStack extends Stack {
  constructor(scope: Construct, id: string, props: WebsiteContentStackProps) {
    super(scope, id, props);
    const { stateful } = props;

    new WebsiteContent(this, 'WebsiteContent', {
      siteDirectory: props.siteDirectory,
      logRetention: logRetentionOf(props.config),
      bucket: stateful.website.bucket,
      distribution: stateful.website.distribution,
      runtimeConfig: {
        environment: props.config.name,
        region: this.region,
        userPoolId: stateful.identity.userPool.userPoolId,
        userPoolClientId: stateful.identity.webClient.userPoolClientId,
        apiUrl: props.api.api.url,
      },
    });
  }
}
