import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutRecordCommand } from '@aws-sdk/client-kinesis';
import { localKinesisClient } from '../kinesis/kinesalite';
import { signIn } from '../cognito/users';
import { startLocalPlatform, type LocalPlatform } from './local-platform';
import { addVisitsFeature } from './testing/visits-feature';

/**
 * The local platform started from a test stage that has one more table, stream, function and route
 * than the real one (testing/visits-feature.ts): all of them exist locally with no change in local/.
 */
describe('a local platform from a stage with a feature local/ does not know', () => {
  let platform: LocalPlatform;
  let dataDirectory: string;
  const logs: string[] = [];

  beforeAll(async () => {
    dataDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'local-platform-'));
    platform = await startLocalPlatform({
      port: 0,
      dataDirectory,
      customize: addVisitsFeature,
      log: (line) => logs.push(line),
    });
  }, 300_000);

  afterAll(async () => {
    await platform?.stop();
    fs.rmSync(dataDirectory, { recursive: true, force: true });
  });

  const resource = (list: readonly { logicalId: string; name: string }[], prefix: string) => {
    const found = list.find((entry) => entry.logicalId.startsWith(prefix));
    if (!found) throw new Error(`${prefix} is not in ${JSON.stringify(list)}`);
    return found.name;
  };

  it('creates the new table with its key, and the new stream', async () => {
    const dynamodb = new DynamoDBClient({
      endpoint: platform.endpoints.services.dynamodb,
      region: platform.endpoints.region,
      credentials: platform.endpoints.credentials,
    });
    const { Table } = await dynamodb.send(
      new DescribeTableCommand({ TableName: resource(platform.endpoints.resources.tables, 'VisitsTable') }),
    );
    expect(Table?.KeySchema).toEqual([{ AttributeName: 'visitId', KeyType: 'HASH' }]);
    expect(platform.endpoints.resources.streams.map((stream) => stream.logicalId)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^VisitsStream/),
        expect.stringMatching(/^ClickstreamStream/),
      ]),
    );
  });

  it('serves the new route behind the Cognito authorizer, and feeds the new function from the new stream', async () => {
    const route = platform.endpoints.resources.routes.find((candidate) => candidate.path.endsWith('/visits'));
    expect(route).toEqual(expect.objectContaining({ method: 'GET', authorization: 'COGNITO_USER_POOLS' }));
    const visits = `${platform.endpoints.api}visits`;
    expect((await fetch(visits)).status).toBe(401);

    const kinesis = localKinesisClient(platform.endpoints.services.kinesis);
    await kinesis.send(
      new PutRecordCommand({
        StreamName: resource(platform.endpoints.resources.streams, 'VisitsStream'),
        PartitionKey: 'a',
        Data: Buffer.from(JSON.stringify({ page: '/home' })),
      }),
    );

    const [shopper] = platform.demoUsers;
    const pool = platform.endpoints.resources.userPools[0]!;
    const { idToken } = await signIn(
      platform.endpoints.services.cognito,
      pool.clients[0]!.clientId,
      shopper!.email,
      shopper!.password,
    );
    const deadline = Date.now() + 30_000;
    let body: { pages: string[]; caller: string | null } = { pages: [], caller: null };
    while (body.pages.length === 0 && Date.now() < deadline) {
      const response = await fetch(visits, { headers: { authorization: idToken } });
      expect(response.status).toBe(200);
      body = (await response.json()) as typeof body;
      if (body.pages.length === 0) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(body).toEqual({ pages: ['/home'], caller: shopper!.email });
  });

  it('writes .local/endpoints.json with every service and resource', () => {
    const written = JSON.parse(fs.readFileSync(path.join(dataDirectory, 'endpoints.json'), 'utf8'));
    expect(written).toEqual(JSON.parse(JSON.stringify(platform.endpoints)));
    expect(Object.keys(written.services).sort()).toEqual(
      [
        'cognito',
        'dynamodb',
        'firehose',
        'kinesis',
        'personalizeEvents',
        'personalizeRuntime',
        's3',
        'search',
        'ssm',
      ].sort(),
    );
    expect(written.resources.functions.map((fn: { logicalId: string }) => fn.logicalId)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Visits/),
        expect.stringMatching(/^OrdersOrderProcessing/),
      ]),
    );
  });

  it('serves the site and its config.json pointing at the local API and Cognito', async () => {
    const config = (await (await fetch(`${platform.url}/config.json`)).json()) as Record<string, string>;
    expect(config).toEqual(
      expect.objectContaining({
        apiUrl: platform.endpoints.api,
        cognitoEndpoint: platform.endpoints.services.cognito,
        userPoolId: platform.endpoints.resources.userPools[0]!.userPoolId,
      }),
    );
    const home = await fetch(`${platform.url}/`);
    expect(home.headers.get('content-type')).toMatch(/text\/html/);
    const appRoute = await fetch(`${platform.url}/products/some-product`);
    expect(await appRoute.text()).toEqual(await (await fetch(`${platform.url}/index.html`)).text());
  });
});
