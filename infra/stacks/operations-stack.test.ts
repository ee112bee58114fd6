import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildTestPlatform, cdkJsonPlatformConfig } from '../testing/platform-app';

const { stages } = buildTestPlatform();
const template = Template.fromStack(stages.dev.operations);

describe('OperationsStack', () => {
  it('sends alarms to an encrypted topic that CloudWatch may publish to', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      }),
    });
  });

  it('subscribes the alarm email of the environment', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'platform-alerts@example.com',
    });
  });

  it('subscribes nobody when the environment has no alarm email', () => {
    const config = cdkJsonPlatformConfig();
    delete config.environments.dev.alarmEmail;
    const withoutEmail = Template.fromStack(buildTestPlatform(config).stages.dev.operations);
    withoutEmail.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('notifies the topic when any alarm fires or recovers', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBeGreaterThanOrEqual(3);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([
        { Ref: expect.stringMatching(/^MonitoringAlarmTopic/) },
      ]);
      expect(alarm.Properties.OKActions).toEqual(alarm.Properties.AlarmActions);
      expect(alarm.Properties.TreatMissingData).toBe('notBreaching');
      expect(alarm.Properties.AlarmDescription).toEqual(expect.any(String));
    }
  });

  it('alarms on throttled clickstream writes and on orders table errors and throttles', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'PutRecords.ThrottledRecords',
      Namespace: 'AWS/Kinesis',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    const expressions = Object.values(template.findResources('AWS::CloudWatch::Alarm'))
      .flatMap((alarm) => alarm.Properties.Metrics ?? [])
      .map(
        (metric: { MetricStat?: { Metric: { MetricName: string } } }) => metric.MetricStat?.Metric.MetricName,
      )
      .filter(Boolean);
    expect(new Set(expressions)).toEqual(new Set(['SystemErrors', 'ThrottledRequests']));
  });

  describe('alarms of the API and the order pipeline', () => {
    const alarms = Object.entries(template.findResources('AWS::CloudWatch::Alarm'));
    const alarm = (idPrefix: string) => {
      const found = alarms.find(([id]) => id.startsWith(`Monitoring${idPrefix}`));
      expect(found).toBeDefined();
      return found![1].Properties;
    };
    const dimension = (properties: any) => JSON.stringify(properties.Dimensions);

    it('alarms when more than 1% of API requests fail with a 5xx over 5 minutes', () => {
      expect(alarm('ApiServerErrorRate')).toMatchObject({
        Namespace: 'AWS/ApiGateway',
        MetricName: '5XXError',
        Statistic: 'Average',
        Period: 300,
        Threshold: 0.01,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 1,
      });
      expect(dimension(alarm('ApiServerErrorRate'))).toContain('EcommerceApiRestApiDeploymentStage');
    });

    it('alarms on OrderProcessing errors and throttles, and OrderIndexer errors', () => {
      for (const [id, metricName, fn] of [
        ['OrderProcessingErrors', 'Errors', 'OrdersOrderProcessing'],
        ['OrderProcessingThrottles', 'Throttles', 'OrdersOrderProcessing'],
        ['OrderIndexerErrors', 'Errors', 'OrdersOrderIndexer'],
      ]) {
        expect(alarm(id!)).toMatchObject({
          Namespace: 'AWS/Lambda',
          MetricName: metricName,
          Statistic: 'Sum',
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
        });
        expect(dimension(alarm(id!))).toContain(`PublishOutputRef${fn}`);
      }
    });

    it('alarms when OrderIndexer lags more than 60 s behind the orders stream for 3 of 5 minutes', () => {
      expect(alarm('OrderIndexerIteratorAge')).toMatchObject({
        Namespace: 'AWS/Lambda',
        MetricName: 'IteratorAge',
        Statistic: 'Maximum',
        Period: 60,
        Threshold: 60000,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 5,
        DatapointsToAlarm: 3,
      });
    });

    it('alarms as soon as a message waits in the indexer DLQ', () => {
      expect(alarm('OrderIndexerDeadLetters')).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
      });
      expect(dimension(alarm('OrderIndexerDeadLetters'))).toContain('OrdersIndexerDeadLetterQueue');
    });
  });

  it('is deployed after the stacks it watches, and none of them depends on it', () => {
    const stage = stages.dev;
    expect(stage.operations.dependencies).toEqual(expect.arrayContaining([stage.stateful, stage.api]));
    for (const watched of [stage.stateful, stage.api, stage.websiteContent]) {
      expect(watched.dependencies).not.toContain(stage.operations);
    }
    expect(stage.api.dependencies).toEqual([stage.stateful]);
  });

  it('draws the business metrics of OrderProcessing from its EMF namespace and service dimension', () => {
    const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    const body = JSON.stringify(dashboard!.Properties.DashboardBody);
    for (const metric of ['OrdersPlaced', 'OrderValue']) {
      expect(body).toContain(`\\"EcommercePlatform\\",\\"${metric}\\",\\"service\\",\\"order-processing\\"`);
    }
    for (const metric of [
      'IteratorAge',
      'ApproximateNumberOfMessagesVisible',
      'Latency',
      '4XXError',
      '5XXError',
      'Count',
    ]) {
      expect(body).toContain(`\\"${metric}\\"`);
    }
    expect(body).toContain('\\"stat\\":\\"p99\\"');
    expect(body).toContain('\\"stat\\":\\"p50\\"');
  });

  it('draws a dashboard with the storefront, clickstream, orders, API and order pipeline sections', () => {
    const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    const body = JSON.stringify(dashboard!.Properties.DashboardBody);
    for (const section of [
      '## Storefront',
      '## Clickstream',
      '## Orders table',
      '## API',
      '## Order pipeline',
    ]) {
      expect(body).toContain(section);
    }
    // CloudFront metrics exist in us-east-1 only.
    expect(body).toContain('\\"AWS/CloudFront\\",\\"Requests\\"');
  });
});
