import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface MonitoringProps {
  /** A sentence naming what is watched, shown on the dashboard. */
  readonly title: string;
  /**
   * Address subscribed to every alarm.
   * @default - no subscription; subscribe on-call tooling to `alarmTopic`
   */
  readonly alarmEmail?: string;
}

/**
 * Where an environment's alarms go and where its health is seen: an encrypted SNS topic that
 * every alarm notifies (and that its alarm email subscribes to), and a CloudWatch dashboard with a
 * section per part of the platform. Each part adds its own alarms and graphs.
 */
export class Monitoring extends Construct {
  public readonly alarmTopic: sns.Topic;
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);

    const key = new kms.Key(this, 'AlarmTopicKey', {
      description: 'Encrypts alarm notifications',
      enableKeyRotation: true,
    });
    // CloudWatch publishes alarm notifications to the encrypted topic.
    key.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');

    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      displayName: `Alarms: ${props.title}`,
      masterKey: key,
      enforceSSL: true,
    });
    if (props.alarmEmail) {
      this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    }

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.hours(3),
      widgets: [[new cloudwatch.TextWidget({ markdown: `# ${props.title}`, width: 24, height: 1 })]],
    });
  }

  /** An alarm that notifies the alarm topic when it fires and when it recovers. Missing data is not breaching. */
  public alarm(id: string, props: cloudwatch.AlarmProps): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      ...props,
    });
    const action = new cloudwatchActions.SnsAction(this.alarmTopic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
    return alarm;
  }

  /** An alarm that fires when `metric` (such as a 5-minute Sum of errors) is above 0 in one period. */
  public alarmWhenAny(id: string, metric: cloudwatch.IMetric, alarmDescription: string): cloudwatch.Alarm {
    return this.alarm(id, {
      metric,
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      alarmDescription,
    });
  }

  /** A titled row of graphs, and a status widget for the section's alarms. */
  public addSection(title: string, graphs: cloudwatch.IWidget[], alarms: cloudwatch.IAlarm[] = []): void {
    this.dashboard.addWidgets(new cloudwatch.TextWidget({ markdown: `## ${title}`, width: 24, height: 1 }));
    this.dashboard.addWidgets(...graphs);
    if (alarms.length > 0) {
      this.dashboard.addWidgets(
        new cloudwatch.AlarmStatusWidget({ title: `${title}: alarms`, alarms, width: 24 }),
      );
    }
  }
}
