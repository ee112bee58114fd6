import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { lookup as contentTypeOf } from 'mime-types';
import type { FunctionRef, InvokeResult } from '../lambda/function-host';
import type { IntrinsicResolver } from '../template/intrinsics';
import type { StageResource, StageTemplates } from '../template/stage-templates';

/** Custom resources that only act when a stack is deleted, which never happens locally. */
const DELETE_TIME_ONLY = new Set(['Custom::S3AutoDeleteObjects']);

export interface CustomResourceContext {
  readonly stage: StageTemplates;
  readonly resolver: IntrinsicResolver;
  readonly invoke: (fn: FunctionRef, event: unknown) => Promise<InvokeResult>;
  readonly s3: S3Client;
  /** The root cloud assembly folder, holding `asset.<hash>` folders. */
  readonly assetRoot: string;
  readonly log: (line: string) => void;
}

/**
 * Carries out the stage's custom resources as a deployment would, in template order within each
 * stack and stacks in the stage's order:
 * - a custom resource backed by the CDK Provider framework: its `onEvent` function is invoked with a
 *   `Create` request and the resolved properties (so a seed runs at every start; seeds must be
 *   idempotent, as they must be for a CloudFormation update anyway);
 * - `Custom::CDKBucketDeployment`: its sources are copied into the destination bucket, markers
 *   replaced by their resolved values;
 * - delete-time-only resources (such as `Custom::S3AutoDeleteObjects`) are skipped.
 * @throws Error naming a custom resource of any other kind: it cannot run locally.
 */
export async function runCustomResources(context: CustomResourceContext): Promise<void> {
  const custom = context.stage
    .resources()
    .filter(
      (resource) =>
        resource.type.startsWith('Custom::') || resource.type === 'AWS::CloudFormation::CustomResource',
    );
  for (const resource of custom) {
    if (DELETE_TIME_ONLY.has(resource.type)) continue;
    if (resource.type === 'Custom::CDKBucketDeployment') {
      await deployBucket(resource, context);
    } else {
      await invokeProviderFramework(resource, context);
    }
  }
}

async function invokeProviderFramework(
  resource: StageResource,
  context: CustomResourceContext,
): Promise<void> {
  const { stackName, logicalId, type } = resource;
  const where = `${stackName}/${logicalId} (${type})`;
  const { ServiceToken, ...properties } = resource.properties;
  const provider = context.resolver.reference(stackName, ServiceToken, `${where} ServiceToken`);
  const providerFunction =
    provider.type === 'AWS::Lambda::Function'
      ? context.stage.resource(provider.stackName, provider.logicalId)
      : undefined;
  const variables = (
    providerFunction?.properties.Environment as { Variables?: Record<string, unknown> } | undefined
  )?.Variables;
  if (!variables?.USER_ON_EVENT_FUNCTION_ARN) {
    throw new Error(
      `${where}: only custom resources of the CDK Provider framework (aws-cdk-lib/custom-resources ` +
        'Provider) run on the local platform; this one is served by another kind of provider',
    );
  }
  if (variables.USER_IS_COMPLETE_FUNCTION_ARN) {
    throw new Error(`${where}: a Provider with an isComplete handler is not supported on the local platform`);
  }
  const onEvent = context.resolver.reference(
    provider.stackName,
    variables.USER_ON_EVENT_FUNCTION_ARN,
    `${provider.stackName}/${provider.logicalId} USER_ON_EVENT_FUNCTION_ARN`,
  );
  const result = await context.invoke(onEvent, {
    RequestType: 'Create',
    ServiceToken: 'local',
    ResponseURL: 'http://localhost/unused',
    StackId: `arn:aws:cloudformation:us-east-1:000000000000:stack/${stackName}/local`,
    RequestId: randomUUID(),
    LogicalResourceId: logicalId,
    ResourceType: type,
    ResourceProperties: {
      ServiceToken: 'local',
      ...(context.resolver.resolve(stackName, properties, where) as object),
    },
  });
  if (!result.ok) throw new Error(`${where} failed: ${result.errorType}: ${result.errorMessage}`);
  context.log(`Custom resource ${stackName}/${logicalId} created`);
}

interface BucketDeploymentProperties {
  SourceObjectKeys?: unknown;
  SourceMarkers?: unknown;
  DestinationBucketName?: unknown;
  DestinationBucketKeyPrefix?: unknown;
  SystemMetadata?: { 'cache-control'?: unknown };
}

async function deployBucket(resource: StageResource, context: CustomResourceContext): Promise<void> {
  const { stackName, logicalId } = resource;
  const where = `${stackName}/${logicalId}`;
  const props = context.resolver.resolve(stackName, resource.properties, where) as BucketDeploymentProperties;
  const keys = (props.SourceObjectKeys ?? []) as string[];
  const markers = (props.SourceMarkers ?? []) as Record<string, string>[];
  const bucket = String(props.DestinationBucketName);
  const prefix = props.DestinationBucketKeyPrefix ? String(props.DestinationBucketKeyPrefix) : '';
  const cacheControl = props.SystemMetadata?.['cache-control'];
  let count = 0;
  for (const [index, key] of keys.entries()) {
    const directory = path.join(context.assetRoot, `asset.${key.replace(/\.zip$/, '')}`);
    if (!fs.existsSync(directory) || !fs.statSync(directory).isDirectory()) {
      throw new Error(`${where}: source ${key} is not an asset folder under ${context.assetRoot}`);
    }
    for (const file of filesUnder(directory)) {
      let body: Buffer | string = fs.readFileSync(file);
      const replacements = Object.entries(markers[index] ?? {});
      if (replacements.length > 0) {
        body = replacements.reduce(
          (text, [marker, value]) => text.split(marker).join(value),
          body.toString('utf8'),
        );
      }
      const objectKey = prefix + path.relative(directory, file).split(path.sep).join('/');
      await context.s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: objectKey,
          Body: body,
          ContentType: contentTypeOf(file) || 'application/octet-stream',
          ...(typeof cacheControl === 'string' && { CacheControl: cacheControl }),
        }),
      );
      count += 1;
    }
  }
  context.log(`Bucket deployment ${where}: ${count} files to s3://${bucket}/${prefix}`);
}

function filesUnder(directory: string): string[] {
  return fs
    .readdirSync(directory, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}
