import { clickstreamConfigFrom } from './clickstream-config';

const environment = {
  FIREHOSE_STREAM_NAME: 'ClickstreamFirehose-abc',
  ANALYTICS_TABLE_NAME: 'AnalyticsTable-abc',
  PERSONALIZE_TRACKING_ID: '7f3c8a2e-tracking',
  QUARANTINE_BUCKET_NAME: 'clickstream-lake-abc',
};

describe('the ClickstreamProcessor’s configuration', () => {
  it('names the delivery stream, table, tracker and quarantine bucket from the environment', () => {
    expect(clickstreamConfigFrom(environment)).toEqual({
      firehoseStreamName: 'ClickstreamFirehose-abc',
      analyticsTableName: 'AnalyticsTable-abc',
      personalizeTrackingId: '7f3c8a2e-tracking',
      quarantineBucketName: 'clickstream-lake-abc',
    });
  });

  it('takes an empty tracking id for Personalize not set up yet', () => {
    expect(clickstreamConfigFrom({ ...environment, PERSONALIZE_TRACKING_ID: '' })).not.toHaveProperty(
      'personalizeTrackingId',
    );
  });

  it('fails naming every variable that is missing or empty', () => {
    expect(() => clickstreamConfigFrom({ PERSONALIZE_TRACKING_ID: '', FIREHOSE_STREAM_NAME: '' })).toThrow(
      /FIREHOSE_STREAM_NAME[\s\S]*ANALYTICS_TABLE_NAME[\s\S]*QUARANTINE_BUCKET_NAME/,
    );
  });
});
