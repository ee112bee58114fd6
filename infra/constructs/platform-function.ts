import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** The newest Node.js runtime aws-cdk-lib offers; every function of the platform runs on it. */
export const PLATFORM_RUNTIME = lambda.Runtime.NODEJS_24_X;

/** CloudWatch namespace of the platform's business metrics (EMF, written by Powertools Metrics). */
export const PLATFORM_METRICS_NAMESPACE = 'EcommercePlatform';

export interface PlatformFunctionProps {
  /** Path of the handler's TypeScript file. */
  readonly entry: string;
  /**
   * Exported name of the handler function.
   * @default 'handler'
   */
  readonly handler?: string;
  /** Service name in logs, metrics and traces (`POWERTOOLS_SERVICE_NAME`). */
  readonly serviceName: string;
  /** CloudWatch namespace of the function's EMF metrics (`POWERTOOLS_METRICS_NAMESPACE`). */
  readonly metricsNamespace: string;
  /** How long the function's logs are kept. */
  readonly logRetention: logs.RetentionDays;
  /**
   * What happens to the log group when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly logRemovalPolicy?: RemovalPolicy;
  /** A sentence saying what the function does. */
  readonly description: string;
  /**
   * Environment variables added to the Powertools ones.
   * @default - only the Powertools variables
   */
  readonly environment?: Record<string, string>;
  /**
   * Memory in MiB (CPU grows with it).
   * @default 512
   */
  readonly memorySize?: number;
  /**
   * Time limit of one invocation.
   * @default Duration.seconds(10)
   */
  readonly timeout?: Duration;
  /**
   * Log level of the Powertools logger.
   * @default 'INFO'
   */
  readonly logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /**
   * Concurrent executions reserved for (and capped to) this function.
   * @default - the account's unreserved pool
   */
  readonly reservedConcurrentExecutions?: number;
}

/**
 * The one way this platform builds a Lambda function: newest Node.js runtime on ARM64, bundled by
 * esbuild (minified, source maps, AWS SDK included for a faster cold start), active X-Ray tracing,
 * a log group of its own with a retention, the Powertools environment, and a role that holds
 * nothing but the right to write its own logs and traces. Access to anything else is given with
 * the resource's `grant*` methods.
 */
export class PlatformFunction extends NodejsFunction {
  /** The function's own execution role: its logs, its traces, and what `grant*` calls add. */
  public readonly executionRole: iam.Role;

  constructor(scope: Construct, id: string, props: PlatformFunctionProps) {
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.serviceName}: ${props.description}`,
    });
    logGroup.grantWrite(role);

    super(scope, id, {
      entry: props.entry,
      handler: props.handler ?? 'handler',
      description: props.description,
      runtime: PLATFORM_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      tracing: lambda.Tracing.ACTIVE,
      role,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      environment: {
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: props.metricsNamespace,
        POWERTOOLS_LOG_LEVEL: props.logLevel ?? 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.CJS,
        target: 'node24',
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        // Bundle the AWS SDK v3 too: a pinned version, and a smaller, faster cold start than
        // loading the runtime's copy.
        externalModules: [],
        // The OpenSearch client falls back to SDK v2 (`aws-sdk`) only when v3 is missing; v2 is in
        // node_modules for cognito-local, and must not be bundled (20 MB).
        esbuildArgs: { '--external:aws-sdk': true },
      },
    });
    this.executionRole = role;
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active tracing adds xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource ' +
        'narrower than "*". Every other permission comes from a grant on a named resource (tested).',
    });
  }
}
