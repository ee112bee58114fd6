import { Duration, RemovalPolicy, Stack, TimeZone } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { INTERACTION_TYPES } from '../../services/clickstream/domain/recommender-interactions';
import { acknowledgeWildcardPermissions } from '../compliance/acknowledge-wildcards';
import { ATHENA_RESULTS_PREFIX, EVENTS_TABLE, type AnalyticsLake } from './analytics-lake';
import { LAKE_EVENTS_PREFIX } from './clickstream';
import {
  INTERACTIONS_IMPORT_PREFIX,
  INTERACTIONS_SCHEMA,
  RECOMMENDER_MODELS,
  type InteractionsDataset,
} from './personalization';
import { PLATFORM_METRICS_NAMESPACE } from './platform-function';

/** The `service` dimension of the metrics the training workflow publishes. */
export const RECOMMENDER_TRAINING_SERVICE = 'recommender-training';

/**
 * What Personalize needs before it trains a custom solution: at least 1,000 interactions, and at
 * least 25 users with 2 interactions or more.
 */
export const PERSONALIZE_MINIMUMS = { interactions: 1000, usersWithTwoInteractions: 25 } as const;

/** The metrics of each run (namespace `EcommercePlatform`, dimension `service=recommender-training`). */
export const TRAINING_METRICS = {
  TrainingInteractions: 'interactions in the lake',
  TrainingUsersWithTwoInteractions: 'shoppers with 2+ interactions',
  TrainingSkipped: 'runs skipped (below the minimums)',
} as const;

/** How long the workflow may run: a solution version of a large dataset trains for hours. */
const WORKFLOW_TIMEOUT = Duration.hours(24);

export interface RecommenderTrainingProps {
  /** The dataset group: its dataset receives the import, its names and filter are the workflow's. */
  readonly interactions: InteractionsDataset;
  /** The lake bucket: the clickstream under `clickstream/`, the export under `personalize/interactions/`. */
  readonly bucket: s3.IBucket;
  /** The Glue table and the Athena workgroup over the lake. */
  readonly lake: AnalyticsLake;
  /** When the workflow runs (EventBridge Scheduler expression, UTC). */
  readonly schedule: string;
  /** Whether the schedule starts the workflow; when false it only runs when started by hand. */
  readonly scheduleEnabled: boolean;
  /** Minimum provisioned TPS of each campaign the workflow creates or updates. */
  readonly campaignMinProvisionedTps: number;
  /** How long the workflow's logs are kept. */
  readonly logRetention: logs.RetentionDays;
  /**
   * What happens to the log group when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly logRemovalPolicy?: RemovalPolicy;
}

/**
 * Trains the recommendation models, on a schedule, with a Step Functions state machine
 * (docs/decisions/011-recommendations.md):
 *
 * 1. counts the interactions Personalize would train on, in the lake (Athena), and publishes the
 *    counts; below Personalize's minimums it ends in the `Skipped` state, saying why;
 * 2. imports the lake's interactions from before the dataset existed (the event tracker sent every
 *    later one): an Athena query, a Distributed Map writing them as CSV files with a header under
 *    `personalize/interactions/<run>/`, a dataset import job (FULL), waited for;
 * 3. for each model of `RECOMMENDER_MODELS`, in parallel: creates its solution if needed (automatic
 *    training off), trains a solution version, creates or updates its campaign, and writes the SSM
 *    parameter `<prefix>/<type>` that the recommendations API reads.
 *
 * Any failure ends the run in the `Failed` state with the error and its cause.
 */
export class RecommenderTraining extends Construct {
  public readonly stateMachine: sfn.StateMachine;
  /** Assumed by Personalize to read the export during the import job. */
  public readonly importRole: iam.Role;
  public readonly schedule: scheduler.Schedule;
  public readonly logGroup: logs.LogGroup;

