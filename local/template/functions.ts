import * as path from 'node:path';
import type { IntrinsicResolver } from './intrinsics';
import type { StageResource, StageTemplates } from './stage-templates';

/** Where a function's code is locally. */
export type FunctionCode =
  | { readonly kind: 'asset'; readonly directory: string }
  | { readonly kind: 'inline'; readonly source: string };

/** An `AWS::Lambda::Function` of the stage, as the local platform runs it. */
export interface LocalFunction {
  readonly stackName: string;
  readonly logicalId: string;
  /** Such as `index.handler`: the file `index.js` of the code, its export `handler`. */
  readonly handler: string;
  readonly runtime: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  /** `Environment.Variables`, every value resolved. */
  readonly environment: Readonly<Record<string, string>>;
  readonly code: FunctionCode;
}

export interface StageFunctions {
  /** The platform's own functions. */
  readonly functions: LocalFunction[];
  /** Functions CDK adds to run custom resources, deploy buckets or empty them. */
  readonly cdkInternal: LocalFunction[];
}

/** Lambda's defaults when a template leaves them out. */
const DEFAULT_TIMEOUT_SECONDS = 3;
const DEFAULT_MEMORY_MB = 128;

const CDK_INTERNAL_LOGICAL_ID = /^Custom[A-Z]|Provider|BucketDeployment|AutoDeleteObjects/;

/**
 * Every Lambda function of the stage, with its environment resolved to local values and its code
 * found under `assetRoot` (the root cloud assembly directory, which holds `asset.<hash>` folders).
 */
export function stageFunctions(
  stage: StageTemplates,
  resolver: IntrinsicResolver,
  assetRoot: string,
): StageFunctions {
  const all = stage
    .resourcesOfType('AWS::Lambda::Function')
    .map((resource) => localFunction(resource, resolver, assetRoot));
  return {
    functions: all.filter((fn) => !CDK_INTERNAL_LOGICAL_ID.test(fn.logicalId)),
    cdkInternal: all.filter((fn) => CDK_INTERNAL_LOGICAL_ID.test(fn.logicalId)),
  };
}

interface CfnFunctionProperties {
  Handler?: unknown;
  Runtime?: unknown;
  Timeout?: unknown;
  MemorySize?: unknown;
  Environment?: { Variables?: Record<string, unknown> };
  Code?: { S3Key?: unknown; ZipFile?: unknown };
}

function localFunction(
  resource: StageResource,
  resolver: IntrinsicResolver,
  assetRoot: string,
): LocalFunction {
  const { stackName, logicalId } = resource;
  const props = resource.properties as CfnFunctionProperties;
  const where = (property: string) => `${stackName}/${logicalId} ${property}`;
  const string = (value: unknown, property: string) =>
    resolver.resolveString(stackName, value, where(property));
  const environment = Object.fromEntries(
    Object.entries(props.Environment?.Variables ?? {}).map(([name, value]) => [
      name,
      string(value, `Environment.Variables.${name}`),
    ]),
  );
  return {
    stackName,
    logicalId,
    handler: string(props.Handler, 'Handler'),
    runtime: string(props.Runtime, 'Runtime'),
    timeoutSeconds:
      props.Timeout === undefined ? DEFAULT_TIMEOUT_SECONDS : Number(string(props.Timeout, 'Timeout')),
    memoryMb:
      props.MemorySize === undefined ? DEFAULT_MEMORY_MB : Number(string(props.MemorySize, 'MemorySize')),
    environment,
    code: functionCode(
      props.Code,
      (value, property) => string(value, `Code.${property}`),
      assetRoot,
      where('Code'),
    ),
  };
}

function functionCode(
  code: CfnFunctionProperties['Code'],
  string: (value: unknown, property: string) => string,
  assetRoot: string,
  where: string,
): FunctionCode {
  if (code?.ZipFile !== undefined) return { kind: 'inline', source: string(code.ZipFile, 'ZipFile') };
  const key = code?.S3Key === undefined ? undefined : string(code.S3Key, 'S3Key');
  const hash = key?.match(/^([0-9a-f]+)\.zip$/)?.[1];
  if (!hash) throw new Error(`${where}: expected an S3Key <hash>.zip of a CDK asset, received ${key}`);
  return { kind: 'asset', directory: path.join(assetRoot, `asset.${hash}`) };
}
