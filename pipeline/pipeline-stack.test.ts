import * as fs from 'node:fs';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import YAML from 'yaml';
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

function buildSpecOf(projectLogicalIdPrefix: string): Record<string, any> {
  const [project] = Object.entries(template.findResources('AWS::CodeBuild::Project')).filter(([id]) =>
    id.startsWith(projectLogicalIdPrefix),
  );
  return JSON.parse(project![1].Properties.Source.BuildSpec);
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
      expect(variables.map((variable) => variable.name)).toEqual([
        'WEBSITE_URL',
        'USER_POOL_ID',
        'USER_POOL_CLIENT_ID',
        'API_URL',
      ]);
      expect(variables[0]!.value).toMatch(
        new RegExp(`^#\\{EcommercePlatformPipeline${name}Stateful[0-9A-F]+\\.WebsiteUrl\\}$`),
      );
      expect(variables[3]!.value).toMatch(
        new RegExp(`^#\\{EcommercePlatformPipeline${name}Api[0-9A-F]+\\.ApiUrl\\}$`),
      );
    },
  );

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
