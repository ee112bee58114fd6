import { Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import { PipelineType } from 'aws-cdk-lib/aws-codepipeline';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import {
  CodeBuildStep,
  CodePipeline,
  CodePipelineSource,
  ConfirmPermissionsBroadening,
  ManualApprovalStep,
  Step,
  type IFileSetProducer,
} from 'aws-cdk-lib/pipelines';
import type { Construct } from 'constructs';
import packageJson from '../package.json';
import { acknowledgeWildcardPermissions } from '../infra/compliance/acknowledge-wildcards';
import {
  environmentConfig,
  type EnvironmentName,
  type PlatformConfig,
} from '../infra/config/platform-config';
import { PlatformStage } from '../infra/stage';
import { loadIntegrationTestBuildSpec } from './integration-test-build-spec';
import { integrationTestAccess, type IntegrationTestAccess } from './integration-test-permissions';

export interface PipelineStackProps extends StackProps {
  readonly config: PlatformConfig;
  /**
   * Folder holding the built storefront, deployed by every stage.
   * @default SITE_DIRECTORY (`web/dist`, written by `npm run build`)
   */
  readonly siteDirectory?: string;
}

/** Runtimes of the builds (CodeBuild standard 7.0 image): Node.js, and Java for DynamoDB Local in the tests. */
const BUILD_RUNTIMES = { nodejs: '22', java: 'corretto17' };

/**
 * The delivery pipeline: every push to the configured branch is synthesized and tested, updates
 * the pipeline itself, then deploys dev, runs the integration tests against it, deploys staging,
 * runs them again, and deploys prod after a permissions-broadening check and a manual approval.
 */
export class PipelineStack extends Stack {
  public readonly pipeline: CodePipeline;
  public readonly stages: Record<EnvironmentName, PlatformStage>;
  /** Receives approval requests and permission-broadening warnings before prod. */
  public readonly approvalTopic: sns.Topic;

  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    super(scope, id, props);
    const { pipeline: settings, environments } = props.config;

    const source = CodePipelineSource.connection(settings.source.repository, settings.source.branch, {
      connectionArn: settings.source.connectionArn,
      triggerOnPush: true,
    });

    const crossAccount = Object.values(environments).some((env) => env.account !== settings.account);
    this.pipeline = new CodePipeline(this, 'Pipeline', {
      pipelineType: PipelineType.V2,
      selfMutation: true,
      crossAccountKeys: crossAccount,
      enableKeyRotation: crossAccount,
      // The self-mutation step installs the CLI version this repository pins, not the newest.
      cliVersion: packageJson.devDependencies['aws-cdk'],
      codeBuildDefaults: {
        buildEnvironment: {
          buildImage: codebuild.LinuxBuildImage.STANDARD_7_0,
          computeType: codebuild.ComputeType.MEDIUM,
        },
        partialBuildSpec: codebuild.BuildSpec.fromObject({
          phases: { install: { 'runtime-versions': BUILD_RUNTIMES } },
        }),
      },
      synth: new CodeBuildStep('Synth', {
        input: source,
        env: { CI: 'true' },
        commands: ['npm ci', 'npm test', 'npx cdk synth'],
        primaryOutputDirectory: 'cdk.out',
        partialBuildSpec: codebuild.BuildSpec.fromObject({
          reports: {
            UnitTests: { files: ['**/*.xml'], 'base-directory': 'reports', 'file-format': 'JUNITXML' },
          },
        }),
      }),
    });

    const approvalKey = new kms.Key(this, 'ApprovalTopicKey', {
      description: 'Encrypts release-approval notifications',
      enableKeyRotation: true,
    });
    this.approvalTopic = new sns.Topic(this, 'ApprovalTopic', {
      displayName: 'E-commerce platform: release waiting for approval',
      masterKey: approvalKey,
      enforceSSL: true,
    });
    if (settings.approvalEmail) {
      this.approvalTopic.addSubscription(new subscriptions.EmailSubscription(settings.approvalEmail));
    }

    const stage = (name: EnvironmentName) =>
      new PlatformStage(this, name, {
        config: environmentConfig(props.config, name),
        ...(props.siteDirectory && { siteDirectory: props.siteDirectory }),
      });
    this.stages = { dev: stage('dev'), staging: stage('staging'), prod: stage('prod') };

    const tested = [this.stages.dev, this.stages.staging].map((stage) => {
      const access = integrationTestAccess(stage, this);
      const step = integrationTests(source, stage, access);
      this.pipeline.addStage(stage, { post: [step] });
      return { stage, step, access };
    });
    this.pipeline.addStage(this.stages.prod, {
      pre: Step.sequence([
        new ConfirmPermissionsBroadening('SecurityCheck', {
          stage: this.stages.prod,
          notificationTopic: this.approvalTopic,
        }),
        new ManualApprovalStep('PromoteToProd', {
          comment: 'Integration tests passed in dev and staging. Approve to deploy this revision to prod.',
          notificationTopic: this.approvalTopic,
        }),
      ]),
    });

    this.pipeline.buildPipeline();
    for (const { stage, step, access } of tested) acknowledgeIntegrationTestAccess(step, stage, access);
    acknowledgePipelineFindings(
      this.pipeline,
      crossAccount,
      tested.flatMap(({ access }) => access.wildcardFindings),
    );
  }
}

