import { CfnOutput, Duration, Size, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { logRetentionOf, removalPolicyOf } from '../config/cdk-settings';
import type { EnvironmentConfig } from '../config/platform-config';
import { AnalyticsLake } from '../constructs/analytics-lake';
import { Clickstream, FIREHOSE_DATA_PREFIX, LAKE_EVENTS_PREFIX } from '../constructs/clickstream';
import { EventTracker } from '../constructs/personalization';
import { RecommenderTraining } from '../constructs/recommender-training';
import type { StatefulStack } from './stateful-stack';

export interface ClickstreamStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  /** The stream, lake bucket, analytics table and Personalize dataset group the clickstream uses. */
  readonly stateful: StatefulStack;
}

/**
 * What consumes the clickstream once `POST /events` (in the API stack) has written it to the
 * stream: the recommender's event tracker, the ClickstreamProcessor with its DLQ, the Firehose
 * delivery stream to the lake, the Glue table, Athena workgroup and saved query over the lake, and
 * the recommender training workflow that learns from the lake. Stateless: the stream, the lake, the aggregates table and the dataset group live in the stateful
 * stack. It depends on that stack only; the API does not depend on it.
 */
export class ClickstreamStack extends Stack {
  public readonly eventTracker: EventTracker;
  public readonly clickstream: Clickstream;
  public readonly lake: AnalyticsLake;
  /** Trains the recommendation models from the lake, on a schedule, and deploys them as campaigns. */
  public readonly recommenderTraining: RecommenderTraining;
  /** What a client of the environment needs to find its events in the lake (read by the integration tests). */
  public readonly outputs: {
    /**
     * Where Firehose writes the clickstream in the lake bucket, as Firehose's own prefix expression
     * (`clickstream/year=!{timestamp:yyyy}/...`), so a reader expands exactly what Firehose does.
     */
    readonly lakePrefix: CfnOutput;
  };

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
    this.recommenderTraining = new RecommenderTraining(this, 'RecommenderTraining', {
      interactions: stateful.personalization,
      bucket: stateful.clickstreamBucket,
      lake: this.lake,
      schedule: config.recommendations.training.schedule,
      scheduleEnabled: config.recommendations.training.enabled,
      campaignMinProvisionedTps: config.recommendations.campaignMinProvisionedTps,
      logRetention: logRetentionOf(config),
      logRemovalPolicy: removalPolicyOf(config),
    });
    this.outputs = {
      lakePrefix: new CfnOutput(this, 'ClickstreamLakePrefix', {
        value: FIREHOSE_DATA_PREFIX,
        description:
          'Where Firehose writes the clickstream in the lake (a Firehose prefix expression, UTC hours)',
      }),
    };
  }
}
