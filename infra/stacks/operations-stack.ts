import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/platform-config';
import { CLICKSTREAM_PROCESSOR_SERVICE, type Clickstream } from '../constructs/clickstream';
import type { EcommerceApi } from '../constructs/ecommerce-api';
import { Monitoring } from '../constructs/monitoring';
import { ORDER_PROCESSING_SERVICE, type Orders } from '../constructs/orders';
import { RECOMMENDER_MODELS } from '../constructs/personalization';
import { PLATFORM_METRICS_NAMESPACE } from '../constructs/platform-function';
import {
  PERSONALIZE_MINIMUMS,
  RECOMMENDER_TRAINING_SERVICE,
  TRAINING_METRICS,
  type RecommenderTraining,
} from '../constructs/recommender-training';
import { RECOMMENDATIONS_API_SERVICE, type Recommendations } from '../constructs/recommendations';
import type { ApiStack } from './api-stack';
import type { ClickstreamStack } from './clickstream-stack';
import type { StatefulStack } from './stateful-stack';

export interface OperationsStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  /** Watched: the storefront distribution, the clickstream stream, the orders table. */
  readonly stateful: StatefulStack;
  /**
   * Watched: the REST API (POST /events included), OrderProcessing, OrderIndexer and its DLQ,
   * RecommendationsApi, CoPurchaseCounter and its DLQ.
   */
  readonly api: ApiStack;
  /**
   * Watched: the ClickstreamProcessor, its DLQ and the Firehose delivery stream; its business
   * metrics; the recommender training workflow.
   */
  readonly clickstream: ClickstreamStack;
}

/** The live business metrics the ClickstreamProcessor publishes (EMF), each with its dashboard label. */
export const CLICKSTREAM_BUSINESS_METRICS = {
  ClickstreamEventsProcessed: 'events processed',
  ClickstreamEventsQuarantined: 'events quarantined',
  ProductViews: 'product views',
  AddToCarts: 'add-to-carts',
  Purchases: 'purchases',
  Revenue: 'revenue (cents)',
} as const;

const ONE_MINUTE = Duration.minutes(1);
const FIVE_MINUTES = Duration.minutes(5);

/**
 * The environment's alarm topic and dashboard, with the alarms and graphs of everything the stage
 * runs. It is created after the stacks it watches and depends on them; none depends on it.
 */
