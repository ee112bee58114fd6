import { RemovalPolicy } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { EnvironmentConfig } from './platform-config';

/** The CDK removal policy of an environment's data stores. */
export function removalPolicyOf(env: EnvironmentConfig): RemovalPolicy {
  return env.removalPolicy === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
}

/** The CloudWatch Logs retention of an environment (the config accepts only valid periods). */
export function logRetentionOf(env: EnvironmentConfig): logs.RetentionDays {
  return env.logRetentionDays as logs.RetentionDays;
}
