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

  it('draws a dashboard with the storefront, clickstream and orders sections', () => {
    const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    const body = JSON.stringify(dashboard!.Properties.DashboardBody);
    for (const section of ['## Storefront', '## Clickstream', '## Orders table']) {
      expect(body).toContain(section);
    }
    // CloudFront metrics exist in us-east-1 only.
    expect(body).toContain('\\"AWS/CloudFront\\",\\"Requests\\"');
  });
});
