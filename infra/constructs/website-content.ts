import * as fs from 'node:fs';
import * as path from 'node:path';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
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
  /**
   * Folder holding the built site (`npm run build` writes `web/dist`): `index.html`, files with a
   * content hash in their names under `assets/`, and other files under fixed names.
   */
  readonly siteDirectory: string;
  readonly bucket: s3.IBucket;
  readonly distribution: cloudfront.IDistribution;
  /** Written to `/config.json` beside the site. */
  readonly runtimeConfig: StorefrontRuntimeConfig;
  /** How long the deployment's logs are kept. */
  readonly logRetention: logs.RetentionDays;
}

/** Files of the build never deployed: source maps (kept for debugging, not served) and Vite's manifest. */
const NOT_DEPLOYED = ['*.map', '.vite/*'];

/** Where the build puts the files whose names change with their content. */
const HASHED_PREFIX = 'assets/';

/** The paths CloudFront must forget after a deployment: the only ones whose content changes under the same name. */
export const INVALIDATED_PATHS = ['/', '/index.html', '/config.json'];

/**
 * Puts the site build and its `config.json` (generated from stack outputs at deploy time) in the
 * website bucket, in two steps:
 * 1. the content-hashed files under `assets/`, cached by browsers and CloudFront for a year; files
 *    of earlier builds stay, so that a page opened before a deployment can still load its chunks;
 * 2. then everything else, `index.html` and `config.json` included, revalidated on every visit; files
 *    the build no longer has are removed; CloudFront forgets `index.html` and `config.json`.
 */
export class WebsiteContent extends Construct {
  /** The deployment of `index.html`, `config.json` and the other files under fixed names. */
  public readonly deployment: s3deploy.BucketDeployment;
  /** The deployment of the content-hashed files. */
  public readonly hashedAssets: s3deploy.BucketDeployment;

  constructor(scope: Construct, id: string, props: WebsiteContentProps) {
    super(scope, id);
    if (!fs.existsSync(path.join(props.siteDirectory, 'index.html'))) {
      throw new Error(
        `WebsiteContent: ${props.siteDirectory} has no index.html. Build the storefront first: npm run build`,
      );
    }
    // One log group: both deployments run on the same provider function.
    const logGroup = new logs.LogGroup(this, 'DeploymentLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.hashedAssets = new s3deploy.BucketDeployment(this, 'HashedAssets', {
      sources: [
        s3deploy.Source.asset(path.join(props.siteDirectory, HASHED_PREFIX), { exclude: NOT_DEPLOYED }),
      ],
      destinationBucket: props.bucket,
      destinationKeyPrefix: HASHED_PREFIX,
      cacheControl: [
        s3deploy.CacheControl.setPublic(),
        s3deploy.CacheControl.maxAge(Duration.days(365)),
        s3deploy.CacheControl.immutable(),
      ],
      prune: false,
      memoryLimit: 512,
      logGroup,
    });

    this.deployment = new s3deploy.BucketDeployment(this, 'Deployment', {
      sources: [
        s3deploy.Source.asset(props.siteDirectory, { exclude: [`${HASHED_PREFIX}*`, ...NOT_DEPLOYED] }),
        s3deploy.Source.jsonData('config.json', props.runtimeConfig),
      ],
      destinationBucket: props.bucket,
      cacheControl: [s3deploy.CacheControl.noCache()],
      prune: true,
      // Pruning leaves the hashed files alone: they are the other deployment's.
      exclude: [`${HASHED_PREFIX}*`],
      distribution: props.distribution,
      distributionPaths: INVALIDATED_PATHS,
      memoryLimit: 512,
      logGroup,
    });
    // index.html names the new hashed files: they are in the bucket before it is.
    this.deployment.node.addDependency(this.hashedAssets);

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
