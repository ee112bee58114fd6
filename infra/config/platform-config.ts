import { z } from 'zod';

/**
 * The typed configuration of the platform: one pipeline and one entry per environment.
 *
 * It is read from the `platform` key of the `cdk.json` context at the app entry only
 * (`infra/app.ts`) and passed down as plain objects; nothing below the entry reads
 * `process.env` or the context.
 */

/** Log retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const accountId = z.string().regex(/^\d{12}$/, 'expected a 12-digit AWS account id, such as "123456789012"');
const region = z
  .string()
  .regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/, 'expected an AWS region name, such as "us-east-1"');
const logRetentionDays = z
  .number()
  .refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), {
    message: `expected one of the retention periods CloudWatch Logs accepts: ${LOG_RETENTION_DAYS.join(', ')}`,
  });

/** What API Gateway and its web ACL accept from clients. */
const apiSchema = z.strictObject({
  /** Steady-state requests per second the API stage accepts (API Gateway stage throttling). */
  throttlingRateLimit: z.number().min(1, 'expected a number of requests per second, at least 1'),
  /** Requests the stage accepts in a burst above the rate (the token bucket's size). */
  throttlingBurstLimit: z.int().min(1, 'expected a whole number of requests, at least 1'),
  /** Steady-state requests per second `POST /events` accepts (a method-level override of the stage throttling). */
  eventsRateLimit: z.number().min(1, 'expected a number of requests per second, at least 1'),
  /** Requests `POST /events` accepts in a burst above its rate. */
  eventsBurstLimit: z.int().min(1, 'expected a whole number of requests, at least 1'),
  waf: z.strictObject({
    /** A WAFv2 web ACL in front of the API stage: per-IP rate limit and AWS managed rule groups. */
    enabled: z.boolean(),
    /** Requests one IP address may make in any 5 minutes before the web ACL blocks it (WAF accepts 10 or more). */
    requestsPer5MinutesPerIp: z
      .int()
      .min(10, 'expected a whole number of requests from 10 to 2000000000')
      .max(2_000_000_000, 'expected a whole number of requests from 10 to 2000000000'),
  }),
});

/** A whole number from `min` to `max`, with the message naming the range and the unit. */
const wholeNumberFrom = (min: number, max: number, unit: string) => {
  const message = `expected a whole number of ${unit} from ${min} to ${max}`;
  return z.int().min(min, message).max(max, message);
};

/** How the clickstream is consumed: the processor's event source and the Firehose delivery to the lake. */
const clickstreamSchema = z.strictObject({
  /** Records the ClickstreamProcessor receives per invocation at most (Kinesis event source: 1 to 10000). */
  batchSize: wholeNumberFrom(1, 10_000, 'records'),
  /** Seconds the event source gathers records before invoking the processor with a smaller batch (0 to 300). */
  maxBatchingWindowSeconds: wholeNumberFrom(0, 300, 'seconds'),
  /** Seconds Firehose buffers events before writing an object to the lake (0 to 900). */
  firehoseBufferSeconds: wholeNumberFrom(0, 900, 'seconds'),
  /** MiB Firehose buffers before writing an object to the lake, whichever comes first (1 to 128). */
  firehoseBufferMiB: wholeNumberFrom(1, 128, 'MiB'),
});

/** Expressions EventBridge Scheduler accepts: `cron(...)` with six fields, or `rate(<n> <unit>)`. */
const scheduleExpression = z
  .string()
  .regex(
    /^(cron\((\S+ ){5}\S+\)|rate\([1-9]\d* (minute|minutes|hour|hours|day|days)\))$/,
    'expected an EventBridge Scheduler expression, such as "cron(0 3 ? * SUN *)" or "rate(7 days)"',
  );

const fallbackShare = 'expected a share of answers greater than 0 and less than 1, such as 0.1';

