import { Duration, Size, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { logRetentionOf, removalPolicyOf } from '../config/cdk-settings';
import type { EnvironmentConfig } from '../config/platform-config';
import { AnalyticsLake } from '../constructs/analytics-lake';
import { Clickstream, LAKE_EVENTS_PREFIX } from '../constructs/clickstream';
import { EventTracker } from '../constructs/personalization';
import type { StatefulStack } from './stateful-stack';

export interface ClickstreamStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  /** The stream, lake bucket, analytics table and Personalize dataset group the clickstream uses. */
  readonly stateful: StatefulStack;
}

/**
 * What consumes the clickstream once `POST /events` (in the API stack) has written it to the
 * stream: the recommender's event tracker, the ClickstreamProcessor with its DLQ, the Firehose
 * delivery stream to the lake, and the Glue table, Athena workgroup and saved query over the lake.
 * Stateless: the stream, the lake, the aggregates table and the dataset group live in the stateful
 * stack. It depends on that stack only; the API does not depend on it.
 */
export class ClickstreamStack extends Stack {
  public readonly eventTracker: EventTracker;
  public readonly clickstream: Clickstream;
  public readonly lake: AnalyticsLake;

  constructor(scope: Construct, id: string, props: ClickstreamStackProps) {
    super(scope, id, props);
    const { config, stateful } = props;

    this.eventTracker = new EventTracker(this, 'EventTracker', { interactions: stateful.personalization });

    this.clickstream = new Clickstream(this, 'Clickstream', {
      stream: stateful.clickstreamStream,
      bucket: stateful.clickstreamBucket,
      analyticsTable: stateful.analyticsTable,
      eventTracker: this.eventTracker,
      batchSize: config.clickstream.batchSize,
      maxBatchingWindow: Duration.seconds(config.clickstream.maxBatchingWindowSeconds),
      firehoseBufferInterval: Duration.seconds(config.clickstream.firehoseBufferSeconds),
      firehoseBufferSize: Size.mebibytes(config.clickstream.firehoseBufferMiB),
      logRetention: logRetentionOf(config),
      logRemovalPolicy: removalPolicyOf(config),
    });

    this.lake = new AnalyticsLake(this, 'AnalyticsLake', {
      bucket: stateful.clickstreamBucket,
      eventsPrefix: LAKE_EVENTS_PREFIX,
    });
  }
}
