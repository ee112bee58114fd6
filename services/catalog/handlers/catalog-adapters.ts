import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { documentClient } from '../../shared/dynamodb';
import { observability } from '../../shared/powertools';
import { searchIndexFromEnvironment } from '../../search/search-index-from-environment';
import { DynamoDbProductStore } from '../adapters/dynamodb-product-store';

/**
 * What the catalog's functions run on in AWS: Powertools, the DynamoDB product store (its client
 * traced) and the search index the environment names (OpenSearch, or the embedded one).
 */
export function catalogAdapters(productsTableName: string) {
  const tools = observability();
  const client = tools.tracer.captureAWSv3Client(new DynamoDBClient({}));
  return {
    ...tools,
    store: new DynamoDbProductStore({ documents: documentClient(client), tableName: productsTableName }),
    search: searchIndexFromEnvironment(),
  };
}