/** Personalized recommendations: when models are trained, what a campaign provisions, what is alarmed on. */
const recommendationsSchema = z.strictObject({
  training: z.strictObject({
    /**
     * Run the training workflow on its schedule. When false the schedule exists but is disabled: the
     * workflow only runs when started by hand, and no campaign is created or updated by itself.
     */
    enabled: z.boolean(),
    /** When the training workflow runs (EventBridge Scheduler, UTC). */
    schedule: scheduleExpression,
  }),
  /**
   * Minimum provisioned transactions per second of each Personalize campaign: what Personalize bills
   * for every hour the campaign exists, used or not (1 to 500).
   */
  campaignMinProvisionedTps: wholeNumberFrom(1, 500, 'transactions per second'),
  /**
   * Alarm when the share of answers that fell back from a trained model to the live data stays above
   * this for 15 minutes. Left out: no such alarm (dev and staging, whose models are not trained on a
   * schedule).
   */
  fallbackAlarmThreshold: z.number().gt(0, fallbackShare).lt(1, fallbackShare).optional(),
});

/** The OpenSearch domain that serves order and product search. */
const searchSchema = z
  .strictObject({
    /** Data node instance type; T2 types cannot encrypt data at rest and are refused. */
    instanceType: z
      .string()
      .regex(
        /^(?!t2\.)[a-z][a-z0-9-]*\.[a-z0-9]+\.search$/,
        'expected an OpenSearch instance type that encrypts at rest, such as "t3.small.search" or "r6g.large.search" (not t2)',
      ),
    /** Number of data nodes. */
    instanceCount: z.int().min(1, 'expected a whole number of data nodes, at least 1'),
    /** Spread the data nodes and their replicas over 2 availability zones. */
    zoneAwareness: z.boolean(),
    /** EBS (gp3) volume of each data node, in GiB. */
    volumeSizeGiB: z.int().min(10, 'expected a whole number of GiB, at least 10'),
  })
  .refine(
    (search) => !search.zoneAwareness || (search.instanceCount >= 2 && search.instanceCount % 2 === 0),
    {
      path: ['instanceCount'],
      message:
        'expected an even number of data nodes, at least 2, because zoneAwareness is true (nodes are spread ' +
        'evenly over 2 availability zones); set an even instanceCount or zoneAwareness false',
    },
  );

const environmentSchema = z.strictObject({
  /** AWS account the environment deploys to. */
  account: accountId,
  /** AWS region the environment deploys to. */
  region,
  /** What happens to data stores when their stack is deleted: `destroy` for throwaway environments. */
  removalPolicy: z.enum(['destroy', 'retain'], { error: 'expected "destroy" or "retain"' }),
  /** Deletion protection on tables and the user pool. */
  deletionProtection: z.boolean(),
  /** Retention of the functions' and services' CloudWatch log groups. */
  logRetentionDays,
  /** Days the S3 and CloudFront access logs are kept. */
  accessLogRetentionDays: z.int().min(1, 'expected a whole number of days, at least 1'),
  /** Hours the clickstream stream keeps records (Kinesis accepts 24 to 8760). */
  clickstreamRetentionHours: z
    .int()
    .min(24, 'expected 24 to 8760 hours')
    .max(8760, 'expected 24 to 8760 hours'),
  capacity: z.strictObject({
    /** Provisioned shards of the clickstream stream (1 MB/s or 1,000 records/s of writes each). */
    clickstreamShards: z.int().min(1, 'expected 1 to 500 shards').max(500, 'expected 1 to 500 shards'),
  }),
  /** Consumption of the clickstream: the processor's batches and the Firehose buffers. */
  clickstream: clickstreamSchema,
  /** Throttling and web ACL of the shop's API. */
  api: apiSchema,
  /** Size and layout of the search domain. */
  search: searchSchema,
  /** Training of the recommendation models and the alarm on their fallback rate. */
  recommendations: recommendationsSchema,
  /** Address that receives the environment's alarms; no subscription when left out. */
  alarmEmail: z.email('expected an email address').optional(),
  /** A custom domain for the storefront; the CloudFront domain is used when left out. */
  website: z
    .strictObject({
      /** Fully qualified name, such as "shop.example.com". */
      domainName: z
        .string()
        .regex(/^([a-z0-9-]+\.)+[a-z]{2,}$/, 'expected a domain name, such as "shop.example.com"'),
      /** ARN of an ACM certificate for the domain, issued in us-east-1 (CloudFront's region). */
      certificateArn: z
        .string()
        .regex(
          /^arn:aws:acm:us-east-1:\d{12}:certificate\/.+$/,
          'expected an ACM certificate ARN in us-east-1',
        ),
    })
    .optional(),
});