/**
 * The integration tests against a deployed stage, defined by `buildspec.yml`: the stage's outputs as
 * environment, its region for the AWS SDK, and a role that may use that stage's stream, user pool and
 * lake as the suite needs (`integration-test-permissions.ts`).
 */
function integrationTests(
  input: IFileSetProducer,
  stage: PlatformStage,
  access: IntegrationTestAccess,
): CodeBuildStep {
  return new CodeBuildStep('IntegrationTests', {
    input,
    envFromCfnOutputs: stage.testEnvironment,
    env: { AWS_REGION: stage.config.region },
    rolePolicyStatements: access.statements,
    partialBuildSpec: loadIntegrationTestBuildSpec(),
    commands: [],
  });
}

/** The integration-test role's name patterns and tag-scoped user pools, each acknowledged with its reason. */
function acknowledgeIntegrationTestAccess(
  step: CodeBuildStep,
  stage: PlatformStage,
  access: IntegrationTestAccess,
): void {
  acknowledgeWildcardPermissions(
    step.project,
    `The integration tests of ${stage.stageName} use resources whose names CloudFormation makes up at deploy ` +
      'time in stacks the pipeline may not reference: the clickstream stream and the lake bucket are named by ' +
      'the start of their generated names (stack name and pinned logical id; only the random suffix is open), ' +
      'lake objects under the clickstream prefix only; user pools of the stage account and region only when ' +
      `tagged ${stage.config.name} (docs/decisions/010-integration-test-permissions.md).`,
    { only: [anyOf(access.wildcardFindings)] },
  );
}

/** A pattern matching exactly these findings. */
function anyOf(findings: readonly string[]): RegExp {
  return new RegExp(`^(?:${findings.map(escapeRegExp).join('|')})$`);
}

/** A pattern matching every finding but these. */
function noneOf(findings: readonly string[]): RegExp {
  return new RegExp(`^(?!(?:${findings.map(escapeRegExp).join('|')})$)`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * cdk-nag findings on what CDK Pipelines generates, each with its reason. The integration-test
 * steps' own statements (`ownFindings`) are left to their acknowledgement.
 */
function acknowledgePipelineFindings(
  pipeline: CodePipeline,
  crossAccount: boolean,
  ownFindings: readonly string[],
): void {
  acknowledgeWildcardPermissions(
    pipeline,
    'Statements written by CDK Pipelines: object wildcards on the pipeline artifact bucket; report groups ' +
      'and log groups named after each CodeBuild project; sts:AssumeRole limited by condition to roles ' +
      'tagged as CDK bootstrap roles; and cloudformation:DescribeStacks, s3:ListBucket, codebuild builds and ' +
      'tag-conditioned codepipeline approval calls, which CDK Pipelines grants on "*".',
    { only: [noneOf(ownFindings)] },
  );
  Validations.of(pipeline).acknowledge(
    {
      id: 'AwsSolutions-S1',
      reason:
        'Pipeline artifact bucket: private, encrypted, read and written only by the pipeline roles; it holds ' +
        'source snapshots and templates, no customer data.',
    },
    {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        'CDK Pipelines auto-approve function of the security check: the managed policy only writes its own logs.',
    },
  );
  if (!crossAccount) {
    Validations.of(pipeline).acknowledge({
      id: 'AwsSolutions-CB4',
      reason:
        'Single-account pipeline: build artifacts are encrypted with the S3-managed key of the artifact bucket. ' +
        'Putting a stage in another account switches on crossAccountKeys, a customer managed KMS key.',
    });
  }
}
