import * as path from 'node:path';
import { Stage, Tags, type CfnOutput, type StageProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from './config/platform-config';
import { ApiStack } from './stacks/api-stack';
import { ClickstreamStack } from './stacks/clickstream-stack';
import { OperationsStack } from './stacks/operations-stack';
import { StatefulStack } from './stacks/stateful-stack';
import { WebsiteContentStack } from './stacks/website-content-stack';

/**
 * Tag naming the environment (`dev`, `staging`, `prod`) on the resources that IAM policies outside
 * the stage select by tag: the user pool, whose ARN holds an id Cognito makes up. The pipeline's
 * integration-test step may manage users only in the pool tagged with its stage's name
 * (docs/decisions/010-integration-test-permissions.md).
 */
export const ENVIRONMENT_TAG_KEY = 'ecommerce-platform:environment';

/** The storefront's build (`npm run build`), which every stage deploys. */
export const SITE_DIRECTORY = path.join(__dirname, '..', 'web', 'dist');

export interface PlatformStageProps extends StageProps {
  readonly config: EnvironmentConfig;
  /**
   * Folder holding the built storefront.
   * @default SITE_DIRECTORY
   */
  readonly siteDirectory?: string;
}

/**
 * One environment of the platform (dev, staging or prod): every stack, wired together, deployed
 * to the account and region of its config.
 */
export class PlatformStage extends Stage {
  /** The environment this stage deploys. */
  public readonly config: EnvironmentConfig;
  public readonly stateful: StatefulStack;
  public readonly api: ApiStack;
  public readonly clickstream: ClickstreamStack;
  public readonly operations: OperationsStack;
  public readonly websiteContent: WebsiteContentStack;
  /**
   * Environment variables the integration tests receive, by name, from the stage's outputs: where
   * the storefront and the API are, the user pool and its web client, the clickstream stream, the
   * lake bucket and the lake prefix Firehose writes under (`integ-tests/platform.ts` reads them).
   */
  public readonly testEnvironment: Record<string, CfnOutput>;

  constructor(scope: Construct, id: string, props: PlatformStageProps) {
    super(scope, id, { ...props, env: { account: props.config.account, region: props.config.region } });
    const { config } = props;
    this.config = config;
    const description = (what: string) => `E-commerce platform (${config.name}): ${what}`;

    this.stateful = new StatefulStack(this, 'Stateful', {
      config,
      description: description('buckets, tables, stream, user pool, dataset group and distribution'),
      terminationProtection: config.deletionProtection,
    });
    // A tag update changes no data: the pool keeps its id, users and logical id.
    Tags.of(this.stateful.identity.userPool).add(ENVIRONMENT_TAG_KEY, config.name);
    this.api = new ApiStack(this, 'Api', {
      config,
      stateful: this.stateful,
      description: description('REST API, web ACL, and the catalog, orders and analytics functions'),
    });
    this.clickstream = new ClickstreamStack(this, 'Clickstream', {
      config,
      stateful: this.stateful,
      description: description('clickstream processor, Firehose to the lake, Glue and Athena, event tracker'),
    });
    // Operations watches the other stacks (alarms and graphs reference their resources), so it
    // depends on them and nothing depends on it.
    this.operations = new OperationsStack(this, 'Operations', {
      config,
      stateful: this.stateful,
      api: this.api,
      clickstream: this.clickstream,
      description: description('alarm topic, alarms and dashboard'),
    });
    this.websiteContent = new WebsiteContentStack(this, 'WebsiteContent', {
      config,
      stateful: this.stateful,
      api: this.api,
      siteDirectory: props.siteDirectory ?? SITE_DIRECTORY,
      description: description('storefront files and runtime config'),
    });

    this.testEnvironment = {
      WEBSITE_URL: this.stateful.outputs.websiteUrl,
      USER_POOL_ID: this.stateful.outputs.userPoolId,
      USER_POOL_CLIENT_ID: this.stateful.outputs.userPoolClientId,
      API_URL: this.api.outputs.apiUrl,
      CLICKSTREAM_STREAM_NAME: this.stateful.outputs.clickstreamStreamName,
      CLICKSTREAM_BUCKET_NAME: this.stateful.outputs.clickstreamBucketName,
      CLICKSTREAM_LAKE_PREFIX: this.clickstream.outputs.lakePrefix,
    };
  }
}
