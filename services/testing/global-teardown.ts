import type { DynamoDbLocal } from '../../local/dynamodb/dynamodb-local';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { dynamodbLocal?: DynamoDbLocal }).dynamodbLocal?.stop();
}
