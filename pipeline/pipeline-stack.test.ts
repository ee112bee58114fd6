import * as fs from 'node:fs';
import { Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import YAML from 'yaml';
import { ENVIRONMENT_TAG_KEY } from '../infra/stage';
import { buildTestPlatform, cdkJsonPlatformConfig } from '../infra/testing/platform-app';
import packageJson from '../package.json';
import { INTEG_BUILD_SPEC_FILE } from './integration-test-build-spec';

interface PipelineAction {
  Name: string;
  RunOrder: number;
  ActionTypeId: { Provider: string };
  Configuration?: Record<string, unknown>;
}

const { pipelineStack, stages } = buildTestPlatform();
const template = Template.fromStack(pipelineStack);
const pipeline = Object.values(template.findResources('AWS::CodePipeline::Pipeline'))[0]!.Properties;
const stage = (name: string): PipelineAction[] =>
  pipeline.Stages.find((s: { Name: string }) => s.Name === name).Actions;
const runOrderOf = (stageName: string, actionName: string): number =>
  stage(stageName).find((action) => action.Name === actionName)!.RunOrder;

function projectOf(projectLogicalIdPrefix: string): Record<string, any> {
  const [project] = Object.entries(template.findResources('AWS::CodeBuild::Project')).filter(([id]) =>
    id.startsWith(projectLogicalIdPrefix),
  );
  return project![1];
}

function buildSpecOf(projectLogicalIdPrefix: string): Record<string, any> {
  return JSON.parse(projectOf(projectLogicalIdPrefix).Properties.Source.BuildSpec);
}

/** The statements the integration-test step of a stage gets besides CDK Pipelines' own (which have no Sid), by Sid. */
function integrationTestStatements(stageName: string): Record<string, any> {
  const policies = Object.entries(template.findResources('AWS::IAM::Policy')).filter(([id]) =>
    id.startsWith(`Pipeline${stageName}IntegrationTestsRole`),
  );
  expect(policies).toHaveLength(1);
  const statements: any[] = policies[0]![1].Properties.PolicyDocument.Statement;
  return Object.fromEntries(
    statements.filter((statement) => statement.Sid).map(({ Sid, ...statement }) => [Sid, statement]),
  );
}

/** One deploy action per stack of the stage. */
const stackDeployActions = (name: 'dev' | 'staging' | 'prod'): string[] =>
  stages[name].node.children
    .filter(Stack.isStack)
    .map((stack) => `${stack.node.id}.Deploy`)
    .sort();

describe('PipelineStack', () => {
  it('is a V2 CodePipeline that updates itself', () => {
    expect(pipeline.PipelineType).toBe('V2');
    expect(stage('UpdatePipeline').map((action) => action.Name)).toEqual(['SelfMutate']);
    const selfMutation = buildSpecOf('PipelineUpdatePipelineSelfMutation');
    expect(selfMutation.phases.build.commands).toEqual([
      'cdk -a . deploy EcommercePlatformPipeline --require-approval=never --verbose',
    ]);
    // with the CLI version the repository pins
    expect(selfMutation.phases.install.commands).toEqual([
      `npm install -g aws-cdk@${packageJson.devDependencies['aws-cdk']}`,
    ]);
  });

  it('runs Source, Build, UpdatePipeline, Assets, then dev, staging and prod, in that order', () => {
    expect(pipeline.Stages.map((s: { Name: string }) => s.Name)).toEqual([
      'Source',
      'Build',
      'UpdatePipeline',
      'Assets',
      'dev',
      'staging',
      'prod',
    ]);
  });

  it('starts on every push to the configured branch through the CodeConnections connection', () => {
    const [source] = stage('Source');
    expect(source!.ActionTypeId.Provider).toBe('CodeStarSourceConnection');
    expect(source!.Configuration).toEqual({
      ConnectionArn: cdkJsonPlatformConfig().pipeline.source.connectionArn,
      FullRepositoryId: 'example-org/ecommerce-platform',
      BranchName: 'main',
      DetectChanges: true,
    });
  });

  it('synthesizes with npm ci, npm test and cdk synth, publishing the JUnit reports', () => {
    const spec = buildSpecOf('PipelineBuildSynthCdkBuildProject');
    // Java runs DynamoDB Local for the services' tests.
    expect(spec.phases.install['runtime-versions']).toEqual({ nodejs: '22', java: 'corretto17' });
    expect(spec.phases.build.commands).toEqual(['npm ci', 'npm test', 'npx cdk synth']);
    expect(spec.reports.UnitTests).toEqual({
      files: ['**/*.xml'],
      'base-directory': 'reports',
      'file-format': 'JUNITXML',
    });
  });

  it.each(['dev', 'staging'] as const)(
    'tests %s after deploying it, with the stage outputs as environment',
    (name) => {
      const actions = stage(name);
      const deploys = actions.filter((action) => action.Name.endsWith('.Deploy'));
      expect(deploys.map((action) => action.Name).sort()).toEqual(stackDeployActions(name));
      const integ = actions.find((action) => action.Name === 'IntegrationTests')!;
      expect(integ.RunOrder).toBeGreaterThan(Math.max(...deploys.map((action) => action.RunOrder)));
      const variables = JSON.parse(integ.Configuration!.EnvironmentVariables as string) as {
        name: string;
        value: string;
      }[];
      const output = (stack: string, outputName: string) =>
        expect.stringMatching(
          new RegExp(`^#\\{EcommercePlatformPipeline${name}${stack}[0-9A-F]+\\.${outputName}\\}$`),
        );
      expect(Object.fromEntries(variables.map((variable) => [variable.name, variable.value]))).toEqual({
        WEBSITE_URL: output('Stateful', 'WebsiteUrl'),
        USER_POOL_ID: output('Stateful', 'UserPoolId'),
        USER_POOL_CLIENT_ID: output('Stateful', 'UserPoolClientId'),
        API_URL: output('Api', 'ApiUrl'),
        CLICKSTREAM_STREAM_NAME: output('Stateful', 'ClickstreamStreamName'),
        CLICKSTREAM_BUCKET_NAME: output('Stateful', 'ClickstreamBucketName'),
        CLICKSTREAM_LAKE_PREFIX: output('Clickstream', 'ClickstreamLakePrefix'),
      });
    },
  );

  describe.each(['dev', 'staging'] as const)('the integration tests of %s', (name) => {
    const project = projectOf(`Pipeline${name}IntegrationTests`);
    const statements = integrationTestStatements(name);
    const stateful = Template.fromStack(stages[name].stateful);
    const logicalIdOf = (type: string) => Object.keys(stateful.findResources(type))[0]!;

    it("run in the stage's region", () => {
      expect(project.Properties.Environment.EnvironmentVariables).toEqual([
        { Name: 'AWS_REGION', Type: 'PLAINTEXT', Value: 'us-east-1' },
      ]);
    });

    it("may put records into the stage's clickstream stream, named as CloudFormation names it, and nothing else there", () => {
      const streamId = logicalIdOf('AWS::Kinesis::Stream');
      expect(statements.PutRecordsIntoTheClickstream).toEqual({
        Effect: 'Allow',
        Action: 'kinesis:PutRecords',
        Resource: `arn:aws:kinesis:us-east-1:123456789012:stream/${name}-Stateful-${streamId}-*`,
      });
    });

    it("may create, set the password of, add to a group and delete users of the user pool tagged with the stage's name only", () => {
      expect(statements.ManageTestUsersOfTheStage).toEqual({
        Effect: 'Allow',
        Action: [
          'cognito-idp:AdminAddUserToGroup',
          'cognito-idp:AdminCreateUser',
          'cognito-idp:AdminDeleteUser',
          'cognito-idp:AdminSetUserPassword',
        ],
        Resource: 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/*',
        Condition: { StringEquals: { [`aws:ResourceTag/${ENVIRONMENT_TAG_KEY}`]: name } },
      });
      stateful.hasResourceProperties('AWS::Cognito::UserPool', {
        UserPoolTags: { [ENVIRONMENT_TAG_KEY]: name },
      });
    });

    it("may list and read the clickstream in the stage's lake bucket, under the clickstream prefix only", () => {
      const bucketId = Object.keys(stateful.findResources('AWS::S3::Bucket')).find((id) =>
        id.startsWith('ClickstreamBucket'),
      )!;
      // Bucket names are lower case: CloudFormation lowers the stack name and logical id.
      const bucket = `${name}-stateful-${bucketId.toLowerCase()}-*`;
      const inStageAccount = { 'aws:ResourceAccount': '123456789012' };
      expect(statements.ListTheClickstreamInTheLake).toEqual({
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: `arn:aws:s3:::${bucket}`,
        Condition: { StringEquals: inStageAccount, StringLike: { 's3:prefix': ['clickstream/*'] } },
      });
      expect(statements.ReadTheClickstreamInTheLake).toEqual({
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: `arn:aws:s3:::${bucket}/clickstream/*`,
        Condition: { StringEquals: inStageAccount },
      });
    });

    it('have their wildcards acknowledged with their own reason, not the one of CDK Pipelines statements', () => {
      const acknowledged = pipelineStack.node
        .findAll()
        .filter((construct) => construct.node.path.includes(`/Pipeline/${name}/IntegrationTests/`))
        .flatMap((construct) => construct.node.metadata)
        .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((entry) => Object.entries(entry.data as Record<string, string>));
      const own = acknowledged.filter(([id]) => /kinesis:|cognito-idp:|clickstreambucket/.test(id));
      expect(own.map(([id]) => id.replace(/^.*IAM5\[Resource::/, '').replace(/\]$/, '')).sort()).toEqual([
        'arn:aws:cognito-idp:us-east-1:123456789012:userpool/*',
        expect.stringMatching(new RegExp(`^arn:aws:kinesis:us-east-1:123456789012:stream/${name}-Stateful-`)),
        expect.stringMatching(new RegExp(`^arn:aws:s3:::${name}-stateful-clickstreambucket\\w+-\\*$`)),
        expect.stringMatching(
          new RegExp(`^arn:aws:s3:::${name}-stateful-clickstreambucket\\w+-\\*/clickstream/\\*$`),
        ),
      ]);
      for (const [, reason] of own) expect(reason).toMatch(new RegExp(`^The integration tests of ${name} `));
    });

    it('get nothing else beyond what CDK Pipelines gives every step (logs, reports, the artifacts)', () => {
      expect(Object.keys(statements).sort()).toEqual([
        'ListTheClickstreamInTheLake',
        'ManageTestUsersOfTheStage',
        'PutRecordsIntoTheClickstream',
        'ReadTheClickstreamInTheLake',
      ]);
      const other = name === 'dev' ? 'staging' : 'dev';
      expect(JSON.stringify(statements)).not.toMatch(new RegExp(`${other}-|: *"${other}"`, 'i'));
      expect(JSON.stringify(statements)).not.toContain('kms:');
    });
  });

  it.each(['dev', 'staging'])(
    'runs exactly the build buildspec.yml defines after %s, with its JUnit report group',
    (name) => {
      const file = YAML.parse(fs.readFileSync(INTEG_BUILD_SPEC_FILE, 'utf8'));
      const spec = buildSpecOf(`Pipeline${name}IntegrationTests`);
      expect(spec.phases.install.commands).toEqual(file.phases.install.commands);
      expect(spec.phases.build.commands).toEqual(file.phases.build.commands);
      expect(spec.reports).toEqual(file.reports);
      expect(spec.reports.IntegrationTests['file-format']).toBe('JUNITXML');
    },
  );

  it('checks for broadened permissions and waits for a manual approval before deploying prod', () => {
    const actions = stage('prod');
    expect(actions.find((a) => a.Name === 'SecurityCheck.Check')!.ActionTypeId.Provider).toBe('CodeBuild');
    const approval = actions.find((a) => a.Name === 'PromoteToProd')!;
    expect(approval.ActionTypeId.Provider).toBe('Manual');
    expect(approval.Configuration).toMatchObject({
      NotificationArn: { Ref: expect.stringMatching(/^ApprovalTopic/) },
    });
    expect(runOrderOf('prod', 'SecurityCheck.Check')).toBeLessThan(approval.RunOrder);
    const firstDeploy = Math.min(
      ...actions.filter((a) => a.Name.endsWith('.Prepare')).map((a) => a.RunOrder),
    );
    expect(approval.RunOrder).toBeLessThan(firstDeploy);
  });

  it('notifies approvers by email through an encrypted topic', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'release-approvers@example.com',
    });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('uses no cross-account keys while every stage is in the pipeline account', () => {
    expect(pipeline.ArtifactStore.EncryptionKey).toBeUndefined();
  });

  it('encrypts artifacts with a rotated customer managed key when a stage is in another account', () => {
    const config = cdkJsonPlatformConfig();
    config.environments.prod.account = '210987654321';
    const crossAccount = Template.fromStack(buildTestPlatform(config).pipelineStack);
    crossAccount.hasResourceProperties('AWS::CodePipeline::Pipeline', {
      ArtifactStore: Match.objectLike({ EncryptionKey: { Id: Match.anyValue(), Type: 'KMS' } }),
    });
    const keyPolicies = JSON.stringify(
      Object.values(crossAccount.findResources('AWS::KMS::Key', { Properties: { EnableKeyRotation: true } })),
    );
    expect(keyPolicies).toContain(':iam::210987654321:role/cdk-hnb659fds-deploy-role-210987654321-us-east-1');
  });
});
