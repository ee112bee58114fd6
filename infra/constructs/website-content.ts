import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import type * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct, type IConstruct } from 'constructs';
import { acknowledgeWildcardPermissions } from '../compliance/acknowledge-wildcards';

/**
 * What the storefront reads from `/config.json` at start-up, so that one build serves every
 * environment. Values may be deploy-time tokens (stack outputs).
 */
export interface StorefrontRuntimeConfig {
  readonly environment: string;
  readonly region: string;
  readonly userPoolId: string;
  readonly userPoolClientId: string;
  /** Base URL of the shop API, ending with a slash. */
  readonly apiUrl: string;
}

export interface WebsiteContentProps {
  /** Folder holding the built site (must contain index.html). */
  readonly siteDirectory: string;
  readonly bucket: s3.IBucket;
  readonly distribution: cloudfront.IDistribution;
  /** Written to `/config.json` beside the site. */
  readonly runtimeConfig: StorefrontRuntimeConfig;
  /** How long the deployment's logs are kept. */
  readonly logRetention: logs.RetentionDays;
}

/**
 * Puts the site build and its `config.json` (generated from stack outputs at deploy time) in the
 * website bucket, removes files the build no longer has, and invalidates the CDN cache.
 */
export class WebsiteContent extends Construct {
  public readonly deployment: s3deploy.BucketDeployment;

  constructor(scope: Construct, id: string, props: WebsiteContentProps) {
    super(scope, id);

    this.deployment = new s3deploy.BucketDeployment(this, 'Deployment', {
      sources: [
        s3deploy.Source.asset(props.siteDirectory),
        s3deploy.Source.jsonData('config.json', props.runtimeConfig),
      ],
      destinationBucket: props.bucket,
      // Files are not content-hashed yet: browsers revalidate every one.
      cacheControl: [s3deploy.CacheControl.noCache()],
      prune: true,
      distribution: props.distribution,
      distributionPaths: ['/*'],
      memoryLimit: 512,
      logGroup: new logs.LogGroup(this, 'DeploymentLogs', {
        retention: props.logRetention,
        removalPolicy: RemovalPolicy.DESTROY,
      }),
    });

    // The provider is the singleton function, owner of the handler role, that aws-cdk-lib adds to the stack.
    const provider = this.deployment.handlerRole.node.scope as IConstruct;
    Validations.of(provider).acknowledge(
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: 'aws-cdk-lib BucketDeployment provider: the managed policy only lets it write its own logs.',
      },
      {
        id: 'AwsSolutions-L1',
        reason:
          'aws-cdk-lib BucketDeployment provider: its Python runtime is chosen and updated by aws-cdk-lib.',
      },
    );
    acknowledgeWildcardPermissions(
      provider,
      'aws-cdk-lib BucketDeployment provider: it copies objects of any key from the CDK asset bucket into the ' +
        'website bucket (object wildcards on those two buckets only) and invalidates the distribution, an ' +
        'action that takes no resource narrower than "*".',
    );
  }
}
