import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Order } from '../domain/order';
import { OrderAlreadyExistsError, type OrderPage, type OrderStore } from '../domain/ports';

/** The index of OrdersTable that lists a customer's orders by time. */
export const BY_CUSTOMER_INDEX = 'byCustomer';

/** OrdersTable: one item per order, keyed by `orderId`; `byCustomer` (customerId, createdAt) lists them. */
export class DynamoDbOrderStore implements OrderStore {
  private readonly documents: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(props: { readonly documents: DynamoDBDocumentClient; readonly tableName: string }) {
    this.documents = props.documents;
    this.tableName = props.tableName;
  }

  async create(order: Order): Promise<void> {
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: order,
          ConditionExpression: 'attribute_not_exists(orderId)',
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new OrderAlreadyExistsError(order.orderId);
      throw error;
    }
  }

  async get(orderId: string): Promise<Order | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: { orderId }, ConsistentRead: true }),
    );
    return Item as Order | undefined;
  }

  async listByCustomer(
    customerId: string,
    page: { limit: number; position?: Record<string, unknown> },
  ): Promise<OrderPage> {
    const { Items, LastEvaluatedKey } = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: BY_CUSTOMER_INDEX,
        KeyConditionExpression: 'customerId = :customerId',
        ExpressionAttributeValues: { ':customerId': customerId },
        ScanIndexForward: false,
        Limit: page.limit,
        ExclusiveStartKey: page.position,
      }),
    );
    return { orders: (Items ?? []) as Order[], ...(LastEvaluatedKey && { nextPosition: LastEvaluatedKey }) };
  }
}
