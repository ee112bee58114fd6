import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../local/dynamodb/dynamodb-local';
import { buildTestPlatform } from '../../infra/testing/platform-app';

/**
 * Before the test run: one DynamoDB Local for every test file (each creates tables of its own
 * under unique names), and the dev stage's stateful template, from which those tables take their
 * keys, indexes and streams.
 */
export default async function globalSetup(): Promise<void> {
  const dynamodb = await startDynamoDbLocal();
  (globalThis as { dynamodbLocal?: DynamoDbLocal }).dynamodbLocal = dynamodb;
  process.env.DYNAMODB_LOCAL_ENDPOINT = dynamodb.endpoint;

  const template = Template.fromStack(buildTestPlatform().stages.dev.stateful).toJSON();
  const file = path.join(
    fs.mkdtempSync(path.join(os.tmpdir(), 'platform-template-')),
    'stateful.template.json',
  );
  fs.writeFileSync(file, JSON.stringify(template));
  process.env.STATEFUL_TEMPLATE_FILE = file;
}
