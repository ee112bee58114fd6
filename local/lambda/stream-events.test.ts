import { dynamodbRecord, kinesisRecord } from './stream-events';

describe('kinesisRecord', () => {
  it('shapes a Kinesis record as Lambda puts it in a KinesisStreamEvent', () => {
    const polled = kinesisRecord(
      {
        SequenceNumber: '4968',
        PartitionKey: 'session-1',
        Data: Buffer.from('{"type":"page_view"}'),
        ApproximateArrivalTimestamp: new Date(1_700_000_000_123),
      },
      {
        shardId: 'shardId-000000000001',
        eventSourceArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/dev-Clicks',
        awsRegion: 'us-east-1',
        invokeIdentityArn: 'arn:aws:iam::000000000000:role/dev-Processor-role',
      },
    );

    expect(polled.sequenceNumber).toBe('4968');
    expect(polled.arrivalMs).toBe(1_700_000_000_123);
    expect(polled.event).toEqual({
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: 'session-1',
        sequenceNumber: '4968',
        data: Buffer.from('{"type":"page_view"}').toString('base64'),
        approximateArrivalTimestamp: 1_700_000_000.123,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: 'shardId-000000000001:4968',
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: 'arn:aws:iam::000000000000:role/dev-Processor-role',
      awsRegion: 'us-east-1',
      eventSourceARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/dev-Clicks',
    });
    expect(polled.sizeBytes).toBe(JSON.stringify(polled.event).length);
  });
});

describe('dynamodbRecord', () => {
  it('shapes a DynamoDB stream record as Lambda puts it in a DynamoDBStreamEvent', () => {
    const polled = dynamodbRecord(
      {
        eventID: 'e-1',
        eventName: 'MODIFY',
        eventSource: 'aws:dynamodb',
        awsRegion: 'ddblocal',
        dynamodb: {
          ApproximateCreationDateTime: new Date(1_700_000_000_000),
          Keys: { orderId: { S: 'o-1' } },
          NewImage: {
            orderId: { S: 'o-1' },
            total: { N: '1200' },
            tags: { SS: ['gift'] },
            blob: { B: Buffer.from('hi') },
            lines: { L: [{ M: { sku: { S: 'p-1' }, code: { BS: [Buffer.from('x')] } } }] },
            paid: { BOOL: true },
            note: { NULL: true },
          },
          OldImage: { orderId: { S: 'o-1' }, total: { N: '1000' } },
          SequenceNumber: '000000000000000000002',
          SizeBytes: 42,
          StreamViewType: 'NEW_AND_OLD_IMAGES',
        },
      },
      {
        shardId: 'shardId-00000001',
        eventSourceArn: 'arn:aws:dynamodb:ddblocal:000000000000:table/orders/stream/2026-01-01T00:00:00.000',
        awsRegion: 'us-east-1',
      },
    );

    expect(polled.sequenceNumber).toBe('000000000000000000002');
    expect(polled.event).toEqual({
      eventID: 'e-1',
      eventName: 'MODIFY',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'us-east-1',
      dynamodb: {
        ApproximateCreationDateTime: 1_700_000_000,
        Keys: { orderId: { S: 'o-1' } },
        NewImage: {
          orderId: { S: 'o-1' },
          total: { N: '1200' },
          tags: { SS: ['gift'] },
          blob: { B: 'aGk=' },
          lines: { L: [{ M: { sku: { S: 'p-1' }, code: { BS: ['eA=='] } } }] },
          paid: { BOOL: true },
          note: { NULL: true },
        },
        OldImage: { orderId: { S: 'o-1' }, total: { N: '1000' } },
        SequenceNumber: '000000000000000000002',
        SizeBytes: 42,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
      eventSourceARN: 'arn:aws:dynamodb:ddblocal:000000000000:table/orders/stream/2026-01-01T00:00:00.000',
    });
  });
});
