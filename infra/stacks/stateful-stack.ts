import { CfnOutput, Duration, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { logRetentionOf, removalPolicyOf } from '../config/cdk-settings';
import type { EnvironmentConfig } from '../config/platform-config';
import { INTERACTIONS_IMPORT_PREFIX, InteractionsDataset } from '../constructs/personalization';
import { PrivateBucket } from '../constructs/private-bucket';
import { SearchDomain } from '../constructs/search-domain';
import { ShopperIdentity } from '../constructs/shopper-identity';
import { Website } from '../constructs/website';

export interface StatefulStackProps extends StackProps {
  readonly config: EnvironmentConfig;
}

/**
 * Everything of an environment that holds data or an address users rely on: buckets, tables, the
 * clickstream stream, the user pool, the search domain, the Personalize dataset group, and the
 * storefront's distribution. Kept apart from the
 * stateless stacks so that changing a function never replaces data, and pinned by a test to
 * stable logical ids.
 */
export class StatefulStack extends Stack {
  public readonly accessLogBucket: s3.Bucket;
  public readonly website: Website;
  /**
   * The analytics lake: Firehose delivers the clickstream under `clickstream/`, its failures under
   * `errors/firehose/`; the processor quarantines invalid records under `errors/processor/`; Athena
   * writes query results under `athena-results/` (kept 30 days); the recommender training writes
   * the interactions Personalize imports under `personalize/interactions/` (kept 14 days).
   */
  public readonly clickstreamBucket: s3.Bucket;
  public readonly identity: ShopperIdentity;
  /** Orders, the source of truth (the search index is derived from its stream). */
  public readonly ordersTable: dynamodb.Table;
  public readonly productsTable: dynamodb.Table;
  /** Live per-minute clickstream aggregates (pk `MINUTE#<minute>`, sk `TOTALS` or `PRODUCT#<id>`), kept 7 days. */
  public readonly analyticsTable: dynamodb.Table;
  public readonly clickstreamStream: kinesis.Stream;
  /** Order and product search: derived from the tables, reached with IAM (SigV4) only. */
  public readonly searchDomain: SearchDomain;
  /** The recommender's data: the Personalize dataset group and its Interactions dataset. */
  public readonly personalization: InteractionsDataset;
  /** What a client of the environment needs to find it (read by the integration tests). */
  public readonly outputs: {
    readonly websiteUrl: CfnOutput;
    readonly userPoolId: CfnOutput;
    readonly userPoolClientId: CfnOutput;
    /** The stream `POST /events` writes to (the integration tests also write to it directly). */
    readonly clickstreamStreamName: CfnOutput;
    /** The analytics lake (the integration tests look for their events in it). */
    readonly clickstreamBucketName: CfnOutput;
  };

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { config } = props;
    const removalPolicy = removalPolicyOf(config);

    this.accessLogBucket = new PrivateBucket(this, 'AccessLogBucket', {
      removalPolicy,
      versioned: false,
      // CloudFront standard logging writes with an ACL, so ACLs stay enabled on this bucket only.
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(config.accessLogRetentionDays) }],
    });
    Validations.of(this.accessLogBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log bucket of the environment; logging it into itself would loop.',
    });

    this.website = new Website(this, 'Website', {
      accessLogBucket: this.accessLogBucket,
      removalPolicy,
      domain: config.website,
    });

    this.clickstreamBucket = new PrivateBucket(this, 'ClickstreamBucket', {
      removalPolicy,
      serverAccessLogs: { bucket: this.accessLogBucket, prefix: 's3/clickstream/' },
      lifecycleRules: [
        {
          transitions: [
            { storageClass: s3.StorageClass.INTELLIGENT_TIERING, transitionAfter: Duration.days(30) },
          ],
          noncurrentVersionExpiration: Duration.days(30),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
        // Athena query results are worth keeping only as long as someone may download them again.
        { prefix: 'athena-results/', expiration: Duration.days(30) },
        // Interactions exported for a Personalize import are read once, by the import job.
        { prefix: INTERACTIONS_IMPORT_PREFIX, expiration: Duration.days(14) },
      ],
    });

    this.identity = new ShopperIdentity(this, 'ShopperIdentity', {
      removalPolicy,
      deletionProtection: config.deletionProtection,
    });

    this.ordersTable = new dynamodb.Table(this, 'OrdersTable', {
      partitionKey: { name: 'orderId', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
      deletionProtection: config.deletionProtection,
      removalPolicy,
    });
    this.ordersTable.addGlobalSecondaryIndex({
      indexName: 'byCustomer',
      partitionKey: { name: 'customerId', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'createdAt', type: dynamodb.AttributeType.STRING },
    });

    this.productsTable = new dynamodb.Table(this, 'ProductsTable', {
      partitionKey: { name: 'productId', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: config.deletionProtection,
      removalPolicy,
    });
    this.productsTable.addGlobalSecondaryIndex({
      indexName: 'byCategory',
      partitionKey: { name: 'category', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'name', type: dynamodb.AttributeType.STRING },
    });

    this.analyticsTable = new dynamodb.Table(this, 'AnalyticsTable', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: 'expiresAt',
      deletionProtection: config.deletionProtection,
      removalPolicy,
    });

    this.clickstreamStream = new kinesis.Stream(this, 'ClickstreamStream', {
      shardCount: config.capacity.clickstreamShards,
      retentionPeriod: Duration.hours(config.clickstreamRetentionHours),
      encryption: kinesis.StreamEncryption.MANAGED,
      removalPolicy,
    });

    this.searchDomain = new SearchDomain(this, 'SearchDomain', {
      ...config.search,
      logRetention: logRetentionOf(config),
      removalPolicy,
    });

    this.personalization = new InteractionsDataset(this, 'Personalization', { removalPolicy });
    this.personalization.allowImportsFrom(this.clickstreamBucket, INTERACTIONS_IMPORT_PREFIX);

    this.outputs = {
      websiteUrl: new CfnOutput(this, 'WebsiteUrl', {
        value: this.website.url,
        description: 'The storefront',
      }),
      userPoolId: new CfnOutput(this, 'UserPoolId', { value: this.identity.userPool.userPoolId }),
      userPoolClientId: new CfnOutput(this, 'UserPoolClientId', {
        value: this.identity.webClient.userPoolClientId,
      }),
      clickstreamStreamName: new CfnOutput(this, 'ClickstreamStreamName', {
        value: this.clickstreamStream.streamName,
        description: 'The clickstream: POST /events writes each event to it',
      }),
      clickstreamBucketName: new CfnOutput(this, 'ClickstreamBucketName', {
        value: this.clickstreamBucket.bucketName,
        description: 'The analytics lake: Firehose delivers the clickstream to it',
      }),
    };
  }
}