  private readonly props: RecommenderTrainingProps;
  /** The Fail state that catches every top-level step. */
  private readonly failed: sfn.Fail;
  /** The permissions the queries need besides their Athena calls: the catalog and the lake. */
  private readonly queryStatements: iam.PolicyStatement[];

  constructor(scope: Construct, id: string, props: RecommenderTrainingProps) {
    super(scope, id);
    this.props = props;
    const { interactions, bucket, lake } = props;
    const stack = Stack.of(this);

    this.importRole = new iam.Role(this, 'ImportRole', {
      assumedBy: new iam.ServicePrincipal('personalize.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      description: 'Assumed by Personalize to read the interactions the training workflow exports for import',
    });
    // What Personalize's documentation asks of the import role, on the export prefix only (the
    // bucket policy, in the stateful stack, allows the same).
    this.importRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [bucket.arnForObjects(`${INTERACTIONS_IMPORT_PREFIX}*`)],
      }),
    );
    this.importRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': `${INTERACTIONS_IMPORT_PREFIX}*` } },
      }),
    );
    acknowledgeWildcardPermissions(
      this.importRole,
      'Personalize reads the files the training workflow writes under "personalize/interactions/<run>/", ' +
        'whose names are made up at run time; s3:GetObject on that prefix only.',
      { only: [/^Resource::.+\/personalize\/interactions\/\*$/] },
    );

    const workGroupArn = stack.formatArn({
      service: 'athena',
      resource: 'workgroup',
      resourceName: lake.workGroup.name,
    });
    this.queryStatements = [
      new iam.PolicyStatement({
        actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions'],
        resources: [
          stack.formatArn({ service: 'glue', resource: 'catalog' }),
          stack.formatArn({ service: 'glue', resource: 'database', resourceName: lake.databaseName }),
          stack.formatArn({
            service: 'glue',
            resource: 'table',
            resourceName: `${lake.databaseName}/${EVENTS_TABLE}`,
          }),
        ],
      }),
      // Athena reads the lake and writes results with the caller's permissions.
      new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [
          bucket.arnForObjects(`${LAKE_EVENTS_PREFIX}*`),
          bucket.arnForObjects(`${ATHENA_RESULTS_PREFIX}*`),
        ],
      }),
      new iam.PolicyStatement({
        actions: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
        resources: [bucket.arnForObjects(`${ATHENA_RESULTS_PREFIX}*`)],
      }),
      new iam.PolicyStatement({
        actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
        resources: [bucket.bucketArn],
      }),
      new iam.PolicyStatement({
        actions: ['athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:StopQueryExecution'],
        resources: [workGroupArn],
      }),
    ];

    this.failed = sfn.Fail.jsonata(this, 'Failed', {
      comment: 'A step failed: the error and cause of the step',
      error: '{% $exists($states.input.Error) ? $states.input.Error : "TrainingWorkflowFailed" %}',
      cause: '{% $exists($states.input.Cause) ? $states.input.Cause : "no cause given" %}',
    });

    const trainAndDeploy = this.trainAndDeploy();
    const definition = this.countInteractions(workGroupArn).next(
      sfn.Choice.jsonata(this, 'Enough interactions to train?')
        .when(
          sfn.Condition.jsonata(
            `{% $interactions >= ${PERSONALIZE_MINIMUMS.interactions} and ` +
              `$usersWithTwoInteractions >= ${PERSONALIZE_MINIMUMS.usersWithTwoInteractions} %}`,
          ),
          sfn.Choice.jsonata(this, 'Interactions from before the dataset?')
            .when(
              sfn.Condition.jsonata('{% $beforeDataset > 0 %}'),
              this.importInteractions(workGroupArn).next(trainAndDeploy),
            )
            .otherwise(trainAndDeploy),
        )
        .otherwise(this.skipped()),
    );

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      comment: 'Trains the recommendation models from the lake and deploys them as Personalize campaigns',
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      queryLanguage: sfn.QueryLanguage.JSONATA,
      stateMachineType: sfn.StateMachineType.STANDARD,
      timeout: WORKFLOW_TIMEOUT,
      tracingEnabled: true,
      // Every event, without the data: the data holds shoppers' ids (the export's batches).
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    // On the machine: its role's policy, and the policy the Distributed Map adds beside it.
    acknowledgeWildcardPermissions(
      this.stateMachine,
      'The training workflow names every resource it can: wildcards remain for what is named at run time ' +
        '(Athena results and exported files under their prefixes, import jobs "<prefix>-import-*", solution ' +
        'versions "solution/<name>/*", the Distributed Map\'s child executions "execution:<machine>:*") and for ' +
        'actions without resource-level permissions (X-Ray, CloudWatch Logs delivery, cloudwatch:PutMetricData).',
      {
        only: [
          /^Resource::\*$/,
          /^Resource::.+\/(clickstream|athena-results|personalize\/interactions)\/\*$/,
          new RegExp(
            `^Resource::arn:.+:personalize:.+:dataset-import-job/${interactions.namePrefix}-import-\\*$`,
          ),
          new RegExp(`^Resource::arn:.+:personalize:.+:solution/${interactions.namePrefix}-[a-z-]+/\\*$`),
          /^Resource::arn:.+:states:.+:execution:.+:\*$/,
        ],
      },
    );

    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: 'Trains the recommendation models (docs/decisions/011-recommendations.md)',
      schedule: scheduler.ScheduleExpression.expression(props.schedule, TimeZone.ETC_UTC),
      target: new schedulerTargets.StepFunctionsStartExecution(this.stateMachine, {}),
      enabled: props.scheduleEnabled,
    });
  }

  /**
   * Reads when the dataset was created, counts the interactions in the lake (all of them, those of
   * shoppers with two or more, those from before the dataset) and publishes the counts.
   */
  private countInteractions(workGroupArn: string): sfn.IChainable & sfn.INextable {
    const { interactions, lake } = this.props;
    const readDataset = this.sdk(
      'Read the dataset',
      'personalize',
      'describeDataset',
      [interactions.datasetArn],
      {
        parameters: { DatasetArn: interactions.datasetArn },
        assign: {
          // SDK integrations give timestamps as ISO-8601 strings; epoch seconds or milliseconds are read too.
          datasetCreatedMs:
            '{% ($t := $states.result.Dataset.CreationDateTime; $type($t) = "string" ? $toMillis($t) : ' +
            '($t < 100000000000 ? $round($t * 1000) : $round($t))) %}',
        },
      },
    );
    const count = this.query('count', countInteractionsSql(lake.databaseName), workGroupArn);
    const readCounts = this.sdk('Read the counts', 'athena', 'getQueryResults', [workGroupArn], {
      parameters: { QueryExecutionId: '{% $countQueryId %}', MaxResults: 2 },
      assign: {
        interactions: '{% $number($states.result.ResultSet.Rows[1].Data[0].VarCharValue) %}',
        usersWithTwoInteractions: '{% $number($states.result.ResultSet.Rows[1].Data[1].VarCharValue) %}',
        beforeDataset: '{% $number($states.result.ResultSet.Rows[1].Data[2].VarCharValue) %}',
      },
    });
    const metric = (name: keyof typeof TRAINING_METRICS, value: string) => ({
      MetricName: name,
      Dimensions: [{ Name: 'service', Value: RECOMMENDER_TRAINING_SERVICE }],
      Value: value,
      Unit: 'Count',
    });
    const publishCounts = this.sdk('Publish the counts', 'cloudwatch', 'putMetricData', ['*'], {
      parameters: {
        Namespace: PLATFORM_METRICS_NAMESPACE,
        MetricData: [
          metric('TrainingInteractions', '{% $interactions %}'),
          metric('TrainingUsersWithTwoInteractions', '{% $usersWithTwoInteractions %}'),
          metric(
            'TrainingSkipped',
            `{% $interactions >= ${PERSONALIZE_MINIMUMS.interactions} and ` +
              `$usersWithTwoInteractions >= ${PERSONALIZE_MINIMUMS.usersWithTwoInteractions} ? 0 : 1 %}`,
          ),
        ],
      },
    });
    readDataset.next(count.start);
    count.done.next(readCounts).next(publishCounts);
    return sfn.Chain.custom(readDataset, [publishCounts], publishCounts);
  }

  /** Below the minimums: nothing to train yet, which is not a failure. The output says why. */
  private skipped(): sfn.Succeed {
    return sfn.Succeed.jsonata(this, 'Skipped', {
      comment: 'Below the minimums Personalize needs to train: nothing was trained or changed',
      outputs: {
        status: 'Skipped',
        reason:
          `{% "Personalize needs at least ${PERSONALIZE_MINIMUMS.interactions} interactions and ` +
          `${PERSONALIZE_MINIMUMS.usersWithTwoInteractions} shoppers with 2 or more; the lake holds " & ` +
          '$string($interactions) & " interactions and " & $string($usersWithTwoInteractions) & " such shoppers" %}',
        interactions: '{% $interactions %}',
        usersWithTwoInteractions: '{% $usersWithTwoInteractions %}',
      },
    });
  }

  /**
   * Exports the lake's interactions from before the dataset existed and imports them (FULL: each
   * import replaces the previous one, never adds a second copy).
   */
  private importInteractions(workGroupArn: string): sfn.IChainable & sfn.INextable {
    const { interactions, bucket } = this.props;
    const exportQuery = this.query(
      'export',
      exportInteractionsSql(this.props.lake.databaseName),
      workGroupArn,
    );
    const header = INTERACTIONS_SCHEMA.fields.map((field) => field.name).join(',');

    const writeFile = this.sdk(
      'Write an import file',
      's3',
      'putObject',
      [bucket.arnForObjects(`${INTERACTIONS_IMPORT_PREFIX}*`)],
      {
        parameters: {
          Bucket: bucket.bucketName,
          Key: '{% $states.input.Items[0].folder & $uuid() & ".csv" %}',
          Body: `{% "${header}\\n" & $join($states.input.Items.line, "\\n") & "\\n" %}`,
          ContentType: 'text/csv',
        },
        outputs: {},
        catchFailures: false,
      },
    );
    // Athena writes a SELECT's result as one CSV file, quoted, with a lower-case header: the map
    // reads it and writes it again as Personalize reads CSV (a header in every file, in the
    // schema's names), in files of at most 1,000 interactions.
    const writeFiles = sfn.DistributedMap.jsonata(this, 'Write the import files', {
      comment: 'Rewrites the export as CSV files with the header Personalize requires',
      itemReader: new sfn.S3CsvItemReader({
        // The bucket by name, so that the reader's permission is the one granted below (on
        // athena-results/), not s3:GetObject on the whole lake.
        bucketNamePath: bucket.bucketName,
        key: `{% "${ATHENA_RESULTS_PREFIX}" & $exportQueryId & ".csv" %}`,
        csvHeaders: sfn.CsvHeaders.useFirstRow(),
      }),
      itemSelector: {
        line:
          '{% ($field := function($value) { "\\"" & $replace($value, "\\"", "\\"\\"") & "\\"" }; ' +
          '$v := $states.context.Map.Item.Value; ' +
          '$field($v.user_id) & "," & $field($v.item_id) & "," & $v.ts & "," & $v.event_type & ",") %}',
        folder: `{% "${INTERACTIONS_IMPORT_PREFIX}" & $states.context.Execution.Name & "/" %}`,
      },
      itemBatcher: new sfn.ItemBatcher({ maxItemsPerBatch: 1000, maxInputBytesPerBatch: 200 * 1024 }),
      mapExecutionType: sfn.StateMachineType.EXPRESS,
      maxConcurrency: 10,
      toleratedFailurePercentage: 0,
      assign: { importFiles: '{% $count($states.result) %}' },
      outputs: {},
    });
    writeFiles.itemProcessor(writeFile);
    writeFiles.addCatch(this.failed);

    const importJobArn = (name: string) =>
      Stack.of(this).formatArn({
        service: 'personalize',
        resource: 'dataset-import-job',
        resourceName: name,
      });
    const importJobs = importJobArn(`${interactions.namePrefix}-import-*`);
    const startImport = this.sdk(
      'Import the interactions',
      'personalize',
      'createDatasetImportJob',
      [importJobs],
      {
        parameters: {
          JobName: `{% "${interactions.namePrefix}-import-" & $string($floor($toMillis($states.context.Execution.StartTime) / 1000)) %}`,
          DatasetArn: interactions.datasetArn,
          DataSource: {
            DataLocation: `{% "s3://${bucket.bucketName}/${INTERACTIONS_IMPORT_PREFIX}" & $states.context.Execution.Name & "/" %}`,
          },
          RoleArn: this.importRole.roleArn,
          ImportMode: 'FULL',
        },
        additionalIamStatements: [
          new iam.PolicyStatement({
            actions: ['iam:PassRole'],
            resources: [this.importRole.roleArn],
            conditions: { StringEquals: { 'iam:PassedToService': 'personalize.amazonaws.com' } },
          }),
        ],
        assign: { importJobArn: '{% $states.result.DatasetImportJobArn %}' },
      },
    );
    const checkImport = this.sdk(
      'Check the import',
      'personalize',
      'describeDatasetImportJob',
      [importJobs],
      {
        parameters: { DatasetImportJobArn: '{% $importJobArn %}' },
      },
    );
    const imported = sfn.Pass.jsonata(this, 'Imported', { comment: 'The interactions are in the dataset' });
    startImport.next(
      this.waitUntil('import', Duration.minutes(1), checkImport, {
        status: '$states.input.DatasetImportJob.Status',
        failure: 'InteractionsImportFailed',
        cause: '$states.input.DatasetImportJob',
        done: imported,
      }),
    );

    exportQuery.done.next(writeFiles).next(startImport);
    return sfn.Chain.custom(exportQuery.start, [imported], imported);
  }

  /**
   * For each model, in parallel: its solution (created the first time, automatic training off), a new
   * solution version, its campaign (created the first time, updated after), and its SSM parameter.
   */
  private trainAndDeploy(): sfn.IChainable {
    const { interactions } = this.props;
    const models = RECOMMENDER_MODELS.map((model) => ({
      type: model.type,
      name: interactions.modelName(model.type),
      recipeArn: Stack.of(this).formatArn({
        service: 'personalize',
        region: '',
        account: '',
        resource: 'recipe',
        resourceName: model.recipe,
      }),
      solutionArn: interactions.solutionArn(model.type),
      campaignArn: interactions.campaignArn(model.type),
      parameterName: interactions.parameterName(model.type),
      ...(model.excludePurchased && { filterArn: interactions.excludePurchasedFilter.attrFilterArn }),
    }));
    const solutionArns = models.map((model) => model.solutionArn);
    const solutionVersionArns = models.map((model) => `${model.solutionArn}/*`);
    const campaignArns = models.map((model) => model.campaignArn);

    const begin = sfn.Pass.jsonata(this, 'Take the model', { assign: { model: '{% $states.input %}' } });

    // The solution: created once, with automatic training off (Personalize's default trains every 7 days).
    const describeSolution = this.sdk(
      'Describe the solution',
      'personalize',
      'describeSolution',
      solutionArns,
      {
        parameters: { SolutionArn: '{% $model.solutionArn %}' },
        catchFailures: false,
      },
    );
    const createSolution = this.sdk('Create the solution', 'personalize', 'createSolution', solutionArns, {
      parameters: {
        Name: '{% $model.name %}',
        DatasetGroupArn: interactions.datasetGroupArn,
        RecipeArn: '{% $model.recipeArn %}',
        PerformAutoTraining: false,
      },
      catchFailures: false,
    });
    const checkSolution = this.sdk('Check the solution', 'personalize', 'describeSolution', solutionArns, {
      parameters: { SolutionArn: '{% $model.solutionArn %}' },
      catchFailures: false,
    });

    const train = this.sdk('Train a solution version', 'personalize', 'createSolutionVersion', solutionArns, {
      parameters: { SolutionArn: '{% $model.solutionArn %}', TrainingMode: 'FULL' },
      assign: { solutionVersionArn: '{% $states.result.SolutionVersionArn %}' },
      catchFailures: false,
    });
    const checkTraining = this.sdk(
      'Check the training',
      'personalize',
      'describeSolutionVersion',
      solutionVersionArns,
      { parameters: { SolutionVersionArn: '{% $solutionVersionArn %}' }, catchFailures: false },
    );

    // The campaign: created the first time, pointed at the new version after.
    const describeCampaign = this.sdk(
      'Describe the campaign',
      'personalize',
      'describeCampaign',
      campaignArns,
      {
        parameters: { CampaignArn: '{% $model.campaignArn %}' },
        catchFailures: false,
      },
    );
    const minProvisionedTps = this.props.campaignMinProvisionedTps;
    const updateCampaign = this.sdk('Update the campaign', 'personalize', 'updateCampaign', campaignArns, {
      parameters: {
        CampaignArn: '{% $model.campaignArn %}',
        SolutionVersionArn: '{% $solutionVersionArn %}',
        MinProvisionedTPS: minProvisionedTps,
      },
      catchFailures: false,
    });
    const createCampaign = this.sdk('Create the campaign', 'personalize', 'createCampaign', campaignArns, {
      parameters: {
        Name: '{% $model.name %}',
        SolutionVersionArn: '{% $solutionVersionArn %}',
        MinProvisionedTPS: minProvisionedTps,
      },
      catchFailures: false,
    });
    const checkCampaign = this.sdk('Check the campaign', 'personalize', 'describeCampaign', campaignArns, {
      parameters: { CampaignArn: '{% $model.campaignArn %}' },
      catchFailures: false,
    });

    const publish = this.sdk(
      'Publish the campaign',
      'ssm',
      'putParameter',
      models.map((model) => interactions.parameterArn(model.type)),
      {
        parameters: {
          Name: '{% $model.parameterName %}',
          Value: '{% $string({ "campaignArn": $model.campaignArn, "filterArn": $model.filterArn }) %}',
          Type: 'String',
          Overwrite: true,
        },
        outputs: {
          type: '{% $model.type %}',
          campaignArn: '{% $model.campaignArn %}',
          solutionVersionArn: '{% $solutionVersionArn %}',
        },
        catchFailures: false,
      },
    );

    const solution = this.statusLoop('solution', Duration.seconds(30), checkSolution, {
      status: '$states.input.Solution.Status',
      failure: 'SolutionFailed',
      cause: '$states.input.Solution',
      done: train,
    });
    // Described first: an ACTIVE solution goes straight to training.
    begin.next(describeSolution).next(solution.isReady);
    describeSolution.addCatch(createSolution, { errors: ['Personalize.ResourceNotFoundException'] });
    createSolution.next(solution.wait);

    train.next(
      this.waitUntil('training', Duration.minutes(5), checkTraining, {
        status: '$states.input.SolutionVersion.Status',
        failure: 'TrainingFailed',
        cause: '$states.input.SolutionVersion',
        failed: ['CREATE FAILED', 'CREATE STOPPED'],
        done: describeCampaign,
      }),
    );

    describeCampaign.next(updateCampaign);
    describeCampaign.addCatch(createCampaign, { errors: ['Personalize.ResourceNotFoundException'] });
    const campaignDeployed = this.waitUntil('campaign', Duration.minutes(1), checkCampaign, {
      // Deployed when the campaign and its latest update (if any) are both ACTIVE.
      status:
        '($c := $states.input.Campaign; $u := $c.LatestCampaignUpdate.Status; ' +
        '$c.Status = "ACTIVE" and $exists($u) and $u != "ACTIVE" ? $u : $c.Status)',
      failure: 'CampaignFailed',
      cause: '$states.input.Campaign',
      done: publish,
    });
    updateCampaign.next(campaignDeployed);
    createCampaign.next(campaignDeployed);

    const trainEach = sfn.Map.jsonata(this, 'Train and deploy each model', {
      comment: RECOMMENDER_MODELS.map((model) => `${model.type}: ${model.recipe}`).join('; '),
      items: sfn.ProvideItems.jsonArray(models),
      maxConcurrency: models.length,
    });
    trainEach.itemProcessor(begin);
    trainEach.addCatch(this.failed);
    return trainEach.next(
      sfn.Succeed.jsonata(this, 'Trained', {
        comment: 'Every model is trained, deployed, and named in its SSM parameter',
        outputs: {
          status: 'Trained',
          interactions: '{% $interactions %}',
          usersWithTwoInteractions: '{% $usersWithTwoInteractions %}',
          models: '{% $states.input %}',
        },
      }),
    );
  }

  /** An Athena query (`?` is when the dataset was created), started, then waited for. */
  private query(name: 'count' | 'export', sql: string, workGroupArn: string) {
    const { lake } = this.props;
    const start = this.sdk(`Start the ${name} query`, 'athena', 'startQueryExecution', [workGroupArn], {
      parameters: {
        QueryString: sql,
        QueryExecutionContext: { Catalog: 'AwsDataCatalog', Database: lake.databaseName },
        WorkGroup: lake.workGroup.name,
        ExecutionParameters: ['{% $string($datasetCreatedMs) %}'],
      },
      additionalIamStatements: this.queryStatements,
      assign: { [`${name}QueryId`]: '{% $states.result.QueryExecutionId %}' },
    });
    const check = this.sdk(`Check the ${name} query`, 'athena', 'getQueryExecution', [workGroupArn], {
      parameters: { QueryExecutionId: `{% $${name}QueryId %}` },
    });
    const done = sfn.Pass.jsonata(this, `The ${name} query is done`);
    start.next(
      this.waitUntil(`${name} query`, Duration.seconds(10), check, {
        status: '$states.input.QueryExecution.Status.State',
        done,
        failure: name === 'count' ? 'CountQueryFailed' : 'ExportQueryFailed',
        cause: '$states.input.QueryExecution.Status',
        succeeded: 'SUCCEEDED',
        failed: ['FAILED', 'CANCELLED'],
      }),
    );
    return { start, done };
  }

  /**
   * Waits `interval`, calls `check`, and goes on to `done` when the status is `succeeded`, to a Fail
   * state named `failure` when it is one of `failed`, or waits again.
   */
  private waitUntil(
    what: string,
    interval: Duration,
    check: tasks.CallAwsService,
    options: StatusOptions,
  ): sfn.Wait {
    return this.statusLoop(what, interval, check, options).wait;
  }

  /** The loop of `waitUntil`: its Wait state, and its Choice on the status (to enter it with a status at hand). */
  private statusLoop(
    what: string,
    interval: Duration,
    check: tasks.CallAwsService,
    options: StatusOptions,
  ): { readonly wait: sfn.Wait; readonly isReady: sfn.Choice } {
    const succeeded = options.succeeded ?? 'ACTIVE';
    const failed = options.failed ?? ['CREATE FAILED'];
    const wait = sfn.Wait.jsonata(this, `Wait for the ${what}`, { time: sfn.WaitTime.duration(interval) });
    const choice = sfn.Choice.jsonata(this, `Is the ${what} ready?`)
      .when(sfn.Condition.jsonata(`{% ${options.status} = "${succeeded}" %}`), options.done)
      .when(
        sfn.Condition.jsonata(`{% ${options.status} in ${JSON.stringify(failed)} %}`),
        sfn.Fail.jsonata(this, options.failure, {
          error: options.failure,
          cause: `{% $string(${options.cause}) %}`,
        }),
      )
      .otherwise(wait);
    wait.next(check).next(choice);
    return { wait, isReady: choice };
  }

  /**
   * An AWS SDK call with its IAM action spelt as IAM spells it, on `resources` only. Top-level calls
   * are caught by the `Failed` state.
   */
  private sdk(
    id: string,
    service: string,
    action: string,
    resources: string[],
    options: {
      readonly parameters: Record<string, unknown>;
      readonly assign?: Record<string, unknown>;
      readonly outputs?: unknown;
      readonly additionalIamStatements?: iam.PolicyStatement[];
      /** @default true */
      readonly catchFailures?: boolean;
    },
  ): tasks.CallAwsService {
    const task = tasks.CallAwsService.jsonata(this, id, {
      service,
      action,
      iamAction: `${service}:${action.charAt(0).toUpperCase()}${action.slice(1)}`,
      iamResources: resources,
      parameters: options.parameters,
      assign: options.assign,
      outputs: options.outputs,
      additionalIamStatements: options.additionalIamStatements,
    });
    if (options.catchFailures ?? true) task.addCatch(this.failed);
    return task;
  }
}

