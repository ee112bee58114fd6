import { Match, Template } from 'aws-cdk-lib/assertions';
import { PROCESSOR_QUARANTINE_PREFIX as HANDLER_QUARANTINE_PREFIX } from '../../services/clickstream/adapters/s3-quarantine';
import { enrichEvent } from '../../services/clickstream/domain/enriched-event';
import { PROCESSOR_QUARANTINE_PREFIX } from '../constructs/clickstream';
import { INTERACTIONS_SCHEMA } from '../constructs/personalization';
import { buildTestPlatform, cdkJsonPlatformConfig } from '../testing/platform-app';

const { stages } = buildTestPlatform();
const dev = Template.fromStack(stages.dev.clickstream);
const prod = Template.fromStack(stages.prod.clickstream);
const config = cdkJsonPlatformConfig();

type Resources = Record<string, any>;

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

const actionsOf = (statement: Statement): string[] => [statement.Action].flat();
const resourcesOf = (statement: Statement): string[] =>
  [statement.Resource].flat().map((r) => JSON.stringify(r));

/** The statements of every identity policy attached to the role whose logical id starts with `rolePrefix`. */
function statementsOf(template: Template, rolePrefix: string): Statement[] {
  const policies: Resources = template.findResources('AWS::IAM::Policy');
  return Object.values(policies)
    .filter(({ Properties }) => Properties.Roles.some((role: any) => role.Ref.startsWith(rolePrefix)))
    .flatMap(({ Properties }) => Properties.PolicyDocument.Statement);
}

/** A value another stack of the stage publishes: `Fn::GetStackOutput` of `dev-Stateful`, by output name. */
const statefulOutput = (outputName: RegExp) => ({
  'Fn::GetStackOutput': expect.objectContaining({
    StackName: 'dev-Stateful',
    OutputName: expect.stringMatching(outputName),
  }),
});

const only = (template: Template, type: string) => {
  const resources = Object.entries(template.findResources(type));
  expect(resources).toHaveLength(1);
  return { id: resources[0]![0], properties: resources[0]![1].Properties };
};

