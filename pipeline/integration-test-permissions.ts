import { Arn, ArnFormat, Stack, Token, type ArnComponents, type CfnResource } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import { LAKE_EVENTS_PREFIX } from '../infra/constructs/clickstream';
import { ENVIRONMENT_TAG_KEY, type PlatformStage } from '../infra/stage';

/** The user pool calls of the suite's fixtures: create a test user, set its password, make it staff, delete it. */
export const TEST_USER_ACTIONS = [
  'cognito-idp:AdminCreateUser',
  'cognito-idp:AdminSetUserPassword',
  'cognito-idp:AdminAddUserToGroup',
  'cognito-idp:AdminDeleteUser',
] as const;

/**
 * Most random characters CloudFormation ends a generated name with. A generated name is
 * `<stack name>-<logical id>-<random suffix>`, shortened when it would not fit the service's limit;
 * the statements below rely on it not being shortened, and synth fails if it would be.
 */
const RANDOM_SUFFIX_LENGTH = 13;

/** Longest names the services accept. */
const MAX_STREAM_NAME_LENGTH = 128;
const MAX_BUCKET_NAME_LENGTH = 63;

/** What the integration tests of one stage may do there beyond calling its public endpoints. */
export interface IntegrationTestAccess {
  /** For the integration-test step's role (`CodeBuildStep.rolePolicyStatements`). */
  readonly statements: iam.PolicyStatement[];
  /**
   * The cdk-nag findings (AwsSolutions-IAM5) these statements raise, as cdk-nag spells them
   * (`Resource::arn:<AWS::Partition>:kinesis:...`): each is a name pattern of one resource of the
   * stage, or the user pools of its account and region narrowed by the environment tag.
   */
  readonly wildcardFindings: string[];
}

/**
 * The least the integration suite needs in a stage besides its public endpoints, on that stage's
 * resources only: put records into its clickstream stream; create, sign up to the `admin` group and
 * delete test users in its user pool; list and read the clickstream under the lake prefix of its
 * lake bucket. No KMS permission is needed: the stream uses the AWS managed key `aws/kinesis`, the
 * bucket SSE-S3.
 *
 * The pipeline stack may not reference the stage's resources (they are in other stacks, perhaps
 * other accounts), and CloudFormation makes up their names at deploy time. So the statements name
 * them the way CloudFormation does: the stream and the bucket by the start of their generated
 * names, `<stack name>-<logical id>-`, which the pinned logical ids make exact (only the random
 * suffix is open); the user pool, whose ARN holds an id Cognito makes up, by the environment tag
 * the stage puts on it. See docs/decisions/010-integration-test-permissions.md.
 *
 * @param stage the stage under test
 * @param scope the stack that holds the step (the pipeline stack), whose partition the ARNs use
 */
export function integrationTestAccess(stage: PlatformStage, scope: Stack): IntegrationTestAccess {
  const { account, region } = stage.config;
  const stream = stage.stateful.clickstreamStream;
  const bucket = stage.stateful.clickstreamBucket;
  const streamName = nameSelector(stream.node.defaultChild as kinesis.CfnStream, {
    explicitName: (stream.node.defaultChild as kinesis.CfnStream).name,
    maxLength: MAX_STREAM_NAME_LENGTH,
  });
  const bucketName = nameSelector(bucket.node.defaultChild as s3.CfnBucket, {
    explicitName: (bucket.node.defaultChild as s3.CfnBucket).bucketName,
    maxLength: MAX_BUCKET_NAME_LENGTH,
    lowerCase: true,
  });
  const arn = (components: ArnComponents) => Arn.format(components, scope);
  const bucketArn = arn({ service: 's3', region: '', account: '', resource: bucketName });
  const inStageAccount = { StringEquals: { 'aws:ResourceAccount': account } };

  const statements = [
    new iam.PolicyStatement({
      sid: 'PutRecordsIntoTheClickstream',
      actions: ['kinesis:PutRecords'],
      resources: [arn({ service: 'kinesis', region, account, resource: 'stream', resourceName: streamName })],
    }),
    new iam.PolicyStatement({
      sid: 'ManageTestUsersOfTheStage',
      actions: [...TEST_USER_ACTIONS],
      resources: [
        arn({
          service: 'cognito-idp',
          region,
          account,
          resource: 'userpool',
          resourceName: '*',
          arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
        }),
      ],
      conditions: { StringEquals: { [`aws:ResourceTag/${ENVIRONMENT_TAG_KEY}`]: stage.config.name } },
    }),
    new iam.PolicyStatement({
      sid: 'ListTheClickstreamInTheLake',
      actions: ['s3:ListBucket'],
      resources: [bucketArn],
      conditions: { ...inStageAccount, StringLike: { 's3:prefix': [`${LAKE_EVENTS_PREFIX}*`] } },
    }),
    new iam.PolicyStatement({
      sid: 'ReadTheClickstreamInTheLake',
      actions: ['s3:GetObject'],
      resources: [`${bucketArn}/${LAKE_EVENTS_PREFIX}*`],
      conditions: inStageAccount,
    }),
  ];

  const wildcardFindings = [
    ...new Set(
      statements
        .flatMap((statement) => statement.resources)
        .map((resource) => flattenCfnReference(scope.resolve(resource)))
        .filter((resource) => resource.includes('*'))
        .map((resource) => `Resource::${resource}`),
    ),
  ];
  return { statements, wildcardFindings };
}

/**
 * The name of a resource in an IAM resource pattern: the name its template gives it, or else the
 * start of the name CloudFormation will generate, `<stack name>-<logical id>-`, followed by `*`.
 * @throws Error at synth when the name is a token, or when CloudFormation would shorten it.
 */
function nameSelector(
  resource: CfnResource,
  options: { explicitName: string | undefined; maxLength: number; lowerCase?: boolean },
): string {
  const stack = Stack.of(resource);
  const logicalId = stack.resolve(resource.logicalId) as string;
  // A construct may hand CloudFormation a lazy name that resolves to nothing (no name in the template).
  const explicitName = stack.resolve(options.explicitName) as unknown;
  if (explicitName !== undefined) {
    if (typeof explicitName !== 'string' || Token.isUnresolved(explicitName)) {
      throw new Error(
        `${resource.node.path}: its name is only known at deploy time, so the integration tests' policy ` +
          'cannot name it. Leave the name out (CloudFormation generates one from the stack name and the ' +
          'logical id) or make it a plain string.',
      );
    }
    return explicitName;
  }
  const prefix = `${stack.stackName}-${logicalId}-`;
  if (prefix.length + RANDOM_SUFFIX_LENGTH > options.maxLength) {
    throw new Error(
      `${resource.node.path}: CloudFormation would shorten its generated name "${prefix}<random>" to fit ` +
        `${options.maxLength} characters, so the integration tests' policy cannot predict it. Use a shorter ` +
        'stage or stack id.',
    );
  }
  return `${options.lowerCase ? prefix.toLowerCase() : prefix}*`;
}
