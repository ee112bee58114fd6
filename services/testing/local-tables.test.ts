import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { createLocalTables } from './local-tables';

describe('tables on DynamoDB Local', () => {
  it('have the keys, indexes and stream the stateful stack declares', async () => {
    const tables = await createLocalTables('OrdersTable');
    try {
      const { Table } = await tables.client.send(
        new DescribeTableCommand({ TableName: tables.names.OrdersTable }),
      );
      expect(Table?.KeySchema).toEqual([{ AttributeName: 'orderId', KeyType: 'HASH' }]);
      expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual(['byCustomer']);
      expect(Table?.StreamSpecification).toEqual({
        StreamEnabled: true,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      });
    } finally {
      await tables.deleteAll();
    }
  });
});