export class OperationsStack extends Stack {
  public readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: OperationsStackProps) {
    super(scope, id, props);
    const { stateful } = props;

    this.monitoring = new Monitoring(this, 'Monitoring', {
      title: `E-commerce platform (${props.config.name})`,
      alarmEmail: props.config.alarmEmail,
    });

    // CloudFront publishes its metrics in us-east-1 only, whatever the stage's region.
    const distributionMetric = (metricName: string, statistic: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/CloudFront',
        metricName,
        dimensionsMap: { DistributionId: stateful.website.distribution.distributionId, Region: 'Global' },
        region: 'us-east-1',
        statistic,
        period: FIVE_MINUTES,
      });
    this.monitoring.addSection('Storefront', [
      new cloudwatch.GraphWidget({
        title: 'Requests',
        left: [distributionMetric('Requests', 'Sum')],
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Error rates (%)',
        left: [distributionMetric('4xxErrorRate', 'Average'), distributionMetric('5xxErrorRate', 'Average')],
        width: 12,
      }),
    ]);

    this.watchClickstreamIngest(props.api.api, stateful);
    this.watchClickstreamProcessing(props.clickstream.clickstream, props.config);

    const orders = stateful.ordersTable;
    const ordersOperations = [
      dynamodb.Operation.GET_ITEM,
      dynamodb.Operation.PUT_ITEM,
      dynamodb.Operation.QUERY,
      dynamodb.Operation.UPDATE_ITEM,
      dynamodb.Operation.TRANSACT_WRITE_ITEMS,
    ];
    const systemErrors = orders.metricSystemErrorsForOperations({
      operations: ordersOperations,
      period: FIVE_MINUTES,
    });
    const throttles = orders.metricThrottledRequestsForOperations({
      operations: ordersOperations,
      period: FIVE_MINUTES,
    });
    const ordersAlarms = [
      this.monitoring.alarmWhenAny(
        'OrdersTableSystemErrors',
        systemErrors,
        'DynamoDB answers requests on the orders table with internal errors.',
      ),
      this.monitoring.alarm('OrdersTableThrottled', {
        metric: throttles,
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        alarmDescription: 'Requests on the orders table are throttled.',
      }),
    ];
    this.monitoring.addSection(
      'Orders table',
      [
        new cloudwatch.GraphWidget({
          title: 'Consumed capacity',
          left: [orders.metricConsumedReadCapacityUnits(), orders.metricConsumedWriteCapacityUnits()],
          width: 8,
        }),
        // One expression per graph: both sum per-operation metrics under the same ids.
        new cloudwatch.GraphWidget({ title: 'System errors', left: [systemErrors], width: 8 }),
        new cloudwatch.GraphWidget({ title: 'Throttled requests', left: [throttles], width: 8 }),
      ],
      ordersAlarms,
    );

    this.watchApi(props.api.api, props.api.orders);
    this.watchOrderPipeline(props.api.orders);
    this.watchRecommendations(props.api.recommendations, props.clickstream.recommenderTraining, props.config);
  }

  /**
   * The clickstream's way in: POST /events (its own method-level metrics) and the stream it writes
   * to. Alarms: 5xx answers (Kinesis failing, or the integration broken), a surge of 4xx (malformed
   * events from a storefront release, or throttling), and throttled writes to the stream.
   */
  private watchClickstreamIngest(api: EcommerceApi, stateful: StatefulStack): void {
    const stream = stateful.clickstreamStream;
    const { method } = api.clickstreamIngest;
    const ingestMetric = (metricName: string, statistic: string, label?: string) =>
      method.metric(metricName, api.stage, { statistic, period: FIVE_MINUTES, label });
    // Method-level metrics (enabled on POST /events only); unlabelled for the alarms.
    const serverErrorRate = ingestMetric('5XXError', 'Average');
    const clientErrorRate = ingestMetric('4XXError', 'Average');
    const alarms = [
      this.monitoring.alarm('ClickstreamWritesThrottled', {
        metric: stream.metricPutRecordsThrottledRecords({ statistic: 'Sum', period: FIVE_MINUTES }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        alarmDescription:
          'The clickstream stream refuses writes: events are being rejected. Add shards (capacity.clickstreamShards).',
      }),
      this.monitoring.alarm('ClickstreamIngestServerErrors', {
        metric: serverErrorRate,
        threshold: 0.01,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        alarmDescription:
          'More than 1% of POST /events requests of the last 5 minutes were answered with a 5xx: Kinesis fails ' +
          'or refuses the integration, and clickstream events are lost.',
      }),
      this.monitoring.alarm('ClickstreamIngestClientErrors', {
        metric: clientErrorRate,
        threshold: 0.05,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        alarmDescription:
          'More than 5% of POST /events requests were refused with a 4xx for 15 minutes: the storefront sends ' +
          'events the model refuses, or is throttled (api.eventsRateLimit).',
      }),
    ];
    this.monitoring.addSection(
      'Clickstream ingest (POST /events)',
      [
        new cloudwatch.GraphWidget({
          title: 'Requests and records in',
          left: [ingestMetric('Count', 'Sum', 'requests')],
          right: [
            stream.metricIncomingRecords({ statistic: 'Sum', period: FIVE_MINUTES, label: 'records in' }),
          ],
          width: 6,
        }),
        new cloudwatch.GraphWidget({
          title: '4xx and 5xx rates',
          left: [clientErrorRate.with({ label: '4xx rate' }), serverErrorRate.with({ label: '5xx rate' })],
          width: 6,
        }),
        new cloudwatch.GraphWidget({
          title: 'Latency (ms)',
          left: [ingestMetric('Latency', 'p50', 'p50'), ingestMetric('Latency', 'p99', 'p99')],
          width: 6,
        }),
        new cloudwatch.GraphWidget({
          title: 'Throttled writes',
          left: [stream.metricPutRecordsThrottledRecords({ statistic: 'Sum', period: FIVE_MINUTES })],
          width: 6,
        }),
      ],
      alarms,
    );
  }

  /**
   * The ClickstreamProcessor (errors, throttles, lag, DLQ), the Firehose delivery to the lake, and
   * the live business metrics the processor publishes.
   */
  private watchClickstreamProcessing(clickstream: Clickstream, config: EnvironmentConfig): void {
    const { processor, deadLetterQueue, deliveryStream } = clickstream;
    const iteratorAge = processor.metric('IteratorAge', { statistic: 'Maximum', period: ONE_MINUTE });
    const deadLetters = deadLetterQueue.metricApproximateNumberOfMessagesVisible({
      statistic: 'Maximum',
      period: ONE_MINUTE,
    });
    const dataFreshness = deliveryStream.metric('DeliveryToS3.DataFreshness', {
      statistic: 'Maximum',
      period: FIVE_MINUTES,
    });
    // Firehose writes at least every buffer interval; twice that (and at least a minute) means it is stuck.
    const freshnessThreshold = Math.max(2 * config.clickstream.firehoseBufferSeconds, 60);
    const alarms = [
      this.monitoring.alarmWhenAny(
        'ClickstreamProcessorErrors',
        processor.metricErrors({ statistic: 'Sum', period: FIVE_MINUTES }),
        'ClickstreamProcessor failed whole batches: they are retried, bisected, and reach the lake, the live ' +
          'figures and Personalize late, or end in the DLQ.',
      ),
      this.monitoring.alarmWhenAny(
        'ClickstreamProcessorThrottles',
        processor.metricThrottles({ statistic: 'Sum', period: FIVE_MINUTES }),
        'ClickstreamProcessor invocations are throttled: the clickstream falls behind.',
      ),
      this.monitoring.alarm('ClickstreamProcessorIteratorAge', {
        metric: iteratorAge,
        threshold: 60_000,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        alarmDescription:
          'ClickstreamProcessor lags more than 60 s behind the clickstream (3 of the last 5 minutes): live ' +
          'figures are late. Raise clickstream.batchSize or the shards.',
      }),
      this.monitoring.alarmWhenAny(
        'ClickstreamProcessorDeadLetters',
        deadLetters,
        'Stream batches ClickstreamProcessor gave up on wait in its DLQ: their events are missing from the ' +
          'lake and the live figures. Fix the cause, then replay the shard ranges the messages name.',
      ),
      this.monitoring.alarm('ClickstreamFirehoseDataFreshness', {
        metric: dataFreshness,
        threshold: freshnessThreshold,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        alarmDescription:
          `The oldest record in the ClickstreamFirehose is more than ${freshnessThreshold} s old (twice the ` +
          'buffer interval): Firehose cannot write to the lake. See its error logs and errors/firehose/.',
      }),
    ];
    this.monitoring.addSection(
      'Clickstream processing',
      [
        new cloudwatch.GraphWidget({
          title: 'Processor invocations, errors, throttles',
          left: [
            processor.metricInvocations({ statistic: 'Sum', period: FIVE_MINUTES }),
            processor.metricErrors({ statistic: 'Sum', period: FIVE_MINUTES }),
            processor.metricThrottles({ statistic: 'Sum', period: FIVE_MINUTES }),
          ],
          width: 6,
        }),
        new cloudwatch.GraphWidget({ title: 'Processor iterator age (ms)', left: [iteratorAge], width: 6 }),
        new cloudwatch.GraphWidget({ title: 'Processor DLQ depth', left: [deadLetters], width: 6 }),
        new cloudwatch.GraphWidget({
          title: 'Firehose to the lake',
          left: [
            deliveryStream.metricIncomingRecords({
              statistic: 'Sum',
              period: FIVE_MINUTES,
              label: 'records in',
            }),
            deliveryStream.metric('DeliveryToS3.Records', {
              statistic: 'Sum',
              period: FIVE_MINUTES,
              label: 'records delivered',
            }),
          ],
          right: [dataFreshness],
          width: 6,
        }),
      ],
      alarms,
    );

    const businessMetric = (metricName: keyof typeof CLICKSTREAM_BUSINESS_METRICS) =>
      new cloudwatch.Metric({
        namespace: PLATFORM_METRICS_NAMESPACE,
        metricName,
        // Powertools Metrics adds the service name as the `service` dimension.
        dimensionsMap: { service: CLICKSTREAM_PROCESSOR_SERVICE },
        statistic: 'Sum',
        period: ONE_MINUTE,
        label: CLICKSTREAM_BUSINESS_METRICS[metricName],
      });
    this.monitoring.addSection('Live shop activity (clickstream, per minute)', [
      new cloudwatch.GraphWidget({
        title: 'Product views, add-to-carts, purchases',
        left: [businessMetric('ProductViews'), businessMetric('AddToCarts'), businessMetric('Purchases')],
        width: 8,
      }),
      new cloudwatch.GraphWidget({ title: 'Revenue (cents)', left: [businessMetric('Revenue')], width: 8 }),
      new cloudwatch.GraphWidget({
        title: 'Events processed and quarantined',
        left: [businessMetric('ClickstreamEventsProcessed')],
        right: [businessMetric('ClickstreamEventsQuarantined')],
        width: 8,
      }),
    ]);
  }

  /** Requests, latency and errors of the REST API, and the health of OrderProcessing behind it. */
  private watchApi(api: EcommerceApi, orders: Orders): void {
    const { stage } = api;
    const serverErrorRate = stage.metricServerError({ statistic: 'Average', period: FIVE_MINUTES });
    const orderProcessing = orders.orderProcessing;
    const alarms = [
      this.monitoring.alarm('ApiServerErrorRate', {
        metric: serverErrorRate,
        threshold: 0.01,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        alarmDescription: 'More than 1% of the API requests of the last 5 minutes were answered with a 5xx.',
      }),
      this.monitoring.alarmWhenAny(
        'OrderProcessingErrors',
        orderProcessing.metricErrors({ statistic: 'Sum', period: FIVE_MINUTES }),
        'OrderProcessing failed invocations (unhandled errors or timeouts): the orders API answers 5xx.',
      ),
      this.monitoring.alarmWhenAny(
        'OrderProcessingThrottles',
        orderProcessing.metricThrottles({ statistic: 'Sum', period: FIVE_MINUTES }),
        'OrderProcessing invocations are throttled: shoppers cannot place or read orders.',
      ),
    ];
    this.monitoring.addSection(
      'API',
      [
        new cloudwatch.GraphWidget({
          title: 'Requests',
          left: [stage.metricCount({ statistic: 'Sum', period: FIVE_MINUTES })],
          width: 8,
        }),
        new cloudwatch.GraphWidget({
          title: 'Latency (ms)',
          left: [
            stage.metricLatency({ statistic: 'p50', period: FIVE_MINUTES, label: 'p50' }),
            stage.metricLatency({ statistic: 'p99', period: FIVE_MINUTES, label: 'p99' }),
          ],
          width: 8,
        }),
        new cloudwatch.GraphWidget({
          title: '4xx and 5xx answers',
          left: [
            stage.metricClientError({ statistic: 'Sum', period: FIVE_MINUTES, label: '4xx' }),
            stage.metricServerError({ statistic: 'Sum', period: FIVE_MINUTES, label: '5xx' }),
          ],
          width: 8,
        }),
      ],
      alarms,
    );
  }

  /** Orders placed and their value (EMF metrics of OrderProcessing), and the indexer's lag and failures. */
  private watchOrderPipeline(orders: Orders): void {
    const businessMetric = (metricName: string, label: string) =>
      new cloudwatch.Metric({
        namespace: PLATFORM_METRICS_NAMESPACE,
        metricName,
        // Powertools Metrics adds the service name as the `service` dimension.
        dimensionsMap: { service: ORDER_PROCESSING_SERVICE },
        statistic: 'Sum',
        period: FIVE_MINUTES,
        label,
      });
    const indexer = orders.orderIndexer;
    const iteratorAge = indexer.metric('IteratorAge', { statistic: 'Maximum', period: ONE_MINUTE });
    const deadLetters = orders.indexerDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
      statistic: 'Maximum',
      period: ONE_MINUTE,
    });
    const alarms = [
      this.monitoring.alarmWhenAny(
        'OrderIndexerErrors',
        indexer.metricErrors({ statistic: 'Sum', period: FIVE_MINUTES }),
        'OrderIndexer failed whole batches: orders are retried, and reach search late or not at all.',
      ),
      this.monitoring.alarm('OrderIndexerIteratorAge', {
        metric: iteratorAge,
        threshold: 60_000,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        alarmDescription:
          'OrderIndexer lags more than 60 s behind the orders stream (3 of the last 5 minutes): search misses new orders.',
      }),
      this.monitoring.alarmWhenAny(
        'OrderIndexerDeadLetters',
        deadLetters,
        'Stream batches OrderIndexer gave up on wait in its DLQ: those orders are not searchable. Fix the cause, ' +
          'then re-index them from the orders table.',
      ),
    ];
    this.monitoring.addSection(
      'Order pipeline',
      [
        new cloudwatch.GraphWidget({
          title: 'Orders placed',
          left: [businessMetric('OrdersPlaced', 'orders placed')],
          width: 6,
        }),
        new cloudwatch.GraphWidget({
          title: 'Order value',
          left: [businessMetric('OrderValue', 'order value')],
          width: 6,
        }),
        new cloudwatch.GraphWidget({ title: 'Indexer iterator age (ms)', left: [iteratorAge], width: 6 }),
        new cloudwatch.GraphWidget({ title: 'Indexer DLQ depth', left: [deadLetters], width: 6 }),
      ],
      alarms,
    );
  }

  /**
   * Recommendations: the API's errors and throttles, its answers by source, its fallback rate and
   * Personalize's latency (EMF metrics, namespace `EcommercePlatform`, dimension
   * `service=recommendations-api` and `type`); the co-purchase counter (errors, lag, DLQ); and the
   * training workflow (failed runs, and the interactions it counted against Personalize's minimums).
   *
   * The fallback-rate alarm (when the config sets a threshold: prod) is on each kind of
   * recommendation a model serves, and counts only the 5-minute periods in which the API called
   * Personalize for it: `IF(calls > 0, fallbackRate, 0)`, where `calls` is the sample count of
   * `PersonalizeLatency`, recorded for every GetRecommendations call, failed and cut short ones
   * included, and only once an SSM parameter names a campaign. So it stays quiet until a campaign
   * exists (the live data answering then is no fallback), and still fires when Personalize fails on
   * every call. Periods without any call are missing data, not breaching.
   */
  private watchRecommendations(
    recommendations: Recommendations,
    training: RecommenderTraining,
    config: EnvironmentConfig,
  ): void {
    const api = recommendations.recommendationsApi;
    const counter = recommendations.coPurchaseCounter;
    const apiMetric = (metricName: string, statistic: string, type: string) =>
      new cloudwatch.Metric({
        namespace: PLATFORM_METRICS_NAMESPACE,
        metricName,
        // Powertools Metrics adds the service name as the `service` dimension, the handler the `type`.
        dimensionsMap: { service: RECOMMENDATIONS_API_SERVICE, type },
        statistic,
        period: FIVE_MINUTES,
      });
    const iteratorAge = counter.metric('IteratorAge', { statistic: 'Maximum', period: ONE_MINUTE });
    const deadLetters = recommendations.counterDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
      statistic: 'Maximum',
      period: ONE_MINUTE,
    });
    const failedRuns = new cloudwatch.MathExpression({
      expression: 'failed + timedOut + aborted',
      usingMetrics: {
        failed: training.stateMachine.metricFailed({ statistic: 'Sum', period: FIVE_MINUTES }),
        timedOut: training.stateMachine.metricTimedOut({ statistic: 'Sum', period: FIVE_MINUTES }),
        aborted: training.stateMachine.metricAborted({ statistic: 'Sum', period: FIVE_MINUTES }),
      },
      period: FIVE_MINUTES,
      label: 'failed, timed out or stopped runs',
    });

    const alarms = [
      this.monitoring.alarmWhenAny(
        'RecommendationsApiErrors',
        api.metricErrors({ statistic: 'Sum', period: FIVE_MINUTES }),
        'RecommendationsApi failed invocations (unhandled errors or timeouts): GET /recommendations answers 5xx.',
      ),
      this.monitoring.alarmWhenAny(
        'RecommendationsApiThrottles',
        api.metricThrottles({ statistic: 'Sum', period: FIVE_MINUTES }),
        'RecommendationsApi invocations are throttled: shoppers get no recommendations.',
      ),
      this.monitoring.alarmWhenAny(
        'CoPurchaseCounterErrors',
        counter.metricErrors({ statistic: 'Sum', period: FIVE_MINUTES }),
        'CoPurchaseCounter failed whole batches: orders are retried, and reach the bought-together counts late ' +
          'or not at all.',
      ),
      this.monitoring.alarm('CoPurchaseCounterIteratorAge', {
        metric: iteratorAge,
        threshold: 60_000,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        alarmDescription:
          'CoPurchaseCounter lags more than 60 s behind the orders stream (3 of the last 5 minutes): ' +
          'bought-together misses new orders.',
      }),
      this.monitoring.alarmWhenAny(
        'CoPurchaseCounterDeadLetters',
        deadLetters,
        'Stream batches CoPurchaseCounter gave up on wait in its DLQ: those orders are not counted. Fix the ' +
          'cause (the error log names each poison record), then replay the shard ranges the messages name.',
      ),
      this.monitoring.alarmWhenAny(
        'RecommenderTrainingFailed',
        failedRuns,
        'A run of the recommender training workflow failed, timed out or was stopped: the models were not ' +
          'retrained (the campaigns keep serving the previous ones). Its Failed state names the step and the cause.',
      ),
    ];

    const threshold = config.recommendations.fallbackAlarmThreshold;
    if (threshold !== undefined) {
      for (const { type } of RECOMMENDER_MODELS) {
        alarms.push(
          this.monitoring.alarm(`RecommendationFallbackRate-${type}`, {
            metric: new cloudwatch.MathExpression({
              expression: 'IF(calls > 0, fallbackRate, 0)',
              usingMetrics: {
                calls: apiMetric('PersonalizeLatency', 'SampleCount', type),
                fallbackRate: apiMetric('RecommendationFallback', 'Average', type),
              },
              period: FIVE_MINUTES,
              label: `${type} fallback rate while its campaign is called`,
            }),
            threshold,
            comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
            evaluationPeriods: 3,
            datapointsToAlarm: 3,
            alarmDescription:
              `More than ${threshold * 100}% of the ${type} recommendations fell back from the Personalize ` +
              'campaign to the live data for 15 minutes: the campaign fails, is slow (600 ms per call), or ' +
              'answers nothing usable. See the PersonalizeLatency metric and the "A recommendation source" ' +
              'warnings in the RecommendationsApi logs.',
          }),
        );
      }
    }

    // Every `type` (and `source`) the API has published so far, without listing them here.
    const byType = (metricName: string, statistic: string, dimensions: string, label: string) =>
      new cloudwatch.MathExpression({
        expression:
          `SEARCH('{${PLATFORM_METRICS_NAMESPACE},${dimensions}} MetricName="${metricName}" ` +
          `service="${RECOMMENDATIONS_API_SERVICE}"', '${statistic}', 300)`,
        period: FIVE_MINUTES,
        label,
      });
    const trainingMetric = (metricName: keyof typeof TRAINING_METRICS) =>
      new cloudwatch.Metric({
        namespace: PLATFORM_METRICS_NAMESPACE,
        metricName,
        dimensionsMap: { service: RECOMMENDER_TRAINING_SERVICE },
        statistic: 'Maximum',
        period: Duration.days(1),
        label: TRAINING_METRICS[metricName],
      });
    this.monitoring.addSection(
      'Recommendations',
      [
        new cloudwatch.GraphWidget({
          title: 'Answers by type and source',
          left: [byType('RecommendationsServed', 'Sum', 'service,type,source', 'answers')],
          width: 6,
        }),
        new cloudwatch.GraphWidget({
          title: 'Fallback rate by type',
          left: [byType('RecommendationFallback', 'Average', 'service,type', 'fallback rate')],
          leftYAxis: { min: 0, max: 1 },
          width: 6,
        }),
        new cloudwatch.GraphWidget({
          title: 'Personalize latency p99 (ms)',
          left: [byType('PersonalizeLatency', 'p99', 'service,type', 'p99')],
          width: 6,
        }),
        new cloudwatch.GraphWidget({
          title: 'API errors, co-purchase counter lag (ms) and DLQ',
          left: [api.metricErrors({ statistic: 'Sum', period: FIVE_MINUTES }), deadLetters],
          right: [iteratorAge],
          width: 6,
        }),
        new cloudwatch.GraphWidget({
          title: 'Training: interactions against the minimums',
          left: [trainingMetric('TrainingInteractions')],
          right: [trainingMetric('TrainingUsersWithTwoInteractions')],
          leftAnnotations: [{ value: PERSONALIZE_MINIMUMS.interactions, label: 'minimum interactions' }],
          rightAnnotations: [
            { value: PERSONALIZE_MINIMUMS.usersWithTwoInteractions, label: 'minimum shoppers with 2+' },
          ],
          width: 12,
        }),
        new cloudwatch.GraphWidget({
          title: 'Training runs',
          left: [
            training.stateMachine.metricSucceeded({ statistic: 'Sum', period: Duration.days(1) }),
            trainingMetric('TrainingSkipped').with({ statistic: 'Sum' }),
            failedRuns.with({ period: Duration.days(1) }),
          ],
          width: 12,
        }),
      ],
      alarms,
    );
  }
}
