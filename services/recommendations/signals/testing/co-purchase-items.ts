import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CO_PURCHASE_PARTITION_PREFIX, CO_PURCHASE_SORT_PREFIX } from '../domain/co-purchases';

/** Every co-purchase count of the table, as `{ 'a+b': count }` (b bought with a). */
export async function storedCoPurchaseCounts(
  documents: DynamoDBDocumentClient,
  tableName: string,
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: 'begins_with(pk, :prefix)',
        ExpressionAttributeValues: { ':prefix': CO_PURCHASE_PARTITION_PREFIX },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) {
      const productId = String(item.pk).slice(CO_PURCHASE_PARTITION_PREFIX.length);
      const other = String(item.sk).slice(CO_PURCHASE_SORT_PREFIX.length);
      counts[`${productId}+${other}`] = Number(item.count);
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return counts;
}

/**
 * What the counts must be after `orders` (each a list of product ids) are counted once, computed
 * the plainest way, apart from the counter's code: every ordered pair of distinct products of an
 * order, the order's first `maxProducts` distinct products only.
 */
export function expectedCoPurchaseCounts(
  orders: readonly (readonly string[])[],
  maxProducts = 10,
): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const order of orders) {
    const products = [...new Set(order)].slice(0, maxProducts);
    for (const a of products) {
      for (const b of products) if (a !== b) counts[`${a}+${b}`] = (counts[`${a}+${b}`] ?? 0) + 1;
    }
  }
  return counts;
}
