import { gunzipSync } from 'node:zlib';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { localS3Client, startS3rver, type S3rver } from '../s3/s3rver';
import { expandPrefix, objectKey, startS3Delivery, type S3Destination } from './s3-delivery';

const at = new Date('2026-03-04T05:06:07Z');

describe('Firehose prefixes', () => {
  it('expands timestamp expressions in UTC', () => {
    expect(
      expandPrefix(
        'clickstream/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/',
        at,
      ),
    ).toBe('clickstream/year=2026/month=03/day=04/hour=05/');
    expect(expandPrefix('!{timestamp:yyyy-MM-dd}/', at)).toBe('2026-03-04/');
  });

  it('refuses an expression it does not know, naming it', () => {
    expect(() => expandPrefix('x/!{partitionKeyFromQuery:customer}/', at)).toThrow(
      'Firehose prefix expression !{partitionKeyFromQuery:customer} is not supported locally',
    );
  });

  it('names objects as Firehose does', () => {
    const destination = {
      deliveryStreamName: 'dev-Lake',
      prefix: 'p/',
      compression: 'GZIP',
    } as S3Destination;
    expect(objectKey(destination, at)).toMatch(/^p\/dev-Lake-1-2026-03-04-05-06-07-[0-9a-f-]{36}\.gz$/);
  });
});

describe('S3 delivery against s3rver', () => {
  let s3rver: S3rver;
  const s3 = () => localS3Client(s3rver.endpoint);
  const destination: S3Destination = {
    deliveryStreamName: 'dev-Lake',
    bucketName: 'lake',
    prefix: 'events/!{timestamp:yyyy}/',
    compression: 'GZIP',
    bufferIntervalSeconds: 0.2,
    bufferSizeMiB: 1,
  };

  beforeAll(async () => {
    s3rver = await startS3rver();
    await s3().send(new CreateBucketCommand({ Bucket: 'lake' }));
  });
  afterAll(() => s3rver.stop());

  const objects = async () => {
    const { Contents = [] } = await s3().send(new ListObjectsV2Command({ Bucket: 'lake' }));
    return Promise.all(
      Contents.map(async ({ Key }) => {
        const object = await s3().send(new GetObjectCommand({ Bucket: 'lake', Key }));
        return { key: Key!, body: gunzipSync(await object.Body!.transformToByteArray()).toString('utf8') };
      }),
    );
  };

  it('writes the records of one buffer interval as one gzipped object, concatenated in order', async () => {
    const delivery = startS3Delivery(s3(), [destination]);
    await delivery.add('dev-Lake', [Buffer.from('{"a":1}\n'), Buffer.from('{"a":2}\n')]);
    await delivery.add('dev-Lake', [Buffer.from('{"a":3}\n')]);
    expect(await objects()).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 600));
    await delivery.stop();

    const written = await objects();
    expect(written).toEqual([
      {
        key: expect.stringMatching(new RegExp(`^events/${new Date().getUTCFullYear()}/dev-Lake-1-`)),
        body: '{"a":1}\n{"a":2}\n{"a":3}\n',
      },
    ]);
  });

  it('refuses records for a delivery stream it does not know', async () => {
    const delivery = startS3Delivery(s3(), [destination]);
    await expect(delivery.add('other', [Buffer.from('x')])).rejects.toThrow(
      'No delivery stream named other (known: dev-Lake)',
    );
    await delivery.stop();
  });
});
