import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { tableDefinitions, type CfnTemplate } from '../../local/dynamodb/table-definitions';
import { documentClient } from '../shared/dynamodb';

/** The platform's tables, by the start of their logical id in the stateful stack. */
export type PlatformTable = 'OrdersTable' | 'ProductsTable' | 'AnalyticsTable';

function endpoint(): string {
  const value = process.env.DYNAMODB_LOCAL_ENDPOINT;
  if (!value)
    throw new Error('DynamoDB Local is not running: the jest globalSetup starts it (jest.config.js)');
  return value;
}

/** A low-level client for DynamoDB Local. */
export function localDynamoDbClient(): DynamoDBClient {
  return new DynamoDBClient({ endpoint: endpoint(), region: 'us-east-1' });
}

/**
 * Creates the named tables on DynamoDB Local, with the keys, indexes and streams the stateful
 * stack declares, under names unique to this test file. Returns the names, a document client, and
 * a function that deletes the tables.
 */
export async function createLocalTables<T extends PlatformTable>(...tables: T[]) {
  const template: CfnTemplate = JSON.parse(fs.readFileSync(process.env.STATEFUL_TEMPLATE_FILE ?? '', 'utf8'));
  const definitions = tableDefinitions(template);
  const client = localDynamoDbClient();
  const suffix = randomUUID().slice(0, 8);
  const names = {} as Record<T, string>;
  for (const table of tables) {
    const definition = definitions.find((d) => d.logicalId.startsWith(table));
    if (!definition) throw new Error(`the stateful stack has no table ${table}`);
    const name = `${table}-${suffix}`;
    await client.send(new CreateTableCommand({ ...definition.create, TableName: name }));
    if (definition.timeToLiveAttribute) {
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: name,
          TimeToLiveSpecification: { AttributeName: definition.timeToLiveAttribute, Enabled: true },
        }),
      );
    }
    names[table] = name;
  }
  return {
    names,
    client,
    documents: documentClient(client),
    deleteAll: async () => {
      for (const name of Object.values<string>(names))
        await client.send(new DeleteTableCommand({ TableName: name }));
      client.destroy();
    },
  };
}
