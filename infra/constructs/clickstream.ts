import * as path from 'node:path';
import { Duration, RemovalPolicy, Size, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { KinesisEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledgeWildcardPermissions } from '../compliance/acknowledge-wildcards';
import type { EventTracker } from './personalization';
import { PLATFORM_METRICS_NAMESPACE, PlatformFunction } from './platform-function';

/** Service name of the ClickstreamProcessor: the `service` dimension of its EMF metrics. */
export const CLICKSTREAM_PROCESSOR_SERVICE = 'clickstream-processor';

/** Where Firehose writes the clickstream in the lake: one folder per UTC hour of arrival, Hive style. */
export const LAKE_EVENTS_PREFIX = 'clickstream/';
export const FIREHOSE_DATA_PREFIX = `${LAKE_EVENTS_PREFIX}year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/`;
/** Where Firehose writes the records it could not deliver, by error type and day. */
export const FIREHOSE_ERROR_PREFIX =
  'errors/firehose/!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/';
/** Where the processor keeps the records it can never process (the handler writes under this prefix). */
export const PROCESSOR_QUARANTINE_PREFIX = 'errors/processor/';

export interface ClickstreamProps {
  /** The events the storefront sent, through `POST /events`. */
  readonly stream: kinesis.IStream;
  /** The analytics lake: Firehose delivers to it; the processor quarantines invalid records in it. */
  readonly bucket: s3.IBucket;
  /** The live per-minute aggregates. */
  readonly analyticsTable: dynamodb.ITable;
  /** The recommender's event tracker: signed-in shoppers' interactions go there. */
  readonly eventTracker: EventTracker;
  /** Records per invocation at most. */
  readonly batchSize: number;
  /** How long the event source gathers records before invoking with a smaller batch. */
  readonly maxBatchingWindow: Duration;
  /** How long Firehose buffers before writing an object (or `firehoseBufferSize`, whichever comes first). */
  readonly firehoseBufferInterval: Duration;
  readonly firehoseBufferSize: Size;
  /** How long the function's and Firehose's logs are kept. */
  readonly logRetention: logs.RetentionDays;
  /**
   * What happens to the log groups when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly logRemovalPolicy?: RemovalPolicy;
}

/**
 * The clickstream's consumer. The ClickstreamProcessor reads the stream in batches (bisecting a
 * failing batch, reporting failed records one by one, retrying a bounded number of times, then
 * describing the batch in a DLQ), validates and enriches each event, and sends it to the
 * recommender's event tracker, to the lake through the `ClickstreamFirehose` delivery stream (gzip,
 * one folder per hour), and to the live per-minute aggregates. Invalid records are kept under
 * `errors/processor/` in the lake.
 */
export class Clickstream extends Construct {
  public readonly processor: PlatformFunction;
  /** Where the processor's stream batches go when retries are exhausted (shard and sequence numbers). */
  public readonly deadLetterQueue: sqs.Queue;
  public readonly deliveryStream: firehose.DeliveryStream;
  /** Assumed by Firehose to write to the lake. */
  public readonly firehoseRole: iam.Role;
  public readonly firehoseLogGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ClickstreamProps) {
    super(scope, id);
    const logRemovalPolicy = props.logRemovalPolicy ?? RemovalPolicy.RETAIN;

    this.firehoseLogGroup = new logs.LogGroup(this, 'FirehoseLogs', {
      retention: props.logRetention,
      removalPolicy: logRemovalPolicy,
    });
    this.firehoseRole = new iam.Role(this, 'FirehoseRole', {
      assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com'),
      description: 'Assumed by the ClickstreamFirehose delivery stream: writes the clickstream to the lake',
    });
    // The S3 destination would grant read, write and delete on the whole lake; Firehose writes two
    // prefixes. So the destination gets the role without policy updates, and the role gets what
    // Firehose's documentation lists for an S3 destination, on those prefixes only: put (and abort
    // multipart uploads), get, and the bucket's location and listings.
    const firehosePrefixes = [LAKE_EVENTS_PREFIX, 'errors/firehose/'].map((prefix) => `${prefix}*`);
    for (const objects of firehosePrefixes) {
      props.bucket.grantPut(this.firehoseRole, objects);
    }
    this.firehoseRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: firehosePrefixes.map((objects) => props.bucket.arnForObjects(objects)),
      }),
    );
    this.firehoseRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
        resources: [props.bucket.bucketArn],
      }),
    );
    this.firehoseLogGroup.grantWrite(this.firehoseRole);

    this.deliveryStream = new firehose.DeliveryStream(this, 'ClickstreamFirehose', {
      // Direct PUT: the processor writes the enriched events.
      encryption: firehose.StreamEncryption.awsOwnedKey(),
      destination: new firehose.S3Bucket(props.bucket, {
        role: this.firehoseRole.withoutPolicyUpdates(),
        dataOutputPrefix: FIREHOSE_DATA_PREFIX,
        errorOutputPrefix: FIREHOSE_ERROR_PREFIX,
        compression: firehose.Compression.GZIP,
        bufferingInterval: props.firehoseBufferInterval,
        bufferingSize: props.firehoseBufferSize,
        loggingConfig: new firehose.EnableLogging(this.firehoseLogGroup),
      }),
    });
    // Firehose checks its access when the delivery stream is created: the role's policy comes first.
    this.deliveryStream.node.addDependency(this.firehoseRole);
    acknowledgeWildcardPermissions(
      this.firehoseRole,
      'Firehose writes (and may read back) objects under two prefixes of the lake, "clickstream/*" and ' +
        '"errors/firehose/*", whose names it makes up (date folders, random suffixes); s3:Abort* (grantPut) ' +
        'is s3:AbortMultipartUpload only, for the multipart uploads it starts there.',
      { only: [/^Action::s3:Abort\*$/, /^Resource::.+\/(clickstream|errors\/firehose)\/\*$/] },
    );

    this.processor = new PlatformFunction(this, 'ClickstreamProcessor', {
      entry: path.join(
        __dirname,
        '..',
        '..',
        'services',
        'clickstream',
        'handlers',
        'clickstream-processor.ts',
      ),
      serviceName: CLICKSTREAM_PROCESSOR_SERVICE,
      metricsNamespace: PLATFORM_METRICS_NAMESPACE,
      description:
        'Validates and enriches clickstream events; sends them to Personalize, the lake and the live aggregates',
      timeout: Duration.seconds(60),
      memorySize: 1024,
      logRetention: props.logRetention,
      logRemovalPolicy,
      environment: {
        FIREHOSE_STREAM_NAME: this.deliveryStream.deliveryStreamName,
        ANALYTICS_TABLE_NAME: props.analyticsTable.tableName,
        PERSONALIZE_TRACKING_ID: props.eventTracker.trackingId,
        QUARANTINE_BUCKET_NAME: props.bucket.bucketName,
      },
    });
    this.deliveryStream.grantPutRecords(this.processor);
    props.analyticsTable.grantReadWriteData(this.processor);
    props.bucket.grantPut(this.processor, `${PROCESSOR_QUARANTINE_PREFIX}*`);
    props.eventTracker.grantPutEvents(this.processor);
    acknowledgeWildcardPermissions(
      this.processor.executionRole,
      'grantPut on the quarantine prefix of the lake: "errors/processor/*" holds one object per batch with ' +
        'invalid records, named by shard and sequence number; s3:Abort* is s3:AbortMultipartUpload only.',
      { only: [/^Action::s3:Abort\*$/, /^Resource::.+\/errors\/processor\/\*$/] },
    );

    this.deadLetterQueue = new sqs.Queue(this, 'ProcessorDeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is a DLQ: the on-failure destination of the ClickstreamProcessor's stream event source " +
        'mapping, which cdk-nag does not recognise as one. A queue of last resort needs no DLQ of its own.',
    });

    this.processor.addEventSource(
      new KinesisEventSource(props.stream, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: props.batchSize,
        maxBatchingWindow: props.maxBatchingWindow,
        // One batch per shard at a time: the aggregates count a shard's records in sequence order.
        parallelizationFactor: 1,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: 5,
        maxRecordAge: Duration.days(1),
        onFailure: new SqsDlq(this.deadLetterQueue),
      }),
    );
  }
}
