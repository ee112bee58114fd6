import * as fs from 'node:fs';
import * as path from 'node:path';
import { Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as logs from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { newApp } from '../testing/platform-app';
import { PlatformFunction } from './platform-function';

const app = newApp();
const stack = new Stack(app, 'FunctionTest', { env: { account: '123456789012', region: 'us-east-1' } });
const table = new dynamodb.Table(stack, 'Table', {
  partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
  pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
});
const fn = new PlatformFunction(stack, 'Greeting', {
  entry: path.join(__dirname, '..', 'testing', 'fixtures', 'greeting-handler.ts'),
  serviceName: 'greeting',
  metricsNamespace: 'EcommercePlatform',
  logRetention: logs.RetentionDays.TWO_WEEKS,
  description: 'Greets shoppers',
  environment: { TABLE_NAME: table.tableName },
});
table.grantReadData(fn);
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
const template = Template.fromStack(stack);

describe('PlatformFunction', () => {
  it('runs on the newest Node.js runtime, on ARM64, traced by X-Ray', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      Handler: 'index.handler',
      MemorySize: 512,
      Timeout: 10,
      LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: Match.stringLikeRegexp('^GreetingLogs') } },
    });
  });

  it('sets the Powertools environment and keeps its own variables', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          POWERTOOLS_SERVICE_NAME: 'greeting',
          POWERTOOLS_METRICS_NAMESPACE: 'EcommercePlatform',
          POWERTOOLS_LOG_LEVEL: 'INFO',
          NODE_OPTIONS: '--enable-source-maps',
          TABLE_NAME: { Ref: Match.stringLikeRegexp('^Table') },
        },
      },
    });
  });

  it('writes to a log group of its own, kept for the configured retention', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 14 });
    template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain' });
  });

  it('bundles the handler minified, with a source map, and runs it', async () => {
    const [greeting] = Object.values(template.findResources('AWS::Lambda::Function'));
    const assetKey: string = greeting!.Properties.Code.S3Key;
    const assetDir = path.join(app.synth().directory, `asset.${assetKey.replace(/\.zip$/, '')}`);
    const bundle = fs.readFileSync(path.join(assetDir, 'index.js'), 'utf8');
    expect(fs.existsSync(path.join(assetDir, 'index.js.map'))).toBe(true);
    expect(bundle.split('\n').length).toBeLessThan(5);
    const { handler } = await import(path.join(assetDir, 'index.js'));
    process.env.POWERTOOLS_SERVICE_NAME = 'greeting';
    await expect(handler({ name: 'Ada' })).resolves.toEqual({ greeting: 'Hello, Ada', service: 'greeting' });
  });

  it('has a role with no managed policy, allowed only its logs, its traces and what was granted', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })],
      }),
      ManagedPolicyArns: Match.absent(),
    });
    const [policy] = Object.values(template.findResources('AWS::IAM::Policy'));
    const statements: { Action: string | string[]; Resource: unknown }[] =
      policy!.Properties.PolicyDocument.Statement;
    const onEverything = statements.filter((s) => s.Resource === '*');
    expect(onEverything.flatMap((s) => s.Action).sort()).toEqual([
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ]);
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: { 'Fn::GetAtt': [expect.stringMatching(/^GreetingLogs/), 'Arn'] },
        }),
        expect.objectContaining({ Action: expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']) }),
      ]),
    );
  });

  it('passes the AwsSolutions checks without an acknowledgement beyond X-Ray', () => {
    expect(() => app.synth({ force: true })).not.toThrow();
  });
});
