import type { API, Types } from '@opensearch-project/opensearch';
import type { OrderSearchQuery, ProductSearchQuery } from './search-index';

type Query = Types.Common_QueryDsl.QueryContainer;

/**
 * The query DSL of an order search: text over product names and status (every word must match,
 * the last may be a prefix, each may be a typo away) or exactly the order id; scoped to a customer
 * when there is one; within the createdAt bounds, both inclusive. Best first, newest first among
 * equals, and newest first when there is no text.
 */
export function orderSearchRequest(query: OrderSearchQuery): API.Search_RequestBody {
  const text = query.text?.trim();
  const filter: Query[] = [];
  // `!== undefined`: an empty customer id scopes to nobody, never to every order.
  if (query.customerId !== undefined) filter.push({ term: { customerId: query.customerId } });
  if (query.from !== undefined || query.to !== undefined) {
    filter.push({ range: { createdAt: { gte: query.from, lte: query.to } } });
  }
  return {
    size: query.limit,
    track_total_hits: true,
    query: { bool: { filter, ...(text ? { must: [orderTextQuery(text)] } : {}) } },
    sort: text ? ['_score', { createdAt: { order: 'desc' } }] : [{ createdAt: { order: 'desc' } }],
  };
}

function orderTextQuery(text: string): Query {
  return {
    bool: {
      should: [
        {
          multi_match: {
            query: text,
            fields: ['items.name^2', 'status'],
            type: 'bool_prefix',
            operator: 'and',
            fuzziness: 'AUTO',
          },
        },
        { term: { orderId: { value: text, boost: 10 } } },
      ],
      minimum_should_match: 1,
    },
  };
}

/**
 * The query DSL of a product search: any word over name (boosted), category and description,
 * the last word as a prefix; only the category when one is given; a page at `offset`. Without text,
 * every product of the scope by name.
 */
export function productSearchRequest(query: ProductSearchQuery): API.Search_RequestBody {
  const text = query.text.trim();
  const match: Query = text
    ? {
        multi_match: {
          query: text,
          fields: ['name^3', 'category', 'description'],
          type: 'bool_prefix',
          fuzziness: 'AUTO',
        },
      }
    : { match_all: {} };
  return {
    from: query.offset ?? 0,
    size: query.limit,
    track_total_hits: true,
    query: {
      bool: {
        must: [match],
        filter: query.category === undefined ? [] : [{ term: { category: query.category } }],
      },
    },
    sort: text ? ['_score', { 'name.keyword': { order: 'asc' } }] : [{ 'name.keyword': { order: 'asc' } }],
  };
}
