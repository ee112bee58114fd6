import type { APIGatewayProxyResult } from 'aws-lambda';
import { apiGatewayEvent, lambdaContext } from '../../testing/api-gateway-event';
import { createLocalTables } from '../../testing/local-tables';
import { totalsItem, writeItems } from '../testing/minute-aggregate-items';

/** The deployed entry point, configured only through its environment as Lambda runs it. */

let tables: Awaited<ReturnType<typeof createLocalTables<'AnalyticsTable'>>>;
const originalEnv = process.env;

beforeAll(async () => {
  tables = await createLocalTables('AnalyticsTable');
});

afterAll(() => tables.deleteAll());

afterEach(() => {
  process.env = originalEnv;
});

function functionEnvironment(variables: Record<string, string>) {
  process.env = {
    ...originalEnv,
    AWS_ENDPOINT_URL_DYNAMODB: process.env.DYNAMODB_LOCAL_ENDPOINT,
    ...variables,
  };
}

describe('the real-time analytics function wired from its environment', () => {
  it('reads the table ANALYTICS_TABLE_NAME names and allows the ALLOWED_ORIGIN', async () => {
    await writeItems(tables.documents, tables.names.AnalyticsTable, [
      totalsItem(new Date(), { pageViews: 17 }),
    ]);
    functionEnvironment({
      ANALYTICS_TABLE_NAME: tables.names.AnalyticsTable,
      ALLOWED_ORIGIN: 'https://shop.example.com',
    });
    await jest.isolateModulesAsync(async () => {
      const { handler } = await import('./realtime-analytics');
      const result = (await handler(
        apiGatewayEvent({
          resource: '/analytics/realtime',
          method: 'GET',
          claims: { sub: 'staff-sub', 'cognito:groups': 'admin' },
        }),
        lambdaContext('realtime-analytics'),
      )) as APIGatewayProxyResult;
      expect(result.statusCode).toBe(200);
      expect(result.headers?.['access-control-allow-origin']).toBe('https://shop.example.com');
      const { series } = JSON.parse(result.body) as { series: { pageViews: number }[] };
      // The minute written may have turned while the test ran: it is somewhere in the window.
      expect(series.reduce((sum, minute) => sum + minute.pageViews, 0)).toBe(17);
    });
  });

  it('fails its cold start, naming every missing variable', async () => {
    functionEnvironment({});
    await jest.isolateModulesAsync(async () => {
      await expect(import('./realtime-analytics')).rejects.toThrow(
        /ANALYTICS_TABLE_NAME[\s\S]*ALLOWED_ORIGIN/,
      );
    });
  });
});