const pipelineSchema = z.strictObject({
  /** Account and region of the pipeline (the "tooling" account). */
  account: accountId,
  region,
  source: z.strictObject({
    /** GitHub, GitLab or Bitbucket repository, as "owner/name". */
    repository: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'expected "owner/name"'),
    /** The branch whose pushes are deployed. */
    branch: z.string().min(1, 'expected a branch name, such as "main"'),
    /** ARN of the AWS CodeConnections (CodeStar) connection to the repository host. */
    connectionArn: z
      .string()
      .regex(
        /^arn:aws:(codestar-connections|codeconnections):[a-z0-9-]+:\d{12}:connection\/[\w-]+$/,
        'expected a CodeConnections connection ARN, such as "arn:aws:codeconnections:us-east-1:123456789012:connection/..."',
      ),
  }),
  /** Address notified when a release waits for approval before prod. */
  approvalEmail: z.email('expected an email address').optional(),
});

export type EnvironmentName = 'dev' | 'staging' | 'prod';

const platformSchema = z.strictObject({
  pipeline: pipelineSchema,
  environments: z.strictObject({
    dev: environmentSchema,
    staging: environmentSchema,
    prod: environmentSchema,
  }),
});

export type EnvironmentSettings = z.infer<typeof environmentSchema>;
export type PipelineConfig = z.infer<typeof pipelineSchema>;
export type PlatformConfig = z.infer<typeof platformSchema>;

/** One environment's settings, with its name. */
export interface EnvironmentConfig extends EnvironmentSettings {
  readonly name: EnvironmentName;
}

/** The context key in `cdk.json` that holds the platform config. */
export const CONFIG_CONTEXT_KEY = 'platform';

/** Thrown when the platform config is missing or invalid; the message lists every problem. */
export class PlatformConfigError extends Error {
  constructor(problems: string[]) {
    super(
      `Invalid platform config (context key "${CONFIG_CONTEXT_KEY}" in cdk.json):\n` +
        problems.map((problem) => `  - ${problem}`).join('\n'),
    );
    this.name = 'PlatformConfigError';
  }
}

/**
 * Validates the raw context value and returns the typed config.
 *
 * @param raw the value of the `platform` context key: an object from `cdk.json`, or a JSON
 *   string when given on the command line with `-c platform='{...}'`.
 * @throws PlatformConfigError naming each invalid key, what was expected and what was received.
 */
export function parsePlatformConfig(raw: unknown): PlatformConfig {
  const value = typeof raw === 'string' ? parseJson(raw) : raw;
  if (value === undefined) {
    throw new PlatformConfigError(['the key is missing: add a "platform" object to the context in cdk.json']);
  }
  const result = platformSchema.safeParse(value);
  if (!result.success) {
    throw new PlatformConfigError(
      result.error.issues.map((issue) => {
        const path = [CONFIG_CONTEXT_KEY, ...issue.path.map(String)].join('.');
        const received = valueAt(value, issue.path);
        if (issue.code === 'unrecognized_keys') {
          return `${path}: unknown key(s) ${issue.keys.map((key) => `"${key}"`).join(', ')}`;
        }
        if (issue.code === 'invalid_type') {
          return received === undefined
            ? `${path}: the key is missing (expected ${issue.expected})`
            : `${path}: expected ${issue.expected}, received ${JSON.stringify(received)}`;
        }
        return `${path}: ${issue.message}, received ${JSON.stringify(received)}`;
      }),
    );
  }
  return result.data;
}

/** The config of one environment, with its name attached. */
export function environmentConfig(config: PlatformConfig, name: EnvironmentName): EnvironmentConfig {
  return { name, ...config.environments[name] };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new PlatformConfigError([`the value given on the command line is not valid JSON: ${text}`]);
  }
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>(
    (node, key) =>
      node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined,
    root,
  );
}
