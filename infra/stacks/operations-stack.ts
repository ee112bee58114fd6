import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/platform-config';
import type { EcommerceApi } from '../constructs/ecommerce-api';
import { Monitoring } from '../constructs/monitoring';
import { ORDER_PROCESSING_SERVICE, type Orders } from '../constructs/orders';
import { PLATFORM_METRICS_NAMESPACE } from '../constructs/platform-function';
import type { ApiStack } from './api-stack';
import type { StatefulStack } from './stateful-stack';

export interface OperationsStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  /** Watched: the storefront distribution, the clickstream stream, the orders table. */
  readonly stateful: StatefulStack;
  /** Watched: the REST API, OrderProcessing, OrderIndexer and its DLQ. */
  readonly api: ApiStack;
}

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

    const stream = stateful.clickstreamStream;
    const throttledWrites = this.monitoring.alarm('ClickstreamWritesThrottled', {
      metric: stream.metricPutRecordsThrottledRecords({ statistic: 'Sum', period: FIVE_MINUTES }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      alarmDescription:
        'The clickstream stream refuses writes: events are being rejected. Add shards (capacity.clickstreamShards).',
    });
    this.monitoring.addSection(
      'Clickstream',
      [
        new cloudwatch.GraphWidget({
          title: 'Records in',
          left: [stream.metricIncomingRecords({ statistic: 'Sum', period: FIVE_MINUTES })],
          width: 12,
        }),
        new cloudwatch.GraphWidget({
          title: 'Throttled writes',
          left: [stream.metricPutRecordsThrottledRecords({ statistic: 'Sum', period: FIVE_MINUTES })],
          width: 12,
        }),
      ],
      [throttledWrites],
    );

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
      this.monitoring.alarm('OrdersTableSystemErrors', {
        metric: systemErrors,
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        alarmDescription: 'DynamoDB answers requests on the orders table with internal errors.',
      }),
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
      this.monitoring.alarm('OrderProcessingErrors', {
        metric: orderProcessing.metricErrors({ statistic: 'Sum', period: FIVE_MINUTES }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        alarmDescription:
          'OrderProcessing failed invocations (unhandled errors or timeouts): the orders API answers 5xx.',
      }),
      this.monitoring.alarm('OrderProcessingThrottles', {
        metric: orderProcessing.metricThrottles({ statistic: 'Sum', period: FIVE_MINUTES }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        alarmDescription: 'OrderProcessing invocations are throttled: shoppers cannot place or read orders.',
      }),
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
      this.monitoring.alarm('OrderIndexerErrors', {
        metric: indexer.metricErrors({ statistic: 'Sum', period: FIVE_MINUTES }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        alarmDescription:
          'OrderIndexer failed whole batches: orders are retried, and reach search late or not at all.',
      }),
      this.monitoring.alarm('OrderIndexerIteratorAge', {
        metric: iteratorAge,
        threshold: 60_000,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        alarmDescription:
          'OrderIndexer lags more than 60 s behind the orders stream (3 of the last 5 minutes): search misses new orders.',
      }),
      this.monitoring.alarm('OrderIndexerDeadLetters', {
        metric: deadLetters,
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        alarmDescription:
          'Stream batches OrderIndexer gave up on wait in its DLQ: those orders are not searchable. Fix the cause, ' +
          'then re-index them from the orders table.',
      }),
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
}
