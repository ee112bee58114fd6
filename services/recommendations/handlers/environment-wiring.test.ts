import type { APIGatewayProxyResult } from 'aws-lambda';
import {
  startPersonalizeRuntimeStandIn,
  type PersonalizeRuntimeStandIn,
} from '../../../local/personalize/personalize-runtime-stand-in';
import { startSsmStandIn, type SsmStandIn } from '../../../local/ssm/ssm-stand-in';
import { DynamoDbProductStore } from '../../catalog/adapters/dynamodb-product-store';
import { SAMPLE_CATALOG } from '../../catalog/data/sample-catalog';
import { apiGatewayEvent, lambdaContext } from '../../testing/api-gateway-event';
import { createLocalTables } from '../../testing/local-tables';
import { startTestUserPool, type TestUserPool } from '../testing/test-user-pool';

/** The deployed entry point, configured only through its environment as Lambda runs it. */

const CAMPAIGN = 'arn:aws:personalize:us-east-1:000000000000:campaign/for-you';

let tables: Awaited<ReturnType<typeof createLocalTables<'AnalyticsTable' | 'OrdersTable' | 'ProductsTable'>>>;
let ssm: SsmStandIn;
let personalize: PersonalizeRuntimeStandIn;
let pool: TestUserPool;
const originalEnv = process.env;

beforeAll(async () => {
  [tables, ssm, personalize, pool] = await Promise.all([
    createLocalTables('AnalyticsTable', 'OrdersTable', 'ProductsTable'),
    startSsmStandIn(),
    startPersonalizeRuntimeStandIn(),
    startTestUserPool(),
  ]);
  await new DynamoDbProductStore({
    documents: tables.documents,
    tableName: tables.names.ProductsTable,
  }).putAll(SAMPLE_CATALOG);
});

afterAll(() => Promise.all([tables.deleteAll(), ssm.stop(), personalize.stop(), pool.stop()]));

afterEach(() => {
  process.env = originalEnv;
});

function functionEnvironment(variables: Record<string, string>) {
  process.env = {
    ...originalEnv,
    AWS_ENDPOINT_URL_DYNAMODB: process.env.DYNAMODB_LOCAL_ENDPOINT,
    AWS_ENDPOINT_URL_SSM: ssm.endpoint,
    AWS_ENDPOINT_URL_PERSONALIZE_RUNTIME: personalize.endpoint,
    ...variables,
  };
}

const configured = () => ({
  ANALYTICS_TABLE_NAME: tables.names.AnalyticsTable,
  ORDERS_TABLE_NAME: tables.names.OrdersTable,
  PRODUCTS_TABLE_NAME: tables.names.ProductsTable,
  ALLOWED_ORIGIN: 'https://shop.example.com',
  RECOMMENDERS_PARAMETER_PREFIX: '/ecommerce/dev/recommenders',
  USER_POOL_ID: pool.userPoolId,
  USER_POOL_CLIENT_ID: pool.clientId,
  USER_POOL_ISSUER: pool.issuer,
});

describe('the recommendations function wired from its environment', () => {
  it('reads its tables, SSM and Personalize through the endpoints of the environment, and verifies tokens of USER_POOL_ISSUER', async () => {
    ssm.put('/ecommerce/dev/recommenders/for-you', JSON.stringify({ campaignArn: CAMPAIGN }));
    personalize.serve(CAMPAIGN, ['bok-0003', 'lgt-0002']);
    const shopper = await pool.signIn('wired@example.com');
    functionEnvironment(configured());

    await jest.isolateModulesAsync(async () => {
      const { handler } = await import('./recommendations-api');
      const result = (await handler(
        apiGatewayEvent({
          resource: '/recommendations',
          method: 'GET',
          query: { type: 'for-you' },
          headers: { Authorization: shopper.idToken },
        }),
        lambdaContext('recommendations'),
      )) as APIGatewayProxyResult;

      expect(result.statusCode).toBe(200);
      expect(result.headers?.['x-recommendation-source']).toBe('personalize');
      expect(result.headers?.['access-control-allow-origin']).toBe('https://shop.example.com');
      expect(JSON.parse(result.body).items.map((item: { productId: string }) => item.productId)).toEqual([
        'bok-0003',
        'lgt-0002',
      ]);
      expect(personalize.calls).toEqual([
        expect.objectContaining({ campaignArn: CAMPAIGN, userId: shopper.sub }),
      ]);
    });
  });

  it('fails its cold start, naming every missing variable', async () => {
    functionEnvironment({});
    await jest.isolateModulesAsync(async () => {
      await expect(import('./recommendations-api')).rejects.toThrow(
        /ANALYTICS_TABLE_NAME[\s\S]*ORDERS_TABLE_NAME[\s\S]*PRODUCTS_TABLE_NAME[\s\S]*ALLOWED_ORIGIN[\s\S]*RECOMMENDERS_PARAMETER_PREFIX[\s\S]*USER_POOL_ID[\s\S]*USER_POOL_CLIENT_ID[\s\S]*USER_POOL_ISSUER/,
      );
    });
  });

  it('fails its cold start on an issuer that is not the pool of USER_POOL_ID, or a time budget that is no number', async () => {
    functionEnvironment({
      ...configured(),
      USER_POOL_ISSUER: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other',
      RECOMMENDATION_BUDGET_MS: 'soon',
    });
    await jest.isolateModulesAsync(async () => {
      await expect(import('./recommendations-api')).rejects.toThrow(
        /RECOMMENDATION_BUDGET_MS: a whole number of milliseconds/,
      );
    });
    functionEnvironment({
      ...configured(),
      USER_POOL_ISSUER: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other',
    });
    await jest.isolateModulesAsync(async () => {
      await expect(import('./recommendations-api')).rejects.toThrow(
        /USER_POOL_ISSUER: the issuer of USER_POOL_ID/,
      );
    });
  });
});
