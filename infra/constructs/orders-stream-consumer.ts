import { Duration, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { PlatformFunction } from './platform-function';

/**
 * Feeds `fn` from the orders table's stream the way every consumer of it reads: in batches from the
 * start, reporting failed records one by one, bisecting a failing batch, retrying 5 times within a
 * day, then sending the batch's description (shard and sequence numbers) to a DLQ, created in
 * `scope` as `queueId` and returned. No filter: consumers ignore the changes they do not need (and
 * the local platform's pollers apply none).
 */
export function consumeOrdersStream(
  scope: Construct,
  queueId: string,
  fn: PlatformFunction,
  ordersTable: dynamodb.ITable,
): sqs.Queue {
  const deadLetterQueue = new sqs.Queue(scope, queueId, {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  const name = fn.node.id;
  Validations.of(deadLetterQueue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason:
      `This queue is a DLQ: the on-failure destination of the ${name}'s stream event source mapping, ` +
      'which cdk-nag does not recognise as one. A queue of last resort needs no DLQ of its own.',
  });
  fn.addEventSource(
    new DynamoEventSource(ordersTable, {
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
      batchSize: 100,
      maxBatchingWindow: Duration.seconds(1),
      bisectBatchOnError: true,
      reportBatchItemFailures: true,
      retryAttempts: 5,
      maxRecordAge: Duration.days(1),
      onFailure: new SqsDlq(deadLetterQueue),
    }),
  );
  Validations.of(fn.executionRole).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'Two actions take no resource narrower than "*": X-Ray PutTraceSegments/PutTelemetryRecords (tracing), ' +
      'and dynamodb:ListStreams, which the stream read grant of the event source adds (an account-level ' +
      'listing; reading records is granted on the orders stream ARN only).',
  });
  return deadLetterQueue;
}
