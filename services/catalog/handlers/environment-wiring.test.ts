import type { APIGatewayProxyResult, CloudFormationCustomResourceCreateEvent } from 'aws-lambda';
import { apiGatewayEvent, lambdaContext } from '../../testing/api-gateway-event';
import { createLocalTables } from '../../testing/local-tables';
import { SAMPLE_CATALOG } from '../data/sample-catalog';

/** The deployed entry points, configured only through their environment as Lambda runs them. */

let tables: Awaited<ReturnType<typeof createLocalTables<'ProductsTable'>>>;
const originalEnv = process.env;

beforeAll(async () => {
  tables = await createLocalTables('ProductsTable');
});

afterAll(() => tables.deleteAll());

afterEach(() => {
  process.env = originalEnv;
});

function functionEnvironment(variables: Record<string, string>) {
  process.env = {
    ...originalEnv,
    AWS_ENDPOINT_URL_DYNAMODB: process.env.DYNAMODB_LOCAL_ENDPOINT,
    SEARCH_BACKEND: 'embedded',
    ...variables,
  };
}

const createEvent: CloudFormationCustomResourceCreateEvent = {
  RequestType: 'Create',
  ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:provider',
  ResponseURL: 'https://cloudformation-custom-resource-response.example.com/',
  StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/Dev-Stateful/1234',
  RequestId: 'request-1',
  LogicalResourceId: 'SampleCatalog',
  ResourceType: 'Custom::SampleCatalog',
  ResourceProperties: { ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:provider' },
};

describe('the catalog functions wired from their environment', () => {
  it('seed the table and the search index the environment names, which the products API then serves', async () => {
    functionEnvironment({
      PRODUCTS_TABLE_NAME: tables.names.ProductsTable,
      ALLOWED_ORIGIN: 'https://shop.example.com',
    });
    await jest.isolateModulesAsync(async () => {
      const { onEvent } = await import('./seed-catalog');
      const { handler } = await import('./products-api');

      expect(await onEvent(createEvent)).toMatchObject({ Data: { productCount: SAMPLE_CATALOG.length } });

      const byId = (await handler(
        apiGatewayEvent({
          resource: '/products/{productId}',
          method: 'GET',
          pathParameters: { productId: 'bok-0004' },
        }),
        lambdaContext('products'),
      )) as APIGatewayProxyResult;
      expect(byId.statusCode).toBe(200);
      expect(byId.headers?.['access-control-allow-origin']).toBe('https://shop.example.com');

      const searched = (await handler(
        apiGatewayEvent({ resource: '/products', method: 'GET', query: { q: 'stargazing' } }),
        lambdaContext('products'),
      )) as APIGatewayProxyResult;
      expect(searched.statusCode).toBe(200);
      expect(JSON.parse(searched.body).products.length).toBeGreaterThan(0);
    });
  });

  it('fail the products API cold start, naming every missing variable', async () => {
    functionEnvironment({});
    await jest.isolateModulesAsync(async () => {
      await expect(import('./products-api')).rejects.toThrow(/PRODUCTS_TABLE_NAME[\s\S]*ALLOWED_ORIGIN/);
    });
  });

  it('let the seed handler be imported without an environment, and fail its first event instead', async () => {
    functionEnvironment({});
    await jest.isolateModulesAsync(async () => {
      const { onEvent } = await import('./seed-catalog');
      await expect(onEvent(createEvent)).rejects.toThrow(/PRODUCTS_TABLE_NAME/);
    });
  });
});