describe('ClickstreamStack', () => {
  it('is deployed after the stateful stack only; the API does not wait for it, Operations watches it', () => {
    const stage = stages.dev;
    expect(stage.clickstream.dependencies).toEqual([stage.stateful]);
    expect(stage.api.dependencies).not.toContain(stage.clickstream);
    expect(stage.operations.dependencies).toContain(stage.clickstream);
    expect(stage.clickstream.dependencies).not.toContain(stage.operations);
  });

  describe('ClickstreamProcessor', () => {
    const fn = only(dev, 'AWS::Lambda::Function');

    it('runs the clickstream processor handler on Node.js 24 on ARM64, under its own service name', () => {
      expect(fn.id).toMatch(/^ClickstreamClickstreamProcessor/);
      expect(fn.properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        Timeout: 60,
        TracingConfig: { Mode: 'Active' },
      });
      expect(fn.properties.Environment.Variables).toMatchObject({
        POWERTOOLS_SERVICE_NAME: 'clickstream-processor',
        POWERTOOLS_METRICS_NAMESPACE: 'EcommercePlatform',
      });
    });

    it('receives the delivery stream, the analytics table, the tracking id and the quarantine bucket', () => {
      const variables = fn.properties.Environment.Variables;
      expect(
        Object.keys(variables)
          .filter((name) => !/^(POWERTOOLS_|NODE_OPTIONS)/.test(name))
          .sort(),
      ).toEqual([
        'ANALYTICS_TABLE_NAME',
        'FIREHOSE_STREAM_NAME',
        'PERSONALIZE_TRACKING_ID',
        'QUARANTINE_BUCKET_NAME',
      ]);
      const deliveryStream = only(dev, 'AWS::KinesisFirehose::DeliveryStream');
      const tracker = only(dev, 'AWS::Personalize::EventTracker');
      expect(variables).toMatchObject({
        FIREHOSE_STREAM_NAME: { Ref: deliveryStream.id },
        ANALYTICS_TABLE_NAME: statefulOutput(/^PublishOutputRefAnalyticsTable/),
        PERSONALIZE_TRACKING_ID: { 'Fn::GetAtt': [tracker.id, 'TrackingId'] },
        QUARANTINE_BUCKET_NAME: statefulOutput(/^PublishOutputRefClickstreamBucket/),
      });
    });

    it.each([
      ['dev', dev, config.environments.dev],
      ['prod', prod, config.environments.prod],
    ] as const)(
      'reads the stream in %s in batches of the configured size and window, bisecting, retrying 5 times, then to its DLQ',
      (_name, template, env) => {
        const mapping = only(template, 'AWS::Lambda::EventSourceMapping').properties;
        expect(mapping).toEqual({
          FunctionName: { Ref: expect.stringMatching(/^ClickstreamClickstreamProcessor/) },
          EventSourceArn: expect.anything(),
          StartingPosition: 'TRIM_HORIZON',
          BatchSize: env.clickstream.batchSize,
          MaximumBatchingWindowInSeconds: env.clickstream.maxBatchingWindowSeconds,
          ParallelizationFactor: 1,
          BisectBatchOnFunctionError: true,
          FunctionResponseTypes: ['ReportBatchItemFailures'],
          MaximumRetryAttempts: 5,
          MaximumRecordAgeInSeconds: 86400,
          DestinationConfig: {
            OnFailure: {
              Destination: {
                'Fn::GetAtt': [expect.stringMatching(/^ClickstreamProcessorDeadLetterQueue/), 'Arn'],
              },
            },
          },
        });
        expect(JSON.stringify(mapping.EventSourceArn)).toContain('ClickstreamStream3FFDB429Arn');
      },
    );

    it('has an encrypted, TLS-only DLQ that keeps messages 14 days', () => {
      const queue = only(dev, 'AWS::SQS::Queue');
      expect(queue.properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
      dev.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queue.id }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });

    it('keeps its logs for the retention of the environment', () => {
      expect(fn.properties.LoggingConfig).toMatchObject({
        LogFormat: 'JSON',
        LogGroup: { Ref: expect.stringMatching(/^ClickstreamClickstreamProcessorLogs/) },
      });
      for (const [template, days] of [
        [dev, 14],
        [prod, 365],
      ] as const) {
        // The processor's, Firehose's, and the recommender training workflow's.
        const groups = Object.values(template.findResources('AWS::Logs::LogGroup'));
        expect(groups).toHaveLength(3);
        for (const group of groups) expect(group.Properties.RetentionInDays).toBe(days);
      }
    });
  });

  describe('least privilege', () => {
    const processor = statementsOf(dev, 'ClickstreamClickstreamProcessorRole');
    const firehoseRole = statementsOf(dev, 'ClickstreamFirehoseRole');
    const withAction = (statements: Statement[], prefix: string) =>
      statements.filter((statement) => actionsOf(statement).some((action) => action.startsWith(prefix)));

    it('gives no role an inline or managed policy, and no wildcard action but s3:Abort* on a write prefix', () => {
      // The processor's and Firehose's; the recommender training's roles are tested in recommender-training.test.ts.
      const roles = Object.entries(dev.findResources('AWS::IAM::Role'))
        .filter(([id]) => id.startsWith('Clickstream'))
        .map(([, role]) => role);
      expect(roles).toHaveLength(2);
      for (const role of roles) {
        expect(role.Properties.Policies).toBeUndefined();
        expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      }
      for (const policy of Object.values(dev.findResources('AWS::IAM::Policy'))) {
        for (const statement of policy.Properties.PolicyDocument.Statement as Statement[]) {
          expect(statement.Effect).toBe('Allow');
          for (const action of actionsOf(statement).filter((a) => a.includes('*'))) {
            // grantPut's only wildcard: s3:AbortMultipartUpload, on the prefixes the role writes.
            expect(action).toBe('s3:Abort*');
            for (const resource of resourcesOf(statement)) {
              expect(resource).toMatch(/\/(clickstream|errors\/firehose|errors\/processor)\/\*"/);
            }
          }
        }
      }
    });

    it('gives the processor "*" resources for X-Ray only', () => {
      const star = processor.filter((statement) => resourcesOf(statement).includes('"*"'));
      expect(star).toEqual([
        { Effect: 'Allow', Action: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'], Resource: '*' },
      ]);
    });

    it('lets the processor read the stream, put to its delivery stream and record events on its tracker only', () => {
      const kinesis = withAction(processor, 'kinesis:');
      expect(kinesis).toHaveLength(1);
      expect(actionsOf(kinesis[0]!).some((action) => /Put|Delete|Create/.test(action))).toBe(false);
      expect(resourcesOf(kinesis[0]!)).toEqual([expect.stringContaining('ClickstreamStream3FFDB429Arn')]);

      expect(withAction(processor, 'firehose:')).toEqual([
        {
          Effect: 'Allow',
          Action: ['firehose:PutRecord', 'firehose:PutRecordBatch'],
          Resource: { 'Fn::GetAtt': [expect.stringMatching(/^ClickstreamClickstreamFirehose/), 'Arn'] },
        },
      ]);
      expect(withAction(processor, 'personalize:')).toEqual([
        {
          Effect: 'Allow',
          Action: 'personalize:PutEvents',
          Resource: { 'Fn::GetAtt': [expect.stringMatching(/^EventTracker/), 'EventTrackerArn'] },
        },
      ]);
    });

    it('lets the processor read and write the analytics table, and write the quarantine prefix only', () => {
      const dynamodb = withAction(processor, 'dynamodb:');
      expect(dynamodb).toHaveLength(1);
      expect(actionsOf(dynamodb[0]!)).toEqual(
        expect.arrayContaining(['dynamodb:UpdateItem', 'dynamodb:Query']),
      );
      expect(resourcesOf(dynamodb[0]!)).toEqual([expect.stringContaining('AnalyticsTable3F84C304Arn')]);

      const s3 = withAction(processor, 's3:');
      expect(s3).toHaveLength(1);
      expect(actionsOf(s3[0]!).every((action) => /^s3:(PutObject\w*|Abort\*)$/.test(action))).toBe(true);
      expect(resourcesOf(s3[0]!)).toEqual([
        expect.stringMatching(/ClickstreamBucket.+"\/errors\/processor\/\*"/),
      ]);
    });

    it('grants the quarantine prefix the processor writes under', () => {
      expect(PROCESSOR_QUARANTINE_PREFIX).toBe(HANDLER_QUARANTINE_PREFIX);
      expect(resourcesOf(withAction(processor, 's3:')[0]!)[0]).toContain(
        `"/${PROCESSOR_QUARANTINE_PREFIX}*"`,
      );
    });

    it('lets Firehose write and read back its two lake prefixes, list the bucket and write its log group, nothing else', () => {
      const objects = firehoseRole.find((statement) => actionsOf(statement).includes('s3:PutObject'))!;
      expect(actionsOf(objects)).toContain('s3:GetObject');
      expect(actionsOf(objects).every((action) => /^s3:(PutObject\w*|GetObject|Abort\*)$/.test(action))).toBe(
        true,
      );
      expect(resourcesOf(objects)).toEqual([
        expect.stringMatching(/"\/clickstream\/\*"/),
        expect.stringMatching(/"\/errors\/firehose\/\*"/),
      ]);
      const bucketLevel = firehoseRole.find((statement) => actionsOf(statement).includes('s3:ListBucket'))!;
      expect(bucketLevel).toEqual({
        Effect: 'Allow',
        Action: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
        Resource: statefulOutput(/^PublishOutputFnGetAttClickstreamBucketD2103901Arn/),
      });
      expect(withAction(firehoseRole, 'logs:')).toEqual([
        {
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: { 'Fn::GetAtt': [expect.stringMatching(/^ClickstreamFirehoseLogs/), 'Arn'] },
        },
      ]);
      expect(firehoseRole).toHaveLength(3);
      expect(firehoseRole.flatMap(actionsOf).some((action) => /Delete|Acl|Policy/.test(action))).toBe(false);
    });
  });

  describe('ClickstreamFirehose', () => {
    const stream = only(dev, 'AWS::KinesisFirehose::DeliveryStream');
    const destination = stream.properties.ExtendedS3DestinationConfiguration;

    it('takes direct PUTs, encrypted with an AWS owned key, and writes gzip objects to the lake', () => {
      expect(stream.properties).toMatchObject({
        DeliveryStreamType: 'DirectPut',
        DeliveryStreamEncryptionConfigurationInput: { KeyType: 'AWS_OWNED_CMK' },
      });
      expect(destination.CompressionFormat).toBe('GZIP');
      expect(destination.BucketARN).toEqual(
        statefulOutput(/^PublishOutputFnGetAttClickstreamBucketD2103901Arn/),
      );
      expect(destination.RoleARN).toEqual({
        'Fn::GetAtt': [expect.stringMatching(/^ClickstreamFirehoseRole/), 'Arn'],
      });
    });

    it('writes one folder per hour under clickstream/, and its failures by type and day under errors/firehose/', () => {
      expect(destination.Prefix).toBe(
        'clickstream/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/',
      );
      expect(destination.ErrorOutputPrefix).toBe(
        'errors/firehose/!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/',
      );
    });

    it('publishes its data prefix as the ClickstreamLakePrefix output, which the integration tests receive', () => {
      dev.hasOutput('ClickstreamLakePrefix', { Value: destination.Prefix });
      expect(stages.dev.testEnvironment.CLICKSTREAM_LAKE_PREFIX).toBe(
        stages.dev.clickstream.outputs.lakePrefix,
      );
    });

    it('buffers as the config of each environment says', () => {
      for (const [template, env] of [
        [dev, config.environments.dev],
        [prod, config.environments.prod],
      ] as const) {
        template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
          ExtendedS3DestinationConfiguration: Match.objectLike({
            BufferingHints: {
              IntervalInSeconds: env.clickstream.firehoseBufferSeconds,
              SizeInMBs: env.clickstream.firehoseBufferMiB,
            },
          }),
        });
      }
      expect(config.environments.dev.clickstream).not.toEqual(config.environments.prod.clickstream);
    });

    it('logs delivery errors to a log group of its own', () => {
      expect(destination.CloudWatchLoggingOptions).toEqual({
        Enabled: true,
        LogGroupName: { Ref: expect.stringMatching(/^ClickstreamFirehoseLogs/) },
        LogStreamName: { Ref: expect.stringMatching(/^ClickstreamFirehoseLogsS3Destination/) },
      });
    });

    it('is created after the policy of its role, which Firehose checks at creation', () => {
      const [, resource] = Object.entries(dev.toJSON().Resources as Resources).find(
        ([id]) => id === stream.id,
      )!;
      expect(resource.DependsOn).toEqual(
        expect.arrayContaining([expect.stringMatching(/^ClickstreamFirehoseRoleDefaultPolicy/)]),
      );
    });
  });

  describe('analytics lake (Glue and Athena)', () => {
    const database = only(dev, 'AWS::Glue::Database').properties;
    const table = only(dev, 'AWS::Glue::Table').properties;
    const lakeLocation = (suffix: string) => ({
      'Fn::Join': ['', ['s3://', statefulOutput(/^PublishOutputRefClickstreamBucket/), suffix]],
    });

    it('has a database unique to the stage, holding the events table', () => {
      expect(database.DatabaseInput.Name).toMatch(/^dev[a-z0-9_]+$/);
      expect(only(prod, 'AWS::Glue::Database').properties.DatabaseInput.Name).toMatch(/^prod/);
      expect(table.DatabaseName).toBe(database.DatabaseInput.Name);
      expect(table.TableInput).toMatchObject({ Name: 'events', TableType: 'EXTERNAL_TABLE' });
    });

    it('reads gzip JSON lines under s3://<lake>/clickstream/ with the OpenX JSON SerDe', () => {
      expect(table.TableInput.StorageDescriptor).toMatchObject({
        Location: lakeLocation('/clickstream/'),
        InputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
        OutputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
        SerdeInfo: { SerializationLibrary: 'org.openx.data.jsonserde.JsonSerDe' },
      });
      expect(table.TableInput.Parameters).toMatchObject({ classification: 'json', compressionType: 'gzip' });
    });

    it('has a column for every field of an enriched event, as the processor writes it', () => {
      const enriched = enrichEvent({
        event: {
          eventId: '6f1c2b1e-8a57-4a39-9d1e-3c0a5f4b2d10',
          type: 'purchase',
          sessionId: 's-1',
          userId: 'u-1',
          productId: 'p-1',
          query: 'shoes',
          price: 1999,
          quantity: 1,
          orderId: 'ord_1',
          timestamp: '2026-11-25T20:34:56.789Z',
        },
        receivedAt: 1_764_102_896_123,
        sourceIp: '203.0.113.7',
        userAgent: 'Mozilla/5.0',
      });
      const columns = table.TableInput.StorageDescriptor.Columns.map(
        (column: { Name: string }) => column.Name,
      );
      expect([...columns].sort()).toEqual(
        Object.keys(enriched)
          .map((key) => key.toLowerCase())
          .sort(),
      );
      const typeOf = (name: string) =>
        table.TableInput.StorageDescriptor.Columns.find((column: { Name: string }) => column.Name === name)
          .Type;
      expect([typeOf('price'), typeOf('quantity'), typeOf('isbot')]).toEqual(['bigint', 'int', 'boolean']);
    });

    it('is partitioned by year, month, day and hour with partition projection over the Firehose folders', () => {
      expect(table.TableInput.PartitionKeys).toEqual(
        ['year', 'month', 'day', 'hour'].map((name) => ({ Name: name, Type: 'string' })),
      );
      expect(table.TableInput.Parameters).toMatchObject({
        'projection.enabled': 'true',
        'projection.year.type': 'date',
        'projection.year.format': 'yyyy',
        'projection.year.range': expect.stringMatching(/^20\d\d,NOW$/),
        'projection.month.type': 'integer',
        'projection.month.range': '1,12',
        'projection.month.digits': '2',
        'projection.day.type': 'integer',
        'projection.day.range': '1,31',
        'projection.day.digits': '2',
        'projection.hour.type': 'integer',
        'projection.hour.range': '0,23',
        'projection.hour.digits': '2',
        'storage.location.template': lakeLocation(
          '/clickstream/year=${year}/month=${month}/day=${day}/hour=${hour}/',
        ),
      });
    });

    it('has an Athena workgroup that encrypts results and keeps them in the lake under athena-results/', () => {
      const workGroup = only(dev, 'AWS::Athena::WorkGroup').properties;
      expect(workGroup).toMatchObject({
        RecursiveDeleteOption: true,
        WorkGroupConfiguration: {
          EnforceWorkGroupConfiguration: true,
          PublishCloudWatchMetricsEnabled: true,
          ResultConfiguration: {
            EncryptionConfiguration: { EncryptionOption: 'SSE_S3' },
            OutputLocation: lakeLocation('/athena-results/'),
          },
        },
      });
    });

    it('saves the query "Daily funnel by product" in that workgroup, over the events table', () => {
      const query = only(dev, 'AWS::Athena::NamedQuery').properties;
      const workGroup = only(dev, 'AWS::Athena::WorkGroup').properties;
      expect(query).toMatchObject({
        Name: 'Daily funnel by product',
        Database: database.DatabaseInput.Name,
        WorkGroup: workGroup.Name,
      });
      const sql: string = query.QueryString;
      expect(sql).toContain(`FROM "${database.DatabaseInput.Name}"."events"`);
      expect(sql).toMatch(/GROUP BY 1, 2/);
      for (const measure of ['views', 'add_to_carts', 'checkouts', 'purchases', 'revenue_cents']) {
        expect(sql).toContain(`AS ${measure}`);
      }
      for (const type of ['product_view', 'add_to_cart', 'checkout_start', 'purchase']) {
        expect(sql).toContain(`type = '${type}'`);
      }
      // each event once, however many times it was delivered
      expect(sql).toContain('row_number() OVER (PARTITION BY eventid');
    });
  });

  describe('Personalize', () => {
    const stateful = Template.fromStack(stages.dev.stateful);

    it('keeps the dataset group, the Interactions schema and dataset with the stateful resources', () => {
      const group = only(stateful, 'AWS::Personalize::DatasetGroup');
      const schema = only(stateful, 'AWS::Personalize::Schema');
      expect(JSON.parse(schema.properties.Schema)).toEqual(INTERACTIONS_SCHEMA);
      expect(INTERACTIONS_SCHEMA.fields.map((field) => field.name)).toEqual([
        'USER_ID',
        'ITEM_ID',
        'TIMESTAMP',
        'EVENT_TYPE',
        'EVENT_VALUE',
      ]);
      expect(only(stateful, 'AWS::Personalize::Dataset').properties).toMatchObject({
        DatasetType: 'Interactions',
        DatasetGroupArn: { 'Fn::GetAtt': [group.id, 'DatasetGroupArn'] },
        SchemaArn: { 'Fn::GetAtt': [schema.id, 'SchemaArn'] },
      });
    });

    it('names Personalize resources per stage, as their names are per account and region', () => {
      const name = (template: Template, type: string) => only(template, type).properties.Name;
      const prodStateful = Template.fromStack(stages.prod.stateful);
      expect(name(stateful, 'AWS::Personalize::DatasetGroup')).not.toBe(
        name(prodStateful, 'AWS::Personalize::DatasetGroup'),
      );
      expect(name(dev, 'AWS::Personalize::EventTracker')).not.toBe(
        name(prod, 'AWS::Personalize::EventTracker'),
      );
      for (const type of [
        'AWS::Personalize::DatasetGroup',
        'AWS::Personalize::Schema',
        'AWS::Personalize::Dataset',
      ]) {
        expect(name(stateful, type)).toMatch(/^[a-zA-Z0-9][a-zA-Z0-9_-]{0,62}$/);
      }
    });

    it('has an event tracker on the dataset group, created once the Interactions dataset exists', () => {
      const tracker = only(dev, 'AWS::Personalize::EventTracker').properties;
      expect(tracker.DatasetGroupArn).toEqual(
        statefulOutput(/^PublishOutputFnGetAttPersonalizationDatasetGroup\w+DatasetGroupArn/),
      );
      expect(stages.dev.clickstream.dependencies).toContain(stages.dev.stateful);
    });
  });
});
