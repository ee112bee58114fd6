import { RemovalPolicy } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { LOG_RETENTION_DAYS, type EnvironmentConfig } from './platform-config';

/** The CDK removal policy of an environment's data stores. */
export function removalPolicyOf(env: EnvironmentConfig): RemovalPolicy {
  return env.removalPolicy === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
}

/** The CloudWatch Logs retention of an environment (the config accepts only valid periods). */
export function logRetentionOf(env: EnvironmentConfig): logs.RetentionDays {
  return env.logRetentionDays as logs.RetentionDays;
}

/**
 * The CloudWatch Logs retention of access logs kept in CloudWatch (the API's): `accessLogRetentionDays`
 * when CloudWatch Logs accepts it, otherwise the next longer period it accepts, so that access logs are
 * kept at least as long as the environment asks.
 */
export function accessLogRetentionOf(env: EnvironmentConfig): logs.RetentionDays {
  const days =
    LOG_RETENTION_DAYS.find((period) => period >= env.accessLogRetentionDays) ??
    Math.max(...LOG_RETENTION_DAYS);
  return days as logs.RetentionDays;
}
