import { accessLogRetentionOf } from './cdk-settings';
import { environmentConfig } from './platform-config';
import { cdkJsonPlatformConfig } from '../testing/platform-app';

describe('accessLogRetentionOf', () => {
  const withAccessLogDays = (days: number) => ({
    ...environmentConfig(cdkJsonPlatformConfig(), 'dev'),
    accessLogRetentionDays: days,
  });

  it('keeps access logs for the configured days when CloudWatch Logs accepts them', () => {
    expect(accessLogRetentionOf(withAccessLogDays(30))).toBe(30);
    expect(accessLogRetentionOf(withAccessLogDays(365))).toBe(365);
  });

  it('rounds up to the next period CloudWatch Logs accepts, never keeping them shorter', () => {
    expect(accessLogRetentionOf(withAccessLogDays(10))).toBe(14);
    expect(accessLogRetentionOf(withAccessLogDays(366))).toBe(400);
  });

  it('keeps them for the longest period beyond ten years', () => {
    expect(accessLogRetentionOf(withAccessLogDays(5000))).toBe(3653);
  });
});
