import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { INTERACTION_TYPES } from '../../services/clickstream/domain/recommender-interactions';
import { buildTestPlatform, cdkJsonPlatformConfig } from '../testing/platform-app';
import {
  EXCLUDE_PURCHASED_EXPRESSION,
  INTERACTIONS_IMPORT_PREFIX,
  INTERACTIONS_SCHEMA,
  PURCHASE_EVENT_TYPE,
  RECOMMENDER_MODELS,
} from './personalization';
import { countInteractionsSql, exportInteractionsSql, PERSONALIZE_MINIMUMS } from './recommender-training';

const { stages } = buildTestPlatform();
const dev = Template.fromStack(stages.dev.clickstream);
const prod = Template.fromStack(stages.prod.clickstream);
const devStateful = Template.fromStack(stages.dev.stateful);
const config = cdkJsonPlatformConfig();
const prefix = stages.dev.stateful.personalization.namePrefix;

type Resources = Record<string, any>;
type State = Record<string, any>;

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

const actionsOf = (statement: Statement): string[] => [statement.Action].flat();

/**
 * Resolves an `Fn::Join` into a string, and other intrinsics into `<...>` (their JSON, with single
 * quotes, so that they sit in a JSON string), so that a definition can be read.
 */
function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join) return join[1].map(flatten).join(join[0]);
  return `<${JSON.stringify(value).replace(/"/g, "'")}>`;
}

function stateMachineOf(template: Template) {
  const machines = Object.entries(template.findResources('AWS::StepFunctions::StateMachine'));
  expect(machines).toHaveLength(1);
  const [id, machine] = machines[0]!;
  const definition = JSON.parse(flatten(machine.Properties.DefinitionString)) as {
    StartAt: string;
    States: Record<string, State>;
    QueryLanguage: string;
    TimeoutSeconds: number;
  };
  return { id, properties: machine.Properties, definition };
}

/** Every state of the definition, those inside Map states included, by name. */
function allStates(states: Record<string, State>): Record<string, State> {
  return Object.fromEntries(
    Object.entries(states).flatMap(([name, state]) => [
      [name, state],
      ...Object.entries(state.ItemProcessor ? allStates(state.ItemProcessor.States) : {}),
    ]),
  );
}

/** The statements of every identity policy attached to the role whose logical id starts with `rolePrefix`. */
function statementsOf(template: Template, rolePrefix: string): Statement[] {
  const policies: Resources = template.findResources('AWS::IAM::Policy');
  return Object.values(policies)
    .filter(({ Properties }) => Properties.Roles.some((role: any) => role.Ref.startsWith(rolePrefix)))
    .flatMap(({ Properties }) => Properties.PolicyDocument.Statement);
}

const { properties, definition } = stateMachineOf(dev);
const states = allStates(definition.States);
const sdkAction = (state: State) => (state.Resource as string).replace(/^arn:.*:states:::aws-sdk:/, '');
/** The names of the SDK calls, in the order a run that trains for the first time makes them. */
const calls = (names: string[]) => names.map((name) => sdkAction(states[name]!));