interface StatusOptions {
  /** JSONata expression of the status, on the check's output (`$states.input`). */
  readonly status: string;
  /** @default 'ACTIVE' */
  readonly succeeded?: string;
  /** @default ['CREATE FAILED'] */
  readonly failed?: string[];
  /** Name of the Fail state (and its error) when the status is one of `failed`. */
  readonly failure: string;
  /** JSONata expression of what the check said (its status, and its failure reason when there is one), the failure's cause. */
  readonly cause: string;
  readonly done: sfn.IChainable;
}

/**
 * The interactions Personalize trains on, as the event tracker sends them: signed-in shoppers'
 * product views, add-to-carts and purchases, not from bots, each `eventId` once (the lake is at
 * least once).
 */
function interactionsCte(databaseName: string): string {
  const types = [...INTERACTION_TYPES].map((type) => `'${type}'`).join(', ');
  return `WITH interactions AS (
  SELECT userid, productid, type, "timestamp",
    to_unixtime(from_iso8601_timestamp(servertime)) * 1000 AS received_ms,
    row_number() OVER (PARTITION BY eventid ORDER BY servertime) AS copy
  FROM "${databaseName}"."${EVENTS_TABLE}"
  WHERE userid IS NOT NULL AND productid IS NOT NULL AND NOT coalesce(isbot, false)
    AND type IN (${types})
)`;
}

