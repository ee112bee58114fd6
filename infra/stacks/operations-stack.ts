import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/platform-config';
import { Monitoring } from '../constructs/monitoring';
import type { StatefulStack } from './stateful-stack';

export interface OperationsStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  readonly stateful: StatefulStack;
}

const FIVE_MINUTES = Duration.minutes(5);

/**
 * The environment's alarm topic and dashboard, with the alarms and graphs of the stateful
 * resources. The stacks of the APIs and stream consumers add theirs through `monitoring`.
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
  }
}
