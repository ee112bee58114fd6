import {
  CONFIG_CONTEXT_KEY,
  environmentConfig,
  parsePlatformConfig,
  PlatformConfigError,
} from './platform-config';
import { CDK_CONTEXT } from '../testing/platform-app';

const validConfig = () => structuredClone(CDK_CONTEXT[CONFIG_CONTEXT_KEY]) as Record<string, any>;

function problemsOf(raw: unknown): string {
  try {
    parsePlatformConfig(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(PlatformConfigError);
    return (error as Error).message;
  }
  throw new Error('the config was accepted');
}

describe('platform config', () => {
  it('accepts the config committed in cdk.json, with an entry for dev, staging and prod', () => {
    const config = parsePlatformConfig(validConfig());
    expect(Object.keys(config.environments)).toEqual(['dev', 'staging', 'prod']);
    expect(environmentConfig(config, 'prod')).toMatchObject({
      name: 'prod',
      removalPolicy: 'retain',
      deletionProtection: true,
    });
  });

  it('accepts the same config given as JSON on the command line (-c platform=...)', () => {
    expect(parsePlatformConfig(JSON.stringify(validConfig()))).toEqual(parsePlatformConfig(validConfig()));
  });

  it('names the key, the expected value and the received value of a bad account id', () => {
    const raw = validConfig();
    raw.environments.prod.account = '1234';
    expect(problemsOf(raw)).toContain(
      'platform.environments.prod.account: expected a 12-digit AWS account id, such as "123456789012", received "1234"',
    );
  });

  it('reports a missing key as missing', () => {
    const raw = validConfig();
    delete raw.environments.staging.region;
    expect(problemsOf(raw)).toContain(
      'platform.environments.staging.region: the key is missing (expected string)',
    );
  });

  it('names the expected type of a value of the wrong type', () => {
    const raw = validConfig();
    raw.environments.dev.deletionProtection = 'no';
    raw.environments.dev.capacity.clickstreamShards = '2';
    const message = problemsOf(raw);
    expect(message).toContain(
      'platform.environments.dev.deletionProtection: expected boolean, received "no"',
    );
    expect(message).toContain(
      'platform.environments.dev.capacity.clickstreamShards: expected number, received "2"',
    );
  });

  it('lists every problem at once', () => {
    const raw = validConfig();
    raw.environments.dev.removalPolicy = 'keep';
    raw.environments.dev.logRetentionDays = 10;
    raw.pipeline.source.repository = 'not a repo';
    const message = problemsOf(raw);
    expect(message).toContain(
      'platform.environments.dev.removalPolicy: expected "destroy" or "retain", received "keep"',
    );
    expect(message).toContain(
      'platform.environments.dev.logRetentionDays: expected one of the retention periods',
    );
    expect(message).toContain(
      'platform.pipeline.source.repository: expected "owner/name", received "not a repo"',
    );
  });

  it('rejects an unknown key, such as a misspelt one', () => {
    const raw = validConfig();
    raw.environments.dev.deletionProtecton = true;
    expect(problemsOf(raw)).toContain('platform.environments.dev: unknown key(s) "deletionProtecton"');
  });

  it('rejects a clickstream retention Kinesis does not accept', () => {
    const raw = validConfig();
    raw.environments.prod.clickstreamRetentionHours = 12;
    expect(problemsOf(raw)).toContain(
      'platform.environments.prod.clickstreamRetentionHours: expected 24 to 8760 hours, received 12',
    );
  });

  it('rejects a certificate outside us-east-1, which CloudFront cannot use', () => {
    const raw = validConfig();
    raw.environments.prod.website = {
      domainName: 'shop.example.com',
      certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc',
    };
    expect(problemsOf(raw)).toContain(
      'platform.environments.prod.website.certificateArn: expected an ACM certificate ARN in us-east-1',
    );
  });

  describe('api', () => {
    it('reads throttling and the web ACL per environment: off in dev, on in staging and prod', () => {
      const config = parsePlatformConfig(validConfig());
      expect(config.environments.dev.api.waf.enabled).toBe(false);
      expect(config.environments.staging.api.waf.enabled).toBe(true);
      expect(config.environments.prod.api).toMatchObject({
        throttlingRateLimit: expect.any(Number),
        throttlingBurstLimit: expect.any(Number),
        waf: { enabled: true, requestsPer5MinutesPerIp: expect.any(Number) },
      });
    });

    it('names the key and the expected value of bad throttling and rate limits', () => {
      const raw = validConfig();
      raw.environments.dev.api.throttlingRateLimit = 0;
      raw.environments.dev.api.throttlingBurstLimit = 2.5;
      raw.environments.prod.api.waf.requestsPer5MinutesPerIp = 5;
      raw.environments.staging.api.waf.enabled = 'yes';
      const message = problemsOf(raw);
      expect(message).toContain(
        'platform.environments.dev.api.throttlingRateLimit: expected a number of requests per second, at least 1, received 0',
      );
      expect(message).toContain(
        'platform.environments.dev.api.throttlingBurstLimit: expected int, received 2.5',
      );
      expect(message).toContain(
        'platform.environments.prod.api.waf.requestsPer5MinutesPerIp: expected a whole number of requests from 10 to 2000000000, received 5',
      );
      expect(message).toContain(
        'platform.environments.staging.api.waf.enabled: expected boolean, received "yes"',
      );
    });

    it('throttles POST /events per environment, apart from the stage', () => {
      const config = parsePlatformConfig(validConfig());
      for (const name of ['dev', 'staging', 'prod'] as const) {
        expect(config.environments[name].api).toMatchObject({
          eventsRateLimit: expect.any(Number),
          eventsBurstLimit: expect.any(Number),
        });
      }
    });

    it('names the key and the expected value of bad POST /events throttling', () => {
      const raw = validConfig();
      raw.environments.dev.api.eventsRateLimit = 0;
      raw.environments.prod.api.eventsBurstLimit = 0.5;
      delete raw.environments.staging.api.eventsBurstLimit;
      const message = problemsOf(raw);
      expect(message).toContain(
        'platform.environments.dev.api.eventsRateLimit: expected a number of requests per second, at least 1, received 0',
      );
      expect(message).toContain(
        'platform.environments.prod.api.eventsBurstLimit: expected int, received 0.5',
      );
      expect(message).toContain(
        'platform.environments.staging.api.eventsBurstLimit: the key is missing (expected number)',
      );
    });

    it('reports a missing api section as missing', () => {
      const raw = validConfig();
      delete raw.environments.prod.api;
      expect(problemsOf(raw)).toContain(
        'platform.environments.prod.api: the key is missing (expected object)',
      );
    });
  });

  describe('clickstream', () => {
    it('reads the processor batches and the Firehose buffers of every environment', () => {
      const config = parsePlatformConfig(validConfig());
      for (const name of ['dev', 'staging', 'prod'] as const) {
        expect(config.environments[name].clickstream).toEqual({
          batchSize: expect.any(Number),
          maxBatchingWindowSeconds: expect.any(Number),
          firehoseBufferSeconds: expect.any(Number),
          firehoseBufferMiB: expect.any(Number),
        });
      }
    });

    it('accepts the limits of each range', () => {
      const raw = validConfig();
      raw.environments.dev.clickstream = {
        batchSize: 1,
        maxBatchingWindowSeconds: 0,
        firehoseBufferSeconds: 0,
        firehoseBufferMiB: 1,
      };
      raw.environments.prod.clickstream = {
        batchSize: 10000,
        maxBatchingWindowSeconds: 300,
        firehoseBufferSeconds: 900,
        firehoseBufferMiB: 128,
      };
      expect(parsePlatformConfig(raw).environments.prod.clickstream.batchSize).toBe(10000);
    });

    it('names the key and the range expected of each value outside it', () => {
      const raw = validConfig();
      raw.environments.dev.clickstream = {
        batchSize: 10001,
        maxBatchingWindowSeconds: 301,
        firehoseBufferSeconds: -1,
        firehoseBufferMiB: 0,
      };
      raw.environments.prod.clickstream.batchSize = 0;
      raw.environments.staging.clickstream.firehoseBufferMiB = 2.5;
      const message = problemsOf(raw);
      expect(message).toContain(
        'platform.environments.dev.clickstream.batchSize: expected a whole number of records from 1 to 10000, received 10001',
      );
      expect(message).toContain(
        'platform.environments.dev.clickstream.maxBatchingWindowSeconds: expected a whole number of seconds from 0 to 300, received 301',
      );
      expect(message).toContain(
        'platform.environments.dev.clickstream.firehoseBufferSeconds: expected a whole number of seconds from 0 to 900, received -1',
      );
      expect(message).toContain(
        'platform.environments.dev.clickstream.firehoseBufferMiB: expected a whole number of MiB from 1 to 128, received 0',
      );
      expect(message).toContain(
        'platform.environments.prod.clickstream.batchSize: expected a whole number of records from 1 to 10000, received 0',
      );
      expect(message).toContain(
        'platform.environments.staging.clickstream.firehoseBufferMiB: expected int, received 2.5',
      );
    });

    it('reports a missing clickstream section, and an unknown key in it', () => {
      const raw = validConfig();
      delete raw.environments.dev.clickstream;
      raw.environments.prod.clickstream.bufferSeconds = 60;
      const message = problemsOf(raw);
      expect(message).toContain(
        'platform.environments.dev.clickstream: the key is missing (expected object)',
      );
      expect(message).toContain('platform.environments.prod.clickstream: unknown key(s) "bufferSeconds"');
    });
  });

  describe('recommendations', () => {
    it('trains on a schedule in prod only, and alarms on the fallback rate in prod only', () => {
      const config = parsePlatformConfig(validConfig());
      expect(config.environments.prod.recommendations).toEqual({
        training: { enabled: true, schedule: 'cron(0 3 ? * SUN *)' },
        campaignMinProvisionedTps: 1,
        fallbackAlarmThreshold: 0.1,
      });
      for (const name of ['dev', 'staging'] as const) {
        expect(config.environments[name].recommendations).toEqual({
          training: { enabled: false, schedule: expect.any(String) },
          campaignMinProvisionedTps: 1,
        });
      }
    });

    it('accepts cron and rate expressions of EventBridge Scheduler', () => {
      const raw = validConfig();
      raw.environments.dev.recommendations.training.schedule = 'rate(7 days)';
      raw.environments.staging.recommendations.training.schedule = 'cron(30 2 1 * ? *)';
      const config = parsePlatformConfig(raw);
      expect(config.environments.dev.recommendations.training.schedule).toBe('rate(7 days)');
    });

    it('names the key and the expected value of a bad schedule, minimum TPS or fallback threshold', () => {
      const raw = validConfig();
      raw.environments.dev.recommendations.training.schedule = '0 3 * * SUN';
      raw.environments.staging.recommendations.campaignMinProvisionedTps = 0;
      raw.environments.prod.recommendations.fallbackAlarmThreshold = 1.5;
      raw.environments.prod.recommendations.training.enabled = 'yes';
      const message = problemsOf(raw);
      expect(message).toContain(
        'platform.environments.dev.recommendations.training.schedule: expected an EventBridge Scheduler ' +
          'expression, such as "cron(0 3 ? * SUN *)" or "rate(7 days)", received "0 3 * * SUN"',
      );
      expect(message).toContain(
        'platform.environments.staging.recommendations.campaignMinProvisionedTps: expected a whole number of ' +
          'transactions per second from 1 to 500, received 0',
      );
      expect(message).toContain(
        'platform.environments.prod.recommendations.fallbackAlarmThreshold: expected a share of answers ' +
          'greater than 0 and less than 1, such as 0.1, received 1.5',
      );
      expect(message).toContain(
        'platform.environments.prod.recommendations.training.enabled: expected boolean, received "yes"',
      );
    });

    it('reports a missing recommendations section, and an unknown key in it', () => {
      const raw = validConfig();
      delete raw.environments.dev.recommendations;
      raw.environments.prod.recommendations.minTps = 1;
      const message = problemsOf(raw);
      expect(message).toContain(
        'platform.environments.dev.recommendations: the key is missing (expected object)',
      );
      expect(message).toContain('platform.environments.prod.recommendations: unknown key(s) "minTps"');
    });
  });

  describe('search', () => {
    it('spreads prod over 2 availability zones with an even number of nodes, and not the others', () => {
      const config = parsePlatformConfig(validConfig());
      expect(config.environments.prod.search).toMatchObject({ zoneAwareness: true, instanceCount: 2 });
      expect(config.environments.dev.search).toMatchObject({ zoneAwareness: false, instanceCount: 1 });
    });

    it('refuses zone awareness with an odd number of data nodes, naming both keys', () => {
      const raw = validConfig();
      raw.environments.prod.search.instanceCount = 3;
      expect(problemsOf(raw)).toContain(
        'platform.environments.prod.search.instanceCount: expected an even number of data nodes, at least 2, ' +
          'because zoneAwareness is true',
      );
      expect(problemsOf(raw)).toMatch(/set an even instanceCount or zoneAwareness false, received 3$/m);
    });

    it('refuses zone awareness with a single data node', () => {
      const raw = validConfig();
      raw.environments.dev.search.zoneAwareness = true;
      expect(problemsOf(raw)).toContain(
        'platform.environments.dev.search.instanceCount: expected an even number of data nodes, at least 2',
      );
    });

    it('accepts an odd number of data nodes without zone awareness', () => {
      const raw = validConfig();
      raw.environments.staging.search.instanceCount = 3;
      expect(parsePlatformConfig(raw).environments.staging.search.instanceCount).toBe(3);
    });

    it('refuses an instance type that cannot encrypt at rest, and a volume below 10 GiB', () => {
      const raw = validConfig();
      raw.environments.dev.search.instanceType = 't2.small.search';
      raw.environments.staging.search.instanceType = 'm5.large';
      raw.environments.dev.search.volumeSizeGiB = 5;
      const message = problemsOf(raw);
      expect(message).toContain(
        'platform.environments.dev.search.instanceType: expected an OpenSearch instance type that encrypts at ' +
          'rest, such as "t3.small.search" or "r6g.large.search" (not t2), received "t2.small.search"',
      );
      expect(message).toContain('platform.environments.staging.search.instanceType: expected an OpenSearch');
      expect(message).toContain(
        'platform.environments.dev.search.volumeSizeGiB: expected a whole number of GiB, at least 10, received 5',
      );
    });
  });

  it('says what to do when the platform key is missing or not JSON', () => {
    expect(problemsOf(undefined)).toContain('add a "platform" object to the context in cdk.json');
    expect(problemsOf('{not json')).toContain('is not valid JSON');
  });
});
