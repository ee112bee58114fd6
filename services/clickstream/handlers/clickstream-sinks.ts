import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { PersonalizeEventsClient } from '@aws-sdk/client-personalize-events';
import { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../shared/dynamodb';
import type { Observability } from '../../shared/powertools';
import { DynamoDbLiveAggregates } from '../adapters/dynamodb-live-aggregates';
import { DynamoDbUserActivity } from '../adapters/dynamodb-user-activity';
import { FirehoseEventDelivery } from '../adapters/firehose-event-delivery';
import { PersonalizeInteractionTracker } from '../adapters/personalize-interaction-tracker';
import { S3Quarantine } from '../adapters/s3-quarantine';
import type { ClickstreamSinks } from '../domain/ports';
import type { ClickstreamConfig } from './clickstream-config';

/** The SDK clients the processor's sinks use. */
export interface ClickstreamClients {
  readonly firehose: FirehoseClient;
  readonly personalize: PersonalizeEventsClient;
  readonly documents: DynamoDBDocumentClient;
  readonly s3: S3Client;
}

/** The sinks a configuration names, on the given clients (AWS, or local stand-ins in tests). */
export function createClickstreamSinks(
  config: ClickstreamConfig,
  clients: ClickstreamClients,
): ClickstreamSinks {
  return {
    delivery: new FirehoseEventDelivery({
      firehose: clients.firehose,
      deliveryStreamName: config.firehoseStreamName,
    }),
    ...(config.personalizeTrackingId !== undefined && {
      tracker: new PersonalizeInteractionTracker({
        personalize: clients.personalize,
        trackingId: config.personalizeTrackingId,
      }),
    }),
    aggregates: new DynamoDbLiveAggregates({
      documents: clients.documents,
      tableName: config.analyticsTableName,
    }),
    userActivity: new DynamoDbUserActivity({
      documents: clients.documents,
      tableName: config.analyticsTableName,
    }),
    quarantine: new S3Quarantine({ s3: clients.s3, bucketName: config.quarantineBucketName }),
  };
}

/**
 * The clients the deployed function uses, traced. Endpoints and credentials come from the SDK's
 * usual chain (so `AWS_ENDPOINT_URL_<SERVICE>` points them at local stand-ins with no code change).
 */
export function awsClickstreamClients({ tracer }: Observability): ClickstreamClients {
  return {
    firehose: tracer.captureAWSv3Client(new FirehoseClient({})),
    // Best effort (see processClickstreamBatch): one retry, not three, so that a struggling
    // Personalize does not slow the batch down.
    personalize: tracer.captureAWSv3Client(new PersonalizeEventsClient({ maxAttempts: 2 })),
    documents: documentClient(tracer.captureAWSv3Client(new DynamoDBClient({}))),
    s3: tracer.captureAWSv3Client(new S3Client({})),
  };
}
