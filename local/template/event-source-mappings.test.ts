import { buildTestPlatform } from '../../infra/testing/platform-app';
import { stageEventSourceMappings, type LocalEventSourceMapping } from './event-source-mappings';
import { IntrinsicResolver } from './intrinsics';
import { defaultLocalNames } from './local-names';
import { StageTemplates, type StageResource } from './stage-templates';

describe('stageEventSourceMappings on the dev stage', () => {
  let stage: StageTemplates;
  let mappings: LocalEventSourceMapping[];

  beforeAll(() => {
    const { stages } = buildTestPlatform();
    const dev = stages.dev;
    stage = StageTemplates.fromStacks([
      dev.stateful,
      dev.api,
      dev.clickstream,
      dev.operations,
      dev.websiteContent,
    ]);
    mappings = stageEventSourceMappings(stage, new IntrinsicResolver(stage, defaultLocalNames()));
  });

  const mappingOf = (functionPrefix: string) => {
    const mapping = mappings.find((m) => m.functionLogicalId.startsWith(functionPrefix))!;
    return { mapping, declared: stage.resource(mapping.stackName, mapping.logicalId) };
  };
  const resourceStartingWith = (stackName: string, prefix: string): StageResource =>
    stage.resources().find((r) => r.stackName === stackName && r.logicalId.startsWith(prefix))!;

  /** The settings as the template declares them, with Lambda's defaults where it leaves one out. */
  const declaredSettings = (declared: StageResource) => {
    const p = declared.properties as Record<string, any>;
    return {
      batchSize: p.BatchSize ?? 100,
      maximumBatchingWindowInSeconds: p.MaximumBatchingWindowInSeconds ?? 0,
      bisectBatchOnFunctionError: p.BisectBatchOnFunctionError ?? false,
      maximumRetryAttempts: p.MaximumRetryAttempts ?? -1,
      maximumRecordAgeInSeconds: p.MaximumRecordAgeInSeconds ?? -1,
      functionResponseTypes: p.FunctionResponseTypes ?? [],
      startingPosition: p.StartingPosition,
      parallelizationFactor: p.ParallelizationFactor ?? 1,
      onFailure: expect.objectContaining({
        logicalId: p.DestinationConfig.OnFailure.Destination['Fn::GetAtt'][0],
        type: 'AWS::SQS::Queue',
      }),
    };
  };

  it("reads OrderIndexer's mapping with the infra's settings, from OrdersTable's stream", () => {
    const { mapping, declared } = mappingOf('OrdersOrderIndexer');
    const ordersTable = resourceStartingWith('dev-Stateful', 'OrdersTable');

    expect(mapping).toMatchObject(declaredSettings(declared));
    expect(mapping.source).toEqual({
      stackName: 'dev-Stateful',
      logicalId: ordersTable.logicalId,
      type: 'AWS::DynamoDB::Table',
      attribute: 'StreamArn',
    });
  });

  it("reads ClickstreamProcessor's mapping with the infra's settings, from ClickstreamStream", () => {
    const { mapping, declared } = mappingOf('ClickstreamClickstreamProcessor');
    const clickstreamStream = resourceStartingWith('dev-Stateful', 'ClickstreamStream');

    expect(mapping).toMatchObject(declaredSettings(declared));
    expect(mapping.source).toEqual({
      stackName: 'dev-Stateful',
      logicalId: clickstreamStream.logicalId,
      type: 'AWS::Kinesis::Stream',
      attribute: 'Arn',
    });
  });
});