describe('RecommenderTraining', () => {
  describe('the workflow', () => {
    it('is a standard state machine in JSONata, that logs every event (without data), traces, and times out after a day', () => {
      expect(definition.QueryLanguage).toBe('JSONata');
      expect(definition.TimeoutSeconds).toBe(86400);
      expect(properties).toMatchObject({
        StateMachineType: 'STANDARD',
        TracingConfiguration: { Enabled: true },
        LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
      });
      dev.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 14 });
    });

    it('reads when the dataset was created, counts the interactions in the lake, and publishes the counts', () => {
      expect(definition.StartAt).toBe('Read the dataset');
      expect(
        calls([
          'Read the dataset',
          'Start the count query',
          'Check the count query',
          'Read the counts',
          'Publish the counts',
        ]),
      ).toEqual([
        'personalize:describeDataset',
        'athena:startQueryExecution',
        'athena:getQueryExecution',
        'athena:getQueryResults',
        'cloudwatch:putMetricData',
      ]);
      expect(states['Start the count query']!.Arguments).toMatchObject({
        QueryString: countInteractionsSql(stages.dev.clickstream.lake.databaseName),
        WorkGroup: stages.dev.clickstream.lake.workGroup.name,
        ExecutionParameters: ['{% $string($datasetCreatedMs) %}'],
      });
      expect(
        states['Publish the counts']!.Arguments.MetricData.map((datum: State) => datum.MetricName),
      ).toEqual(['TrainingInteractions', 'TrainingUsersWithTwoInteractions', 'TrainingSkipped']);
      expect(states['Publish the counts']!.Next).toBe('Enough interactions to train?');
    });

    it("ends in the Succeed state Skipped, with the reason, below Personalize's minimums", () => {
      const enough = states['Enough interactions to train?']!;
      expect(PERSONALIZE_MINIMUMS).toEqual({ interactions: 1000, usersWithTwoInteractions: 25 });
      expect(enough).toMatchObject({
        Type: 'Choice',
        Choices: [
          {
            Condition: '{% $interactions >= 1000 and $usersWithTwoInteractions >= 25 %}',
            Next: 'Interactions from before the dataset?',
          },
        ],
        Default: 'Skipped',
      });
      expect(states.Skipped).toMatchObject({
        Type: 'Succeed',
        Output: {
          status: 'Skipped',
          reason: expect.stringContaining('Personalize needs at least 1000 interactions and 25 shoppers'),
          interactions: '{% $interactions %}',
          usersWithTwoInteractions: '{% $usersWithTwoInteractions %}',
        },
      });
    });

    it('imports only the interactions from before the dataset existed, when there are any', () => {
      expect(states['Interactions from before the dataset?']).toMatchObject({
        Choices: [{ Condition: '{% $beforeDataset > 0 %}', Next: 'Start the export query' }],
        Default: 'Train and deploy each model',
      });
      expect(states['Start the export query']!.Arguments.QueryString).toBe(
        exportInteractionsSql(stages.dev.clickstream.lake.databaseName),
      );
      expect(states['The export query is done']!.Next).toBe('Write the import files');
    });

    it("rewrites Athena's result as CSV files with Personalize's header, in a Distributed Map of Express runs", () => {
      const map = states['Write the import files']!;
      expect(map).toMatchObject({
        Type: 'Map',
        ItemReader: {
          Resource: expect.stringMatching(/:states:::s3:getObject$/),
          ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' },
          Arguments: { Key: '{% "athena-results/" & $exportQueryId & ".csv" %}' },
        },
        ItemBatcher: { MaxItemsPerBatch: 1000 },
        ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' } },
        Next: 'Import the interactions',
      });
      expect(map.ItemSelector.folder).toBe(
        `{% "${INTERACTIONS_IMPORT_PREFIX}" & $states.context.Execution.Name & "/" %}`,
      );
      const write = states['Write an import file']!;
      expect(sdkAction(write)).toBe('s3:putObject');
      const header = INTERACTIONS_SCHEMA.fields.map((field) => field.name).join(',');
      expect(header).toBe('USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE');
      expect(write.Arguments.Body).toContain(`"${header}\\n"`);
      expect(write.Arguments.Key).toBe('{% $states.input.Items[0].folder & $uuid() & ".csv" %}');
    });

    it('imports the files with a FULL dataset import job that Personalize runs with its own role, and waits for it', () => {
      const start = states['Import the interactions']!;
      expect(sdkAction(start)).toBe('personalize:createDatasetImportJob');
      expect(start.Arguments).toMatchObject({
        JobName: expect.stringContaining(`"${prefix}-import-"`),
        ImportMode: 'FULL',
        DataSource: {
          DataLocation: expect.stringContaining(
            `/${INTERACTIONS_IMPORT_PREFIX}" & $states.context.Execution.Name`,
          ),
        },
      });
      expect(start.Arguments.RoleArn).toContain('RecommenderTrainingImportRole');
      expect(states['Is the import ready?']).toMatchObject({
        Choices: [
          { Condition: '{% $states.input.DatasetImportJob.Status = "ACTIVE" %}', Next: 'Imported' },
          {
            Condition: '{% $states.input.DatasetImportJob.Status in ["CREATE FAILED"] %}',
            Next: 'InteractionsImportFailed',
          },
        ],
        Default: 'Wait for the import',
      });
      expect(states.Imported!.Next).toBe('Train and deploy each model');
    });

    it('trains and deploys every model in parallel: for-you with User-Personalization-v2, similar with Similar-Items', () => {
      const map = states['Train and deploy each model']!;
      expect(map.Items).toEqual(
        RECOMMENDER_MODELS.map((model) => ({
          type: model.type,
          name: `${prefix}-${model.type}`,
          recipeArn: `arn:aws:personalize:::recipe/${model.recipe}`,
          solutionArn: `arn:aws:personalize:us-east-1:123456789012:solution/${prefix}-${model.type}`,
          campaignArn: `arn:aws:personalize:us-east-1:123456789012:campaign/${prefix}-${model.type}`,
          parameterName: `/${prefix}/recommenders/${model.type}`,
          ...(model.excludePurchased && { filterArn: expect.stringContaining('ExcludePurchasedFilter') }),
        })),
      );
      expect(RECOMMENDER_MODELS.map((model) => [model.type, model.recipe])).toEqual([
        ['for-you', 'aws-user-personalization-v2'],
        ['similar', 'aws-similar-items'],
      ]);
      expect(map.MaxConcurrency).toBe(RECOMMENDER_MODELS.length);
      expect(map.Next).toBe('Trained');
      expect(states.Trained).toMatchObject({ Type: 'Succeed', Output: { status: 'Trained' } });
    });

    it('creates a solution only when there is none, with automatic training off, then trains a version and waits for it', () => {
      expect(states['Describe the solution']).toMatchObject({
        Catch: [{ ErrorEquals: ['Personalize.ResourceNotFoundException'], Next: 'Create the solution' }],
        Next: 'Is the solution ready?',
      });
      expect(states['Create the solution']!.Arguments).toEqual({
        Name: '{% $model.name %}',
        DatasetGroupArn: expect.stringContaining('PersonalizationDatasetGroup'),
        RecipeArn: '{% $model.recipeArn %}',
        PerformAutoTraining: false,
      });
      expect(states['Is the solution ready?']!.Choices[0].Next).toBe('Train a solution version');
      expect(states['Train a solution version']!.Arguments).toEqual({
        SolutionArn: '{% $model.solutionArn %}',
        TrainingMode: 'FULL',
      });
      expect(states['Is the training ready?']).toMatchObject({
        Choices: [
          { Next: 'Describe the campaign' },
          {
            Condition: '{% $states.input.SolutionVersion.Status in ["CREATE FAILED","CREATE STOPPED"] %}',
            Next: 'TrainingFailed',
          },
        ],
        Default: 'Wait for the training',
      });
    });

    it('creates the campaign the first time and updates it after, with the configured minimum TPS, then waits for it', () => {
      expect(states['Describe the campaign']).toMatchObject({
        Next: 'Update the campaign',
        Catch: [{ ErrorEquals: ['Personalize.ResourceNotFoundException'], Next: 'Create the campaign' }],
      });
      const tps = config.environments.dev.recommendations.campaignMinProvisionedTps;
      expect(states['Create the campaign']!.Arguments).toEqual({
        Name: '{% $model.name %}',
        SolutionVersionArn: '{% $solutionVersionArn %}',
        MinProvisionedTPS: tps,
      });
      expect(states['Update the campaign']!.Arguments).toEqual({
        CampaignArn: '{% $model.campaignArn %}',
        SolutionVersionArn: '{% $solutionVersionArn %}',
        MinProvisionedTPS: tps,
      });
      expect(states['Is the campaign ready?']!.Choices[0].Next).toBe('Publish the campaign');
    });

    it('then writes the parameter <prefix>/<type> the API reads: the campaign, and for-you the filter', () => {
      const publish = states['Publish the campaign']!;
      expect(sdkAction(publish)).toBe('ssm:putParameter');
      expect(publish.Arguments).toEqual({
        Name: '{% $model.parameterName %}',
        Value: '{% $string({ "campaignArn": $model.campaignArn, "filterArn": $model.filterArn }) %}',
        Type: 'String',
        Overwrite: true,
      });
      expect(publish.End).toBe(true);
    });

    it('ends every failure in a Fail state: caught at the top level, or a failed status of a job it waits for', () => {
      for (const [name, state] of Object.entries(definition.States)) {
        if (state.Type === 'Task' || state.Type === 'Map') {
          expect([name, state.Catch]).toEqual([name, [{ ErrorEquals: ['States.ALL'], Next: 'Failed' }]]);
        }
      }
      expect(definition.States.Failed!.Type).toBe('Fail');
      const failStates = Object.entries(states)
        .filter(([, state]) => state.Type === 'Fail')
        .map(([name]) => name)
        .sort();
      expect(failStates).toEqual([
        'CampaignFailed',
        'CountQueryFailed',
        'ExportQueryFailed',
        'Failed',
        'InteractionsImportFailed',
        'SolutionFailed',
        'TrainingFailed',
      ]);
    });
  });

  describe('the queries', () => {
    const sql = countInteractionsSql('db');

    it('count what the event tracker sends: signed-in shoppers, no bots, its event types, each eventId once', () => {
      for (const sql of [countInteractionsSql('db'), exportInteractionsSql('db')]) {
        expect(sql).toContain('FROM "db"."events"');
        expect(sql).toContain('userid IS NOT NULL AND productid IS NOT NULL AND NOT coalesce(isbot, false)');
        expect(sql).toContain(`type IN (${[...INTERACTION_TYPES].map((type) => `'${type}'`).join(', ')})`);
        expect(sql).toContain('row_number() OVER (PARTITION BY eventid ORDER BY servertime) AS copy');
        expect(sql.match(/\?/g)).toHaveLength(2); // the comment's, and the one parameter
      }
      expect(sql).toContain('count_if(interactions >= 2) AS users_with_two_interactions');
      expect(sql).toContain('count_if(received_ms < ?) AS before_dataset');
    });

    it('export the columns the map turns into USER_ID, ITEM_ID, TIMESTAMP (epoch seconds) and EVENT_TYPE', () => {
      const sql = exportInteractionsSql('db');
      expect(sql).toMatch(
        /userid AS user_id,\s+productid AS item_id,\s+CAST\(.+"timestamp".+\) AS ts,\s+type AS event_type/s,
      );
      expect(sql).toContain('WHERE copy = 1 AND received_ms < ?');
    });
  });

  describe('the schedule', () => {
    it('starts the workflow with EventBridge Scheduler, on the configured expression in UTC', () => {
      const [schedule] = Object.values(dev.findResources('AWS::Scheduler::Schedule'));
      expect(schedule!.Properties).toMatchObject({
        ScheduleExpression: config.environments.dev.recommendations.training.schedule,
        ScheduleExpressionTimezone: 'Etc/UTC',
        Target: { Arn: { Ref: expect.stringMatching(/^RecommenderTrainingStateMachine/) } },
      });
    });

    it('is disabled where the config turns training off (dev, staging), enabled in prod', () => {
      expect(config.environments.dev.recommendations.training.enabled).toBe(false);
      expect(config.environments.prod.recommendations.training.enabled).toBe(true);
      dev.hasResourceProperties('AWS::Scheduler::Schedule', { State: 'DISABLED' });
      prod.hasResourceProperties('AWS::Scheduler::Schedule', { State: 'ENABLED' });
      Template.fromStack(stages.staging.clickstream).hasResourceProperties('AWS::Scheduler::Schedule', {
        State: 'DISABLED',
      });
    });
  });

  describe('least privilege', () => {
    const statements = statementsOf(dev, 'RecommenderTrainingStateMachineRole');
    const account = 'arn:aws:personalize:us-east-1:123456789012';
    const byAction = new Map<string, unknown[]>();
    for (const statement of statements) {
      for (const action of actionsOf(statement)) {
        byAction.set(action, [...(byAction.get(action) ?? []), ...[statement.Resource].flat()]);
      }
    }
    const resourcesOf = (action: string) => byAction.get(action)?.map((resource) => JSON.stringify(resource));

    it("calls Personalize on this stage's dataset, solutions, campaigns and import jobs only, each by name", () => {
      const solutions = RECOMMENDER_MODELS.map((model) => `"${account}:solution/${prefix}-${model.type}"`);
      const campaigns = RECOMMENDER_MODELS.map((model) => `"${account}:campaign/${prefix}-${model.type}"`);
      const importJobs = [`"${account}:dataset-import-job/${prefix}-import-*"`];
      expect(resourcesOf('personalize:DescribeDataset')).toEqual([
        expect.stringMatching(/PersonalizationInteractions\w+DatasetArn/),
      ]);
      for (const action of ['CreateSolution', 'DescribeSolution', 'CreateSolutionVersion']) {
        expect(resourcesOf(`personalize:${action}`)).toEqual(solutions);
      }
      expect(resourcesOf('personalize:DescribeSolutionVersion')).toEqual(
        solutions.map((solution) => solution.replace(/"$/, '/*"')),
      );
      for (const action of ['CreateCampaign', 'DescribeCampaign', 'UpdateCampaign']) {
        expect(resourcesOf(`personalize:${action}`)).toEqual(campaigns);
      }
      for (const action of ['CreateDatasetImportJob', 'DescribeDatasetImportJob']) {
        expect(resourcesOf(`personalize:${action}`)).toEqual(importJobs);
      }
      expect([...byAction.keys()].filter((action) => action.startsWith('personalize:')).sort()).toEqual(
        [
          'CreateCampaign',
          'CreateDatasetImportJob',
          'CreateSolution',
          'CreateSolutionVersion',
          'DescribeCampaign',
          'DescribeDataset',
          'DescribeDatasetImportJob',
          'DescribeSolution',
          'DescribeSolutionVersion',
          'UpdateCampaign',
        ].map((action) => `personalize:${action}`),
      );
    });

    it('passes its import role to Personalize only', () => {
      expect(statements.find((statement) => actionsOf(statement).includes('iam:PassRole'))).toEqual({
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^RecommenderTrainingImportRole/), 'Arn'] },
        Condition: { StringEquals: { 'iam:PassedToService': 'personalize.amazonaws.com' } },
      });
    });

    it('writes the parameters of the trained kinds, and queries with the lake workgroup, the events table and the lake prefixes it needs', () => {
      expect(resourcesOf('ssm:PutParameter')).toEqual(
        RECOMMENDER_MODELS.map(
          (model) => `"arn:aws:ssm:us-east-1:123456789012:parameter/${prefix}/recommenders/${model.type}"`,
        ),
      );
      const workGroup = `"arn:aws:athena:us-east-1:123456789012:workgroup/${stages.dev.clickstream.lake.workGroup.name}"`;
      for (const action of [
        'StartQueryExecution',
        'GetQueryExecution',
        'GetQueryResults',
        'StopQueryExecution',
      ]) {
        expect(resourcesOf(`athena:${action}`)).toEqual([workGroup]);
      }
      const database = stages.dev.clickstream.lake.databaseName;
      expect(resourcesOf('glue:GetTable')).toEqual([
        '"arn:aws:glue:us-east-1:123456789012:catalog"',
        `"arn:aws:glue:us-east-1:123456789012:database/${database}"`,
        `"arn:aws:glue:us-east-1:123456789012:table/${database}/events"`,
      ]);
      const prefixes = (action: string) =>
        resourcesOf(action)!.map((resource) => resource.match(/"(\/[^"]*)"\]\]\}$/)?.[1] ?? resource);
      expect(prefixes('s3:GetObject')!.sort()).toEqual(['/athena-results/*', '/clickstream/*']);
      expect(prefixes('s3:PutObject')!.sort()).toEqual(['/athena-results/*', '/personalize/interactions/*']);
      expect(resourcesOf('s3:ListBucket')).toEqual([expect.stringContaining('ClickstreamBucket')]);
    });

    it('has no wildcard action, and "*" only for actions that take no resource', () => {
      for (const statement of statementsOf(dev, 'RecommenderTraining')) {
        for (const action of actionsOf(statement)) expect(action).not.toContain('*');
      }
      const star = [...byAction.entries()]
        .filter(([, resources]) => resources.includes('*'))
        .map(([action]) => action)
        .sort();
      expect(star).toEqual([
        'cloudwatch:PutMetricData',
        'logs:CreateLogDelivery',
        'logs:DeleteLogDelivery',
        'logs:DescribeLogGroups',
        'logs:DescribeResourcePolicies',
        'logs:GetLogDelivery',
        'logs:ListLogDeliveries',
        'logs:PutResourcePolicy',
        'logs:UpdateLogDelivery',
        'xray:GetSamplingRules',
        'xray:GetSamplingTargets',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ]);
    });

    it('lets Personalize, and only it, read the export with the import role', () => {
      dev.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [
            {
              Action: 'sts:AssumeRole',
              Effect: 'Allow',
              Principal: { Service: 'personalize.amazonaws.com' },
              Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
            },
          ],
        },
      });
      const importRole = statementsOf(dev, 'RecommenderTrainingImportRole');
      expect(importRole.map((statement) => statement.Action)).toEqual(['s3:GetObject', 's3:ListBucket']);
      expect(JSON.stringify(importRole[0]!.Resource)).toContain(`"/${INTERACTIONS_IMPORT_PREFIX}*"`);
      expect(importRole[1]!.Condition).toEqual({
        StringLike: { 's3:prefix': `${INTERACTIONS_IMPORT_PREFIX}*` },
      });
    });

    it('lets the schedule start this state machine and nothing else', () => {
      expect(statementsOf(dev, 'SchedulerRoleForTarget')).toEqual([
        {
          Effect: 'Allow',
          Action: 'states:StartExecution',
          Resource: { Ref: expect.stringMatching(/^RecommenderTrainingStateMachine/) },
        },
      ]);
    });
  });

  describe('in the stateful stack', () => {
    it('has the filter that leaves out what a shopper bought, on the dataset group, after the Interactions dataset', () => {
      const filters = devStateful.findResources('AWS::Personalize::Filter');
      const [filter] = Object.values(filters);
      expect(Object.keys(filters)).toHaveLength(1);
      expect(filter!.Properties).toEqual({
        Name: `${prefix}-exclude-purchased`,
        DatasetGroupArn: {
          'Fn::GetAtt': [expect.stringMatching(/^PersonalizationDatasetGroup/), 'DatasetGroupArn'],
        },
        FilterExpression: 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase")',
      });
      expect(EXCLUDE_PURCHASED_EXPRESSION).toContain(`"${PURCHASE_EVENT_TYPE}"`);
      expect(INTERACTION_TYPES.has(PURCHASE_EVENT_TYPE)).toBe(true);
      expect(filter!.DependsOn).toEqual([expect.stringMatching(/^PersonalizationInteractions/)]);
      expect(filter!.DeletionPolicy).toBe('Delete');
      expect(
        Object.values(Template.fromStack(stages.prod.stateful).findResources('AWS::Personalize::Filter'))[0]!
          .DeletionPolicy,
      ).toBe('Retain');
    });

    it('declares no solution or campaign: the workflow creates them, since CloudFormation cannot turn automatic training off', () => {
      for (const template of [devStateful, dev, Template.fromStack(stages.dev.api)]) {
        template.resourceCountIs('AWS::Personalize::Solution', 0);
        template.resourceCountIs('AWS::Personalize::Campaign', 0);
      }
    });

    it('lets Personalize read the export prefix of the lake for this account, as an import job requires', () => {
      devStateful.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: Match.stringLikeRegexp('^ClickstreamBucket') },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 'personalize.amazonaws.com' },
              Action: 's3:GetObject',
              Resource: { 'Fn::Join': ['', [Match.anyValue(), `/${INTERACTIONS_IMPORT_PREFIX}*`]] },
              Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
            }),
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 'personalize.amazonaws.com' },
              Action: 's3:ListBucket',
              Condition: {
                StringEquals: { 'aws:SourceAccount': '123456789012' },
                StringLike: { 's3:prefix': `${INTERACTIONS_IMPORT_PREFIX}*` },
              },
            }),
          ]),
        },
      });
    });

    it('expires the export after 14 days', () => {
      devStateful.hasResourceProperties('AWS::S3::Bucket', {
        LifecycleConfiguration: {
          Rules: Match.arrayWith([
            Match.objectLike({ Prefix: INTERACTIONS_IMPORT_PREFIX, ExpirationInDays: 14, Status: 'Enabled' }),
          ]),
        },
      });
    });

    it('names what the workflow creates under a prefix unique to the stage, short enough for every name', () => {
      const prefixes = Object.values(stages).map((stage) => stage.stateful.personalization.namePrefix);
      expect(new Set(prefixes).size).toBe(3);
      for (const name of prefixes) {
        expect(`${name}-import-1234567890`).toMatch(/^[a-zA-Z0-9][a-zA-Z0-9_-]{0,62}$/);
        expect(`${name}-bought-together`.length).toBeLessThanOrEqual(63);
      }
      expect(Stack.of(stages.dev.stateful.personalization).stackName).toBe('dev-Stateful');
    });
  });
});
