import { App, Aws, Fn, Stack } from 'aws-cdk-lib';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import { environmentConfig } from '../infra/config/platform-config';
import { PlatformStage } from '../infra/stage';
import { CDK_CONTEXT, cdkJsonPlatformConfig } from '../infra/testing/platform-app';
import { integrationTestAccess } from './integration-test-permissions';

/** A stage and a stack beside it, without bundling the functions (only names matter here). */
function stageNamed(id: string) {
  const app = new App({ context: { ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
  const config = environmentConfig(cdkJsonPlatformConfig(), 'dev');
  const stage = new PlatformStage(app, id, { config });
  const pipelineStack = new Stack(app, 'Pipeline', {
    env: { account: config.account, region: config.region },
  });
  const cfnStream = stage.stateful.clickstreamStream.node.defaultChild as kinesis.CfnStream;
  return { stage, pipelineStack, cfnStream };
}

const streamResourceOf = (access: ReturnType<typeof integrationTestAccess>) =>
  access.statements.find((statement) => statement.sid === 'PutRecordsIntoTheClickstream')!.toStatementJson()
    .Resource;

describe('integrationTestAccess', () => {
  it('names a resource CloudFormation names by the start of its generated name, and lists the wildcard findings', () => {
    const { stage, pipelineStack } = stageNamed('dev');
    const access = integrationTestAccess(stage, pipelineStack);
    expect(streamResourceOf(access)).toBe(
      'arn:aws:kinesis:us-east-1:123456789012:stream/dev-Stateful-ClickstreamStream3FFDB429-*',
    );
    expect(access.wildcardFindings.sort()).toEqual([
      'Resource::arn:aws:cognito-idp:us-east-1:123456789012:userpool/*',
      'Resource::arn:aws:kinesis:us-east-1:123456789012:stream/dev-Stateful-ClickstreamStream3FFDB429-*',
      'Resource::arn:aws:s3:::dev-stateful-clickstreambucketd2103901-*',
      'Resource::arn:aws:s3:::dev-stateful-clickstreambucketd2103901-*/clickstream/*',
    ]);
  });

  it('names a resource by the name its template gives it, when it has one', () => {
    const { stage, pipelineStack, cfnStream } = stageNamed('dev');
    cfnStream.name = 'shop-clickstream';
    expect(streamResourceOf(integrationTestAccess(stage, pipelineStack))).toBe(
      'arn:aws:kinesis:us-east-1:123456789012:stream/shop-clickstream',
    );
  });

  it('refuses at synth a name only known at deploy time', () => {
    const { stage, pipelineStack, cfnStream } = stageNamed('dev');
    cfnStream.name = Fn.join('-', [Aws.STACK_NAME, 'clickstream']);
    expect(() => integrationTestAccess(stage, pipelineStack)).toThrow(
      /ClickstreamStream\/Resource: its name is only known at deploy time/,
    );
  });

  it('refuses at synth a stage whose generated names CloudFormation would shorten', () => {
    const { stage, pipelineStack } = stageNamed('a-stage-with-a-rather-long-name');
    expect(() => integrationTestAccess(stage, pipelineStack)).toThrow(
      /ClickstreamBucket\/Resource: CloudFormation would shorten its generated name "a-stage-with-a-rather-long-name-Stateful-ClickstreamBucketD2103901-<random>" to fit 63 characters/,
    );
  });
});
