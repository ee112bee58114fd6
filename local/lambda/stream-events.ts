/**
 * Stream records as Lambda hands them to a function: the records the Kinesis and DynamoDB Streams
 * APIs return (as the AWS SDK reads them), turned into the `Records` of a `KinesisStreamEvent` or a
 * `DynamoDBStreamEvent`, field for field.
 */
import type {
  _Record as StreamsApiRecord,
  AttributeValue as StreamsAttributeValue,
} from '@aws-sdk/client-dynamodb-streams';
import type { _Record as KinesisApiRecord } from '@aws-sdk/client-kinesis';
import type { AttributeValue, DynamoDBRecord, KinesisStreamRecord } from 'aws-lambda';
import type { PolledRecord } from './batch-delivery';

/** What every record of one event source mapping shares. */
export interface EventSourceContext {
  readonly eventSourceArn: string;
  readonly awsRegion: string;
  readonly shardId: string;
}

export function kinesisRecord(
  record: KinesisApiRecord,
  source: EventSourceContext & { readonly invokeIdentityArn: string },
): PolledRecord {
  const sequenceNumber = required(record.SequenceNumber, 'SequenceNumber');
  const arrivalMs = record.ApproximateArrivalTimestamp?.getTime() ?? Date.now();
  const event: KinesisStreamRecord = {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: required(record.PartitionKey, 'PartitionKey'),
      sequenceNumber,
      data: Buffer.from(record.Data ?? new Uint8Array()).toString('base64'),
      approximateArrivalTimestamp: arrivalMs / 1000,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `${source.shardId}:${sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: source.invokeIdentityArn,
    awsRegion: source.awsRegion,
    eventSourceARN: source.eventSourceArn,
  };
  return { sequenceNumber, arrivalMs, event, sizeBytes: JSON.stringify(event).length };
}

export function dynamodbRecord(record: StreamsApiRecord, source: EventSourceContext): PolledRecord {
  const change = record.dynamodb ?? {};
  const sequenceNumber = required(change.SequenceNumber, 'dynamodb.SequenceNumber');
  const arrivalMs = change.ApproximateCreationDateTime?.getTime() ?? Date.now();
  const event: DynamoDBRecord = {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: source.awsRegion,
    dynamodb: {
      ApproximateCreationDateTime: Math.floor(arrivalMs / 1000),
      ...(change.Keys && { Keys: image(change.Keys) }),
      ...(change.NewImage && { NewImage: image(change.NewImage) }),
      ...(change.OldImage && { OldImage: image(change.OldImage) }),
      SequenceNumber: sequenceNumber,
      SizeBytes: change.SizeBytes,
      StreamViewType: change.StreamViewType,
    },
    eventSourceARN: source.eventSourceArn,
    ...(record.userIdentity && { userIdentity: { ...record.userIdentity } }),
  };
  return { sequenceNumber, arrivalMs, event, sizeBytes: JSON.stringify(event).length };
}

function image(values: Record<string, StreamsAttributeValue>): Record<string, AttributeValue> {
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, attributeValue(value)]));
}

/** An attribute value as JSON carries it: binary values in base64. */
function attributeValue(value: StreamsAttributeValue): AttributeValue {
  if (value.B !== undefined) return { B: base64(value.B) };
  if (value.BS !== undefined) return { BS: value.BS.map(base64) };
  if (value.L !== undefined) return { L: value.L.map(attributeValue) };
  if (value.M !== undefined) return { M: image(value.M) };
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  if (value.NULL !== undefined) return { NULL: value.NULL };
  if (value.SS !== undefined) return { SS: value.SS };
  if (value.NS !== undefined) return { NS: value.NS };
  throw new Error(`unknown DynamoDB attribute value ${JSON.stringify(value)}`);
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

function required<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new Error(`a stream record without ${name}`);
  return value;
}
