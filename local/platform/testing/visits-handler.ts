/**
 * A function that exists only in a test stage (local-platform.test.ts): records visits from a
 * Kinesis stream into a table, and answers `GET /visits` with what the table holds.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, KinesisStreamEvent } from 'aws-lambda';

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const tableName = process.env.VISITS_TABLE_NAME;

export async function handler(
  event: APIGatewayProxyEvent | KinesisStreamEvent,
): Promise<APIGatewayProxyResult | undefined> {
  if ('Records' in event) {
    for (const record of event.Records) {
      const visit = JSON.parse(Buffer.from(record.kinesis.data, 'base64').toString('utf8')) as {
        page: string;
      };
      await documents.send(
        new PutCommand({
          TableName: tableName,
          Item: { visitId: record.kinesis.sequenceNumber, page: visit.page },
        }),
      );
    }
    return undefined;
  }
  const { Items = [] } = await documents.send(new ScanCommand({ TableName: tableName }));
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      pages: Items.map((item) => item.page as string).sort(),
      caller: event.requestContext.authorizer?.claims?.email ?? null,
    }),
  };
}