/**
 * Counts the lake's interactions: all of them, the shoppers with two or more (Personalize's
 * minimums), and those received before `?` (when the dataset was created, epoch milliseconds).
 */
export function countInteractionsSql(databaseName: string): string {
  return `-- Interactions Personalize would train on; ? = when the dataset was created (epoch ms)
${interactionsCte(databaseName)},
per_user AS (
  SELECT userid, count(*) AS interactions, count_if(received_ms < ?) AS before_dataset
  FROM interactions
  WHERE copy = 1
  GROUP BY userid
)
SELECT
  coalesce(sum(interactions), 0) AS interactions,
  count_if(interactions >= 2) AS users_with_two_interactions,
  coalesce(sum(before_dataset), 0) AS before_dataset
FROM per_user
`;
}

/**
 * The lake's interactions received before `?` (when the dataset was created, epoch milliseconds),
 * in the Interactions schema's terms: the event tracker sent every later one to the dataset itself.
 */
export function exportInteractionsSql(databaseName: string): string {
  return `-- Interactions from before the dataset existed, for a Personalize import; ? = its creation (epoch ms)
${interactionsCte(databaseName)}
SELECT
  userid AS user_id,
  productid AS item_id,
  CAST(floor(to_unixtime(from_iso8601_timestamp("timestamp"))) AS bigint) AS ts,
  type AS event_type
FROM interactions
WHERE copy = 1 AND received_ms < ?
`;
}
