import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * A DynamoDB document client as every function uses it: empty values removed, class instances
 * written as maps. The endpoint and credentials come from the SDK's usual chain, so a local
 * emulator is reached through `AWS_ENDPOINT_URL_DYNAMODB` with no code change.
 */
export function documentClient(client: DynamoDBClient = new DynamoDBClient({})): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true },
  });
}
