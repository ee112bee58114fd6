import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildTestPlatform } from '../../infra/testing/platform-app';
import { stageFunctions, type LocalFunction, type StageFunctions } from './functions';
import { IntrinsicResolver } from './intrinsics';
import { defaultLocalNames } from './local-names';
import { StageTemplates } from './stage-templates';

describe('stageFunctions on the dev stage', () => {
  const localNames = defaultLocalNames();
  let stage: StageTemplates;
  let found: StageFunctions;
  const byPrefix = (prefix: string): LocalFunction =>
    found.functions.find((fn) => fn.logicalId.startsWith(prefix))!;
  const logicalIdOf = (stackName: string, type: string, prefix: string) =>
    stage.resourcesOfType(type).find((r) => r.stackName === stackName && r.logicalId.startsWith(prefix))!
      .logicalId;

  beforeAll(() => {
    const { app, stages } = buildTestPlatform();
    app.synth();
    stage = StageTemplates.fromAssemblyDirectory(stages.dev.outdir);
    found = stageFunctions(stage, new IntrinsicResolver(stage, localNames), app.outdir);
  });

  it('lists every function of the Api and Clickstream stacks, CDK-internal ones apart', () => {
    const declared = stage
      .resourcesOfType('AWS::Lambda::Function')
      .filter((r) => r.stackName === 'dev-Api' || r.stackName === 'dev-Clickstream')
      .map((r) => r.logicalId);
    const listed = [...found.functions, ...found.cdkInternal].map((fn) => fn.logicalId);

    expect(listed).toEqual(expect.arrayContaining(declared));
    expect(found.functions.map((fn) => fn.logicalId)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^CatalogProductsApi/),
        expect.stringMatching(/^OrdersOrderProcessing/),
        expect.stringMatching(/^OrdersOrderIndexer/),
        expect.stringMatching(/^RealtimeAnalyticsAnalyticsApi/),
        expect.stringMatching(/^ClickstreamClickstreamProcessor/),
      ]),
    );
    expect(found.cdkInternal.map((fn) => fn.logicalId)).toEqual(
      expect.arrayContaining([expect.stringMatching(/AutoDeleteObjects/), expect.stringMatching(/Provider/)]),
    );
  });

  it('resolves every environment variable of every function to a string', () => {
    for (const fn of found.functions) {
      for (const value of Object.values(fn.environment)) expect(typeof value).toBe('string');
    }
  });

  it('gives OrderProcessing the local name of OrdersTable and a string OpenSearch endpoint', () => {
    const ordersTable = logicalIdOf('dev-Stateful', 'AWS::DynamoDB::Table', 'OrdersTable');
    const orderProcessing = byPrefix('OrdersOrderProcessing');

    expect(orderProcessing.environment.ORDERS_TABLE_NAME).toBe(
      localNames('dev-Stateful', ordersTable, 'AWS::DynamoDB::Table').ref,
    );
    expect(orderProcessing.environment.OPENSEARCH_ENDPOINT).toMatch(/^https:\/\/\S+$/);
    expect(orderProcessing).toMatchObject({
      handler: 'index.handler',
      runtime: expect.stringMatching(/^nodejs/),
    });
    expect(orderProcessing.timeoutSeconds).toBeGreaterThan(0);
    expect(orderProcessing.memoryMb).toBeGreaterThanOrEqual(128);
  });

  it('finds the bundled code of every platform function, with its index.js, in the assembly', () => {
    for (const fn of found.functions) {
      expect(fn.code.kind).toBe('asset');
      if (fn.code.kind === 'asset')
        expect(fs.existsSync(path.join(fn.code.directory, 'index.js'))).toBe(true);
    }
  });
});
