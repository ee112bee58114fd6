import * as path from 'node:path';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { KinesisEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import { PlatformFunction } from '../../../infra/constructs/platform-function';
import type { PlatformStage } from '../../../infra/stage';

/**
 * Adds to a stage what a team adds when it builds a feature: a table and a stream (in the stateful
 * stack), a function reading the stream into the table, and a signed-in route answering from the
 * table. Nothing in local/ knows about it.
 */
export function addVisitsFeature(stage: PlatformStage): void {
  const table = new dynamodb.Table(stage.stateful, 'VisitsTable', {
    partitionKey: { name: 'visitId', type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const stream = new kinesis.Stream(stage.stateful, 'VisitsStream', {
    shardCount: 1,
    encryption: kinesis.StreamEncryption.MANAGED,
  });
  const fn = new PlatformFunction(stage.api, 'Visits', {
    entry: path.join(__dirname, 'visits-handler.ts'),
    serviceName: 'visits',
    metricsNamespace: 'Test',
    logRetention: logs.RetentionDays.ONE_DAY,
    logRemovalPolicy: RemovalPolicy.DESTROY,
    description: 'Test feature: records visits, lists them',
    environment: { VISITS_TABLE_NAME: table.tableName },
    timeout: Duration.seconds(5),
  });
  table.grantReadWriteData(fn);
  fn.addEventSource(
    new KinesisEventSource(stream, {
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
      batchSize: 10,
      retryAttempts: 2,
    }),
  );
  const { restApi, authorizer } = stage.api.api;
  restApi.root.addResource('visits').addMethod('GET', new apigateway.LambdaIntegration(fn), {
    authorizer,
    authorizationType: apigateway.AuthorizationType.COGNITO,
  });
  Validations.of(fn).acknowledge({
    id: 'AwsSolutions-IAM5',
    reason: 'Test fixture: the wildcards CDK grants add for a stream consumer and X-Ray',
  });
}
