import * as path from 'node:path';
import type { RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { PLATFORM_METRICS_NAMESPACE, PlatformFunction } from './platform-function';

/** Service name of AnalyticsApi. */
export const ANALYTICS_API_SERVICE = 'realtime-analytics';

export interface RealtimeAnalyticsProps {
  /** The live per-minute clickstream aggregates the ClickstreamProcessor writes (read only here). */
  readonly analyticsTable: dynamodb.ITable;
  /** The storefront's origin, echoed in the API's CORS headers. */
  readonly allowedOrigin: string;
  /** How long the function's logs are kept. */
  readonly logRetention: logs.RetentionDays;
  /**
   * What happens to the function's log group when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly logRemovalPolicy?: RemovalPolicy;
}

/**
 * The live analytics of the shop's staff: AnalyticsApi, behind `GET /analytics/realtime`, reads the
 * per-minute aggregates of the last minutes (series, top products, conversion funnel). The route
 * needs a Cognito ID token; the function answers the `admin` group only.
 */
export class RealtimeAnalytics extends Construct {
  public readonly analyticsApi: PlatformFunction;

  constructor(scope: Construct, id: string, props: RealtimeAnalyticsProps) {
    super(scope, id);

    this.analyticsApi = new PlatformFunction(this, 'AnalyticsApi', {
      entry: path.join(__dirname, '..', '..', 'services', 'analytics', 'handlers', 'realtime-analytics.ts'),
      serviceName: ANALYTICS_API_SERVICE,
      metricsNamespace: PLATFORM_METRICS_NAMESPACE,
      description: 'The live analytics API: the clickstream of the last minutes, for shop staff',
      logRetention: props.logRetention,
      logRemovalPolicy: props.logRemovalPolicy,
      environment: {
        ANALYTICS_TABLE_NAME: props.analyticsTable.tableName,
        ALLOWED_ORIGIN: props.allowedOrigin,
      },
    });
    props.analyticsTable.grantReadData(this.analyticsApi);
  }
}
