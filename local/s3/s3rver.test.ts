import * as fs from 'node:fs';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { localS3Client, startS3rver, type S3rver } from './s3rver';

describe('s3rver', () => {
  let s3rver: S3rver;
  let s3: S3Client;

  beforeAll(async () => {
    s3rver = await startS3rver({ buckets: ['lake'] });
    s3 = localS3Client(s3rver.endpoint);
  });

  afterAll(async () => {
    s3.destroy();
    await s3rver.stop();
  });

  it('stores an object in a bucket created at start and gives back the same bytes', async () => {
    const body = '{"a":1}\n{"b":"quote \\" and newline"}\n';
    await s3.send(new PutObjectCommand({ Bucket: 'lake', Key: 'errors/x.ndjson', Body: body }));

    const object = await s3.send(new GetObjectCommand({ Bucket: 'lake', Key: 'errors/x.ndjson' }));

    expect(await object.Body?.transformToString()).toBe(body);
  });

  it('lists past the first page with a continuation token', async () => {
    for (let index = 0; index < 5; index++) {
      await s3.send(new PutObjectCommand({ Bucket: 'lake', Key: `paged/${index}`, Body: String(index) }));
    }

    const first = await s3.send(new ListObjectsV2Command({ Bucket: 'lake', Prefix: 'paged/', MaxKeys: 2 }));
    const second = await s3.send(
      new ListObjectsV2Command({
        Bucket: 'lake',
        Prefix: 'paged/',
        MaxKeys: 2,
        ContinuationToken: first.NextContinuationToken,
      }),
    );

    expect(first.IsTruncated).toBe(true);
    expect(second.Contents?.map((object) => object.Key)).toEqual(['paged/2', 'paged/3']);
  });

  it('accepts requests signed with the extra access keys it was given, and refuses unknown ones', async () => {
    const other = await startS3rver({
      buckets: ['lake'],
      credentials: [{ accessKeyId: 'test', secretAccessKey: 'test' }],
    });
    const clientWith = (accessKeyId: string) =>
      new S3Client({
        endpoint: other.endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId, secretAccessKey: accessKeyId },
        forcePathStyle: true,
      });
    const known = clientWith('test');
    const unknown = clientWith('stranger');
    try {
      await known.send(new PutObjectCommand({ Bucket: 'lake', Key: 'a', Body: 'a' }));
      await expect(
        unknown.send(new PutObjectCommand({ Bucket: 'lake', Key: 'b', Body: 'b' })),
      ).rejects.toMatchObject({
        name: 'InvalidAccessKeyId',
      });
    } finally {
      known.destroy();
      unknown.destroy();
      await other.stop();
    }
  });

  it('deletes its temporary data folder when stopped', async () => {
    const other = await startS3rver();

    await other.stop();

    expect(fs.existsSync(other.directory)).toBe(false);
  });
});
