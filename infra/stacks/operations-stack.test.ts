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
    // The orders table's per-operation sums, and the recommender training's failed, timed-out and stopped runs.
    expect(new Set(expressions)).toEqual(
      new Set([
        'SystemErrors',
        'ThrottledRequests',
        'ExecutionsFailed',
        'ExecutionsTimedOut',
        'ExecutionsAborted',
      ]),
    );
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

  describe('alarms of the clickstream', () => {
    const alarms = Object.entries(template.findResources('AWS::CloudWatch::Alarm'));
    const alarm = (idPrefix: string) => {
      const found = alarms.find(([id]) => id.startsWith(`Monitoring${idPrefix}`));
      expect(found).toBeDefined();
      return found![1].Properties;
    };
    const dimensions = (properties: any): Record<string, string> =>
      Object.fromEntries(
        properties.Dimensions.map((d: { Name: string; Value: unknown }) => [
          d.Name,
          typeof d.Value === 'string' ? d.Value : JSON.stringify(d.Value),
        ]),
      );

    it('alarms on 5xx and 4xx answers of POST /events, from its own method-level metrics', () => {
      expect(alarm('ClickstreamIngestServerErrors')).toMatchObject({
        Namespace: 'AWS/ApiGateway',
        MetricName: '5XXError',
        Statistic: 'Average',
        Period: 300,
        Threshold: 0.01,
        ComparisonOperator: 'GreaterThanThreshold',
      });
      expect(alarm('ClickstreamIngestClientErrors')).toMatchObject({
        Namespace: 'AWS/ApiGateway',
        MetricName: '4XXError',
        Statistic: 'Average',
        Threshold: 0.05,
        EvaluationPeriods: 3,
      });
      for (const id of ['ClickstreamIngestServerErrors', 'ClickstreamIngestClientErrors']) {
        expect(dimensions(alarm(id))).toMatchObject({ Method: 'POST', Resource: '/events' });
        expect(dimensions(alarm(id)).Stage).toContain('EcommerceApiRestApiDeploymentStage');
        expect(dimensions(alarm(id)).ApiName).toBeDefined();
      }
    });

    it('alarms on ClickstreamProcessor errors and throttles', () => {
      for (const [id, metricName] of [
        ['ClickstreamProcessorErrors', 'Errors'],
        ['ClickstreamProcessorThrottles', 'Throttles'],
      ] as const) {
        expect(alarm(id)).toMatchObject({
          Namespace: 'AWS/Lambda',
          MetricName: metricName,
          Statistic: 'Sum',
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
        });
        expect(JSON.stringify(alarm(id).Dimensions)).toContain(
          'PublishOutputRefClickstreamClickstreamProcessor',
        );
      }
    });

    it('alarms when ClickstreamProcessor lags more than 60 s behind the stream for 3 of 5 minutes', () => {
      expect(alarm('ClickstreamProcessorIteratorAge')).toMatchObject({
        Namespace: 'AWS/Lambda',
        MetricName: 'IteratorAge',
        Statistic: 'Maximum',
        Period: 60,
        Threshold: 60000,
        EvaluationPeriods: 5,
        DatapointsToAlarm: 3,
      });
    });

    it('alarms as soon as a message waits in the processor DLQ', () => {
      expect(alarm('ClickstreamProcessorDeadLetters')).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
      });
      expect(JSON.stringify(alarm('ClickstreamProcessorDeadLetters').Dimensions)).toContain(
        'ClickstreamProcessorDeadLetterQueue',
      );
    });

    it('alarms when Firehose delivery to the lake is older than twice the buffer interval', () => {
      const config = cdkJsonPlatformConfig();
      for (const [name, alarmOf] of [
        ['dev', alarm],
        [
          'prod',
          (idPrefix: string) =>
            Object.entries(
              Template.fromStack(stages.prod.operations).findResources('AWS::CloudWatch::Alarm'),
            ).find(([id]) => id.startsWith(`Monitoring${idPrefix}`))![1].Properties,
        ],
      ] as const) {
        const bufferSeconds = config.environments[name].clickstream.firehoseBufferSeconds;
        expect(alarmOf('ClickstreamFirehoseDataFreshness')).toMatchObject({
          Namespace: 'AWS/Firehose',
          MetricName: 'DeliveryToS3.DataFreshness',
          Statistic: 'Maximum',
          Threshold: Math.max(2 * bufferSeconds, 60),
          ComparisonOperator: 'GreaterThanThreshold',
        });
        expect(JSON.stringify(alarmOf('ClickstreamFirehoseDataFreshness').Dimensions)).toContain(
          'ClickstreamClickstreamFirehose',
        );
      }
    });
  });

  describe('alarms of the recommendations', () => {
    const alarmsOf = (operations: Template) =>
      Object.entries(operations.findResources('AWS::CloudWatch::Alarm')).map(([id, alarm]) => ({
        id,
        properties: alarm.Properties,
      }));
    const alarm = (operations: Template, idPrefix: string) => {
      const found = alarmsOf(operations).filter(({ id }) => id.startsWith(`Monitoring${idPrefix}`));
      expect(found).toHaveLength(1);
      return found[0]!.properties;
    };
    const prod = Template.fromStack(stages.prod.operations);

    it('alarms on RecommendationsApi errors and throttles, and on CoPurchaseCounter errors, lag and DLQ', () => {
      for (const [id, metricName, functionPrefix] of [
        ['RecommendationsApiErrors', 'Errors', 'RecommendationsRecommendationsApi'],
        ['RecommendationsApiThrottles', 'Throttles', 'RecommendationsRecommendationsApi'],
        ['CoPurchaseCounterErrors', 'Errors', 'RecommendationsCoPurchaseCounter'],
        ['CoPurchaseCounterIteratorAge', 'IteratorAge', 'RecommendationsCoPurchaseCounter'],
      ] as const) {
        expect(alarm(template, id)).toMatchObject({ Namespace: 'AWS/Lambda', MetricName: metricName });
        expect(JSON.stringify(alarm(template, id).Dimensions)).toContain(functionPrefix);
      }
      expect(alarm(template, 'CoPurchaseCounterIteratorAge')).toMatchObject({
        Threshold: 60000,
        EvaluationPeriods: 5,
        DatapointsToAlarm: 3,
      });
      expect(alarm(template, 'CoPurchaseCounterDeadLetters')).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Threshold: 0,
      });
      expect(JSON.stringify(alarm(template, 'CoPurchaseCounterDeadLetters').Dimensions)).toContain(
        'RecommendationsCounterDeadLetterQueue',
      );
    });

    it('alarms when a training run fails, times out or is stopped', () => {
      const failed = alarm(template, 'RecommenderTrainingFailed');
      expect(failed.Metrics.find((metric: { Expression?: string }) => metric.Expression).Expression).toBe(
        'failed + timedOut + aborted',
      );
      expect(JSON.stringify(failed.Metrics)).toContain('RecommenderTrainingStateMachine');
      expect(failed).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
    });

    it('alarms on the fallback rate in prod only, where the config sets a threshold', () => {
      const config = cdkJsonPlatformConfig();
      expect(config.environments.prod.recommendations.fallbackAlarmThreshold).toBe(0.1);
      expect(config.environments.dev.recommendations.fallbackAlarmThreshold).toBeUndefined();
      expect(config.environments.staging.recommendations.fallbackAlarmThreshold).toBeUndefined();
      for (const stage of [stages.dev, stages.staging]) {
        const ids = alarmsOf(Template.fromStack(stage.operations)).map(({ id }) => id);
        expect(ids.filter((id) => id.includes('RecommendationFallbackRate'))).toEqual([]);
      }
      expect(
        alarmsOf(prod)
          .map(({ id }) => id)
          .filter((id) => id.includes('RecommendationFallbackRate'))
          .map((id) => id.replace(/^MonitoringRecommendationFallbackRate/, '').replace(/[0-9A-F]{8}$/, '')),
      ).toEqual(['foryou', 'similar']);
    });

    it('counts the fallback rate of a kind only in the periods its campaign was called, for 15 minutes', () => {
      const fallback = alarm(prod, 'RecommendationFallbackRateforyou');
      expect(fallback).toMatchObject({
        Threshold: 0.1,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 3,
        DatapointsToAlarm: 3,
        TreatMissingData: 'notBreaching',
      });
      const metrics: { Id: string; Expression?: string; MetricStat?: any; ReturnData?: boolean }[] =
        fallback.Metrics;
      expect(metrics.find((metric) => metric.Expression)).toMatchObject({
        Expression: 'IF(calls > 0, fallbackRate, 0)',
      });
      const stat = (id: string) => metrics.find((metric) => metric.Id === id)!.MetricStat;
      // Powertools adds the service as a dimension; the handler adds the type (see services/recommendations).
      const dimensions = [
        { Name: 'service', Value: 'recommendations-api' },
        { Name: 'type', Value: 'for-you' },
      ];
      expect(stat('calls')).toEqual({
        Metric: { Namespace: 'EcommercePlatform', MetricName: 'PersonalizeLatency', Dimensions: dimensions },
        Period: 300,
        Stat: 'SampleCount',
      });
      expect(stat('fallbackRate')).toEqual({
        Metric: {
          Namespace: 'EcommercePlatform',
          MetricName: 'RecommendationFallback',
          Dimensions: dimensions,
        },
        Period: 300,
        Stat: 'Average',
      });
    });
  });

  it('draws the live business metrics of the ClickstreamProcessor from its EMF namespace and service dimension', () => {
    const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    const body = JSON.stringify(dashboard!.Properties.DashboardBody);
    for (const metric of [
      'ClickstreamEventsProcessed',
      'ClickstreamEventsQuarantined',
      'ProductViews',
      'AddToCarts',
      'Purchases',
      'Revenue',
    ]) {
      expect(body).toContain(
        `\\"EcommercePlatform\\",\\"${metric}\\",\\"service\\",\\"clickstream-processor\\"`,
      );
    }
    for (const metric of [
      'DeliveryToS3.DataFreshness',
      'DeliveryToS3.Records',
      'IncomingRecords',
      'Invocations',
    ]) {
      expect(body).toContain(`\\"${metric}\\"`);
    }
    for (const section of ['## Clickstream ingest', '## Clickstream processing', '## Live shop activity']) {
      expect(body).toContain(section);
    }
  });

  it('is deployed after the stacks it watches, and none of them depends on it', () => {
    const stage = stages.dev;
    expect(stage.operations.dependencies).toEqual(
      expect.arrayContaining([stage.stateful, stage.api, stage.clickstream]),
    );
    for (const watched of [stage.stateful, stage.api, stage.clickstream, stage.websiteContent]) {
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
      '## Recommendations',
    ]) {
      expect(body).toContain(section);
    }
    // CloudFront metrics exist in us-east-1 only.
    expect(body).toContain('\\"AWS/CloudFront\\",\\"Requests\\"');
  });
});
