import { lambdaContext } from '../../testing/api-gateway-event';
import {
  startClickstreamTestPlatform,
  type ClickstreamTestPlatform,
} from '../testing/clickstream-test-platform';
import { expectedAggregates, storedAggregates } from '../testing/expected-aggregates';
import { kinesisEvent } from '../testing/kinesis-test-stream';
import { malformedData, recentDay, recordData, shopTraffic } from '../testing/shop-traffic';

/** The deployed entry point, configured only through its environment as Lambda runs it. */
describe('the ClickstreamProcessor wired from its environment', () => {
  let platform: ClickstreamTestPlatform;
  const originalEnv = process.env;

  beforeAll(async () => {
    platform = await startClickstreamTestPlatform();
  });

  afterAll(async () => {
    await platform.stop();
  });

  afterEach(() => {
    process.env = originalEnv;
  });

  function functionEnvironment(variables: Record<string, string>) {
    process.env = {
      ...originalEnv,
      // The SDK's standard variables point every client at this machine, with no code change.
      AWS_ENDPOINT_URL_FIREHOSE: platform.endpoints.firehose,
      AWS_ENDPOINT_URL_PERSONALIZE_EVENTS: platform.endpoints.personalizeEvents,
      AWS_ENDPOINT_URL_DYNAMODB: platform.endpoints.dynamodb,
      AWS_ENDPOINT_URL_S3: platform.endpoints.s3,
      AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
      AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
      ...variables,
    };
  }

  it('sends each batch to the delivery stream, tracker, table and bucket its environment names', async () => {
    const day = recentDay(1);
    const traffic = shopTraffic({ events: 200, sessions: 20, start: new Date(`${day}T09:00:00.000Z`) });
    const stream = await platform.createStream();
    await stream.put([
      ...traffic.map((e) => ({ data: recordData(e), partitionKey: e.event.sessionId })),
      { data: malformedData.notJson(), partitionKey: 'bad' },
    ]);
    const records = await stream.read();
    functionEnvironment({
      FIREHOSE_STREAM_NAME: platform.config.firehoseStreamName,
      ANALYTICS_TABLE_NAME: platform.config.analyticsTableName,
      PERSONALIZE_TRACKING_ID: 'tracking-from-env',
      QUARANTINE_BUCKET_NAME: platform.config.quarantineBucketName,
    });

    await jest.isolateModulesAsync(async () => {
      const { handler } = await import('./clickstream-processor');

      expect(await handler(kinesisEvent(records), lambdaContext('clickstream-processor'))).toEqual({
        batchItemFailures: [],
      });
    });
    expect(platform.deliveredEvents()).toHaveLength(200);
    expect(platform.personalize.calls.length).toBeGreaterThan(0);
    expect(platform.personalize.calls.every((call) => call.trackingId === 'tracking-from-env')).toBe(true);
    expect(storedAggregates(await platform.aggregatesOf(day))).toEqual(expectedAggregates(traffic));
    const quarantined = [...(await platform.quarantine()).values()].flat();
    expect(quarantined.map((line) => line.sequenceNumber)).toContain(records.at(-1)!.kinesis.sequenceNumber);
  });

  it('fails its first invocation naming each missing variable', async () => {
    functionEnvironment({ FIREHOSE_STREAM_NAME: 'lake', ANALYTICS_TABLE_NAME: 'aggregates' });

    await jest.isolateModulesAsync(async () => {
      const { handler } = await import('./clickstream-processor');

      await expect(handler(kinesisEvent([]), lambdaContext('clickstream-processor'))).rejects.toThrow(
        /PERSONALIZE_TRACKING_ID[\s\S]*QUARANTINE_BUCKET_NAME/,
      );
    });
  });
});
