import type { API } from '@opensearch-project/opensearch';

/** An index the adapter creates, with its explicit mapping, the first time it uses it. */
export interface IndexDefinition {
  readonly name: string;
  readonly body: API.Indices_Create_RequestBody;
}

const keyword = { type: 'keyword' } as const;
const integer = { type: 'integer' } as const;
/** Analysed for full-text search, with an exact `.keyword` subfield to sort on. */
const searchableText = {
  type: 'text',
  fields: { keyword: { type: 'keyword', ignore_above: 256 } },
} as const;

/**
 * Orders. `dynamic: strict` rejects a document with a field the mapping does not name, so nothing
 * beyond the port's fields can slip into the index. Status is matched case-insensitively (the
 * table stores `PLACED`, shoppers type "placed"). Items are an `object`: their names are searched
 * as one field, and no query needs to match a name and a quantity of the same line.
 */
export const ordersIndex: IndexDefinition = {
  name: 'orders',
  body: {
    settings: {
      analysis: { normalizer: { case_insensitive: { type: 'custom', filter: ['lowercase'] } } },
    },
    mappings: {
      dynamic: 'strict',
      properties: {
        orderId: keyword,
        customerId: keyword,
        status: { type: 'keyword', normalizer: 'case_insensitive' },
        createdAt: { type: 'date' },
        total: integer,
        currency: keyword,
        items: {
          type: 'object',
          properties: { productId: keyword, name: searchableText, quantity: integer },
        },
      },
    },
  },
};

export const productsIndex: IndexDefinition = {
  name: 'products',
  body: {
    mappings: {
      dynamic: 'strict',
      properties: {
        productId: keyword,
        name: searchableText,
        description: { type: 'text' },
        category: keyword,
        price: integer,
        currency: keyword,
        imagePath: { type: 'keyword', index: false },
        stock: integer,
      },
    },
  },
};
