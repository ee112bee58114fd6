import type { IntrinsicResolver, ResourceReference } from './intrinsics';
import type { StageResource, StageTemplates } from './stage-templates';

/** An `AWS::Lambda::EventSourceMapping` of the stage, with Lambda's defaults filled in. */
export interface LocalEventSourceMapping {
  readonly stackName: string;
  readonly logicalId: string;
  /** The function invoked, in the stack of the mapping. */
  readonly functionLogicalId: string;
  /** The Kinesis stream or the DynamoDB table (its stream) read, in whichever stack declares it. */
  readonly source: ResourceReference;
  readonly batchSize: number;
  readonly maximumBatchingWindowInSeconds: number;
  readonly bisectBatchOnFunctionError: boolean;
  /** -1 retries until the record expires, as in Lambda. */
  readonly maximumRetryAttempts: number;
  /** -1 keeps records until they expire from the stream, as in Lambda. */
  readonly maximumRecordAgeInSeconds: number;
  /** `ReportBatchItemFailures` when the function reports `batchItemFailures`. */
  readonly functionResponseTypes: string[];
  readonly startingPosition?: string;
  /** The queue (or topic) that receives the records of batches that failed for good. */
  readonly onFailure?: ResourceReference;
  readonly parallelizationFactor: number;
}

interface CfnEventSourceMappingProperties {
  FunctionName?: unknown;
  EventSourceArn?: unknown;
  BatchSize?: unknown;
  MaximumBatchingWindowInSeconds?: unknown;
  BisectBatchOnFunctionError?: unknown;
  MaximumRetryAttempts?: unknown;
  MaximumRecordAgeInSeconds?: unknown;
  FunctionResponseTypes?: unknown;
  StartingPosition?: unknown;
  DestinationConfig?: { OnFailure?: { Destination?: unknown } };
  ParallelizationFactor?: unknown;
}

/** Every event source mapping of the stage, with the resources it connects. */
export function stageEventSourceMappings(
  stage: StageTemplates,
  resolver: IntrinsicResolver,
): LocalEventSourceMapping[] {
  return stage
    .resourcesOfType('AWS::Lambda::EventSourceMapping')
    .map((resource) => localEventSourceMapping(resource, resolver));
}

function localEventSourceMapping(
  resource: StageResource,
  resolver: IntrinsicResolver,
): LocalEventSourceMapping {
  const { stackName, logicalId } = resource;
  const props = resource.properties as CfnEventSourceMappingProperties;
  const where = (property: string) => `${stackName}/${logicalId} ${property}`;
  const resolve = (property: keyof CfnEventSourceMappingProperties) =>
    resolver.resolve(stackName, props[property], where(property));
  const number = (property: keyof CfnEventSourceMappingProperties, lambdaDefault: number) =>
    props[property] === undefined ? lambdaDefault : Number(resolve(property));
  const fn = resolver.reference(stackName, props.FunctionName, where('FunctionName'));
  const onFailure = props.DestinationConfig?.OnFailure?.Destination;
  return {
    stackName,
    logicalId,
    functionLogicalId: fn.logicalId,
    source: resolver.reference(stackName, props.EventSourceArn, where('EventSourceArn')),
    batchSize: number('BatchSize', 100),
    maximumBatchingWindowInSeconds: number('MaximumBatchingWindowInSeconds', 0),
    bisectBatchOnFunctionError: resolve('BisectBatchOnFunctionError') === true,
    maximumRetryAttempts: number('MaximumRetryAttempts', -1),
    maximumRecordAgeInSeconds: number('MaximumRecordAgeInSeconds', -1),
    functionResponseTypes: ((resolve('FunctionResponseTypes') ?? []) as unknown[]).map(String),
    ...(props.StartingPosition !== undefined && {
      startingPosition: resolver.resolveString(stackName, props.StartingPosition, where('StartingPosition')),
    }),
    ...(onFailure !== undefined && {
      onFailure: resolver.reference(stackName, onFailure, where('DestinationConfig.OnFailure.Destination')),
    }),
    parallelizationFactor: number('ParallelizationFactor', 1),
  };
}
