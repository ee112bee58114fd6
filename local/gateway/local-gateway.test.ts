import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { buildTestPlatform } from '../../infra/testing/platform-app';
import { CORS_ALLOWED_HEADERS, CORS_EXPOSED_HEADERS } from '../../infra/constructs/ecommerce-api';
import { optionalCaller } from '../../services/shared/caller';
import { localKinesisClient, startKinesalite, type Kinesalite } from '../kinesis/kinesalite';
import { IntrinsicResolver } from '../template/intrinsics';
import { defaultLocalNames, LOCAL_ACCOUNT_ID, LOCAL_REGION } from '../template/local-names';
import { StageTemplates, type StageResource } from '../template/stage-templates';
import { createLocalGateway, type GatewayIntegrations, type LocalGateway } from './index';

/**
 * The local gateway serving the synthesized dev stage's API, behind a real HTTP server, with fake
 * functions and a fake Cognito verifier, and a real kinesalite behind `POST /events`.
 */

type InvokeResult = Awaited<ReturnType<GatewayIntegrations['invoke']>>;

const VALID_TOKEN = 'valid-id-token';
const SHOPPER_CLAIMS = {
  sub: 'user-1',
  'cognito:groups': ['admin', 'staff'],
  email_verified: true,
  token_use: 'id',
  auth_time: 1764102800,
  iat: 1764102800,
  exp: 1764102896,
};

describe('the local gateway on the dev stage', () => {
  let stage: StageTemplates;
  let resolver: IntrinsicResolver;
  let gateway: LocalGateway;
  let kinesalite: Kinesalite;
  let kinesis: KinesisClient;
  let server: http.Server;
  let baseUrl: string;
  let allowedOrigin: string;
  let userPoolArn: string;
  let streamName: string;
  const invocations: { fn: { stackName: string; logicalId: string }; event: APIGatewayProxyEvent }[] = [];
  const verifications: { userPoolArns: readonly string[]; token: string }[] = [];
  const logLines: string[] = [];
  let answer: (event: APIGatewayProxyEvent) => InvokeResult;

  const api = (path: string, init?: RequestInit) => fetch(`${baseUrl}/api${path}`, init);
  const resourceOf = (stackName: string, type: string, prefix: string): StageResource =>
    stage.resourcesOfType(type).find((r) => r.stackName === stackName && r.logicalId.startsWith(prefix))!;
  const lastEvent = () => invocations[invocations.length - 1]!.event;

  beforeAll(async () => {
    const { app, stages } = buildTestPlatform();
    app.synth();
    stage = StageTemplates.fromAssemblyDirectory(stages.dev.outdir);
    resolver = new IntrinsicResolver(stage, defaultLocalNames());
    const userPool = resourceOf('dev-Stateful', 'AWS::Cognito::UserPool', 'ShopperIdentityUserPool');
    userPoolArn = resolver.resolveString(
      'dev-Stateful',
      { 'Fn::GetAtt': [userPool.logicalId, 'Arn'] },
      'test',
    );
    const stream = resourceOf('dev-Stateful', 'AWS::Kinesis::Stream', 'ClickstreamStream');
    streamName = resolver.resolveString('dev-Stateful', { Ref: stream.logicalId }, 'test');
    const default4xx = resourceOf(
      'dev-Api',
      'AWS::ApiGateway::GatewayResponse',
      'EcommerceApiRestApiDefault4xx',
    );
    allowedOrigin = resolver
      .resolveString(
        'dev-Api',
        (default4xx.properties.ResponseParameters as Record<string, unknown>)[
          'gatewayresponse.header.Access-Control-Allow-Origin'
        ],
        'test',
      )
      .replace(/^'|'$/g, '');

    kinesalite = await startKinesalite();
    kinesis = localKinesisClient(kinesalite.endpoint);
    await kinesis.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: 1 }));

    gateway = createLocalGateway({
      stage,
      resolver,
      basePath: '/api',
      log: (line) => logLines.push(line),
      integrations: {
        invoke: async (fn, event) => {
          invocations.push({ fn, event: event as APIGatewayProxyEvent });
          return answer(event as APIGatewayProxyEvent);
        },
        kinesisEndpoint: kinesalite.endpoint,
        verifyCognitoToken: async (userPoolArns, token) => {
          verifications.push({ userPoolArns, token });
          return token === VALID_TOKEN && userPoolArns.includes(userPoolArn) ? SHOPPER_CLAIMS : undefined;
        },
        region: LOCAL_REGION,
        accountId: LOCAL_ACCOUNT_ID,
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      },
    });
    server = http.createServer((request, response) => {
      void gateway.handle(request, response).then((handled) => {
        if (!handled) response.writeHead(404).end('not the API');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  beforeEach(() => {
    invocations.length = 0;
    verifications.length = 0;
    logLines.length = 0;
    answer = (event) => ({
      ok: true,
      payload: {
        statusCode: 200,
        headers: { 'content-type': 'application/json', 'x-request-id': event.requestContext.requestId },
        body: JSON.stringify({ served: event.resource }),
      },
    });
  });

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    kinesis?.destroy();
    await kinesalite?.stop();
  });

  describe('routes', () => {
    it('serves every AWS::ApiGateway::Method of the template, at its resource path below the base path', () => {
      const template = stage.template('dev-Api').Resources!;
      const pathOf = (resourceId: any): string => {
        if (resourceId['Fn::GetAtt']) return '';
        const resource = template[resourceId.Ref]!.Properties!;
        return `${pathOf(resource.ParentId)}/${resource.PathPart as string}`;
      };
      const declared = Object.values(template)
        .filter((resource) => resource.Type === 'AWS::ApiGateway::Method')
        .map(
          (method) =>
            `${method.Properties!.HttpMethod as string} /api${pathOf(method.Properties!.ResourceId) || '/'}`,
        );

      expect(declared.length).toBeGreaterThan(0);
      expect(gateway.routes.map((route) => `${route.method} ${route.path}`).sort()).toEqual(declared.sort());
    });

    it('lists each route with its authorization type, and the stage name', () => {
      expect(gateway.stageName).toBe('v1');
      expect(gateway.routes).toEqual(
        expect.arrayContaining([
          { method: 'GET', path: '/api/products', authorization: 'NONE' },
          { method: 'POST', path: '/api/orders', authorization: 'COGNITO_USER_POOLS' },
          { method: 'POST', path: '/api/events', authorization: 'NONE' },
        ]),
      );
    });

    it('leaves a path outside the base path to the caller', async () => {
      const response = await fetch(`${baseUrl}/apis/products`);

      expect(response.status).toBe(404);
      expect(await response.text()).toBe('not the API');
    });

    it('answers an unknown path with 403 Missing Authentication Token, in the platform error format', async () => {
      const response = await api('/nowhere/at/all');
      const requestId = response.headers.get('x-amzn-requestid');

      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({ message: 'Missing Authentication Token', requestId });
      expect(response.headers.get('access-control-allow-origin')).toBe(allowedOrigin);
      expect(invocations).toHaveLength(0);
    });

    it('answers a known path with a method it does not declare with the same 403', async () => {
      const response = await api('/products', { method: 'DELETE' });

      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ message: 'Missing Authentication Token' });
    });
  });

  describe('Lambda proxy integrations', () => {
    it('gives the function the REST proxy event API Gateway builds', async () => {
      const response = await api('/products/p%201?tag=a&tag=b&q=red%20shoes', {
        headers: { 'X-Custom': 'one', 'User-Agent': 'storefront-test/1.0' },
      });
      const event = lastEvent();
      const requestId = response.headers.get('x-amzn-requestid');

      expect(response.status).toBe(200);
      expect(invocations[0]!.fn).toEqual({
        stackName: 'dev-Api',
        logicalId: resourceOf('dev-Api', 'AWS::Lambda::Function', 'CatalogProductsApi').logicalId,
      });
      expect(event).toMatchObject({
        resource: '/products/{productId}',
        path: '/products/p%201',
        httpMethod: 'GET',
        pathParameters: { productId: 'p 1' },
        queryStringParameters: { tag: 'b', q: 'red shoes' },
        multiValueQueryStringParameters: { tag: ['a', 'b'], q: ['red shoes'] },
        stageVariables: null,
        body: null,
        isBase64Encoded: false,
      });
      expect(event.headers).toMatchObject({ 'X-Custom': 'one', 'X-Forwarded-For': '127.0.0.1' });
      expect(event.multiValueHeaders).toMatchObject({ 'X-Custom': ['one'] });
      expect(event.requestContext).toMatchObject({
        accountId: LOCAL_ACCOUNT_ID,
        apiId: resolver.resolveString(
          'dev-Api',
          { Ref: resourceOf('dev-Api', 'AWS::ApiGateway::RestApi', 'EcommerceApi').logicalId },
          'test',
        ),
        resourcePath: '/products/{productId}',
        resourceId: expect.stringMatching(/^[0-9a-f]{6}$/),
        httpMethod: 'GET',
        path: '/v1/products/p%201',
        stage: 'v1',
        requestId,
        requestTimeEpoch: expect.any(Number),
        identity: { sourceIp: '127.0.0.1', userAgent: 'storefront-test/1.0' },
      });
      expect(event.requestContext.authorizer).toBeUndefined();
    });

    it('gives null query string parameters and path parameters when there are none', async () => {
      await api('/products');

      expect(lastEvent()).toMatchObject({
        resource: '/products',
        queryStringParameters: null,
        multiValueQueryStringParameters: null,
        pathParameters: null,
      });
    });

    it("answers with the function's status, headers, multi-value headers and body", async () => {
      answer = () => ({
        ok: true,
        payload: {
          statusCode: 201,
          headers: { 'x-one': 'a', 'Content-Type': 'text/plain' },
          multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'] },
          body: 'created',
        },
      });

      const response = await api('/products');

      expect(response.status).toBe(201);
      expect(response.headers.get('x-one')).toBe('a');
      expect(response.headers.get('content-type')).toBe('text/plain');
      expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
      expect(await response.text()).toBe('created');
    });

    it('decodes a base64-encoded answer', async () => {
      answer = () => ({
        ok: true,
        payload: {
          statusCode: 200,
          body: Buffer.from([0, 1, 2, 255]).toString('base64'),
          isBase64Encoded: true,
        },
      });

      const response = await api('/products');

      expect(Buffer.from(await response.arrayBuffer())).toEqual(Buffer.from([0, 1, 2, 255]));
      expect(response.headers.get('content-type')).toBe('application/json');
    });

    it('answers 502 Internal server error when the function fails, and logs why', async () => {
      answer = () => ({ ok: false, errorType: 'TypeError', errorMessage: 'boom' });

      const response = await api('/products');

      expect(response.status).toBe(502);
      expect(await response.json()).toEqual({
        message: 'Internal server error',
        requestId: response.headers.get('x-amzn-requestid'),
      });
      expect(logLines.join('\n')).toMatch(/CatalogProductsApi\w*: function error: TypeError: boom/);
    });

    it('answers 502 when the function answers something that is not a proxy result', async () => {
      answer = () => ({ ok: true, payload: { statusCode: 200, body: { not: 'a string' } } });

      const response = await api('/products');

      expect(response.status).toBe(502);
      expect(logLines.join('\n')).toMatch(/malformed Lambda proxy response/);
    });

    it('answers 413 to a body over 10 MB without calling the function', async () => {
      const response = await api('/events', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: 'x'.repeat(10 * 1024 * 1024 + 1),
      });

      expect(response.status).toBe(413);
      expect(invocations).toHaveLength(0);
    });
  });

  describe('Cognito user pool authorizer', () => {
    it('answers 401 Unauthorized without an Authorization header, in the platform error format', async () => {
      const response = await api('/orders');

      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({
        message: 'Unauthorized',
        requestId: response.headers.get('x-amzn-requestid'),
      });
      expect(response.headers.get('access-control-allow-origin')).toBe(allowedOrigin);
      expect(invocations).toHaveLength(0);
    });

    it('answers 401 to a token the user pool does not verify', async () => {
      const response = await api('/orders', { headers: { Authorization: 'not-a-token' } });

      expect(response.status).toBe(401);
      expect(verifications).toEqual([{ userPoolArns: [userPoolArn], token: 'not-a-token' }]);
      expect(invocations).toHaveLength(0);
    });

    it('takes the token with a Bearer prefix too', async () => {
      const response = await api('/orders', { headers: { Authorization: `Bearer ${VALID_TOKEN}` } });

      expect(response.status).toBe(200);
      expect(verifications.map((verification) => verification.token)).toEqual([VALID_TOKEN]);
    });

    it('says so when the token has expired', async () => {
      const payload = Buffer.from(JSON.stringify({ sub: 'user-1', exp: 1_000_000 })).toString('base64url');

      const response = await api('/orders', {
        headers: { Authorization: `eyJhbGciOiJSUzI1NiJ9.${payload}.sig` },
      });

      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ message: 'The incoming token has expired' });
    });

    it('passes the verified claims as strings, the way API Gateway REST does, which the handlers read', async () => {
      const response = await api('/analytics/realtime', { headers: { Authorization: VALID_TOKEN } });
      const event = lastEvent();

      expect(response.status).toBe(200);
      expect(event.requestContext.authorizer).toEqual({
        claims: {
          sub: 'user-1',
          'cognito:groups': 'admin,staff',
          email_verified: 'true',
          token_use: 'id',
          auth_time: '1764102800',
          iat: 'Tue Nov 25 20:33:20 UTC 2025',
          exp: 'Tue Nov 25 20:34:56 UTC 2025',
        },
      });
      expect(optionalCaller(event)).toEqual({ userId: 'user-1', isAdmin: true });
    });
  });

  describe('request validation', () => {
    const placeOrder = (headers: Record<string, string>, body: unknown) =>
      api('/orders', {
        method: 'POST',
        headers: { Authorization: VALID_TOKEN, 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });

    it('answers 400 with the validation error when a required header is missing', async () => {
      const response = await placeOrder({}, { items: [], shippingAddress: {} });

      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        message: 'Invalid request',
        errors: [{ path: '(request)', message: 'Missing required request parameters: [Idempotency-Key]' }],
        requestId: response.headers.get('x-amzn-requestid'),
      });
      expect(invocations).toHaveLength(0);
    });

    it("answers 400 in the platform's format when the body breaks the method's model", async () => {
      const response = await placeOrder({ 'Idempotency-Key': 'k-1' }, { items: 'not a list' });
      const body = await response.json();

      expect(response.status).toBe(400);
      expect(response.headers.get('access-control-allow-origin')).toBe(allowedOrigin);
      expect(body).toEqual({
        message: 'Invalid request',
        errors: [
          {
            path: '(request)',
            message:
              '[object has missing required properties (["shippingAddress"]), ' +
              'instance type (string) does not match any allowed primitive type (allowed: ["array"])]',
          },
        ],
        requestId: response.headers.get('x-amzn-requestid'),
      });
      expect(invocations).toHaveLength(0);
    });

    it('lets a valid request through to the function, body as sent', async () => {
      const order = { items: [{ productId: 'p-1', quantity: 1 }], shippingAddress: { city: 'Lyon' } };

      const response = await placeOrder({ 'Idempotency-Key': 'k-1' }, order);

      expect(response.status).toBe(200);
      expect(lastEvent()).toMatchObject({
        httpMethod: 'POST',
        resource: '/orders',
        body: JSON.stringify(order),
      });
    });
  });

  describe('POST /events, the Kinesis service integration', () => {
    const shopEvent = (eventId: string, sessionId: string) => ({
      eventId,
      type: 'product_view',
      sessionId,
      timestamp: '2026-11-25T20:34:56.789Z',
      productId: 'p-1',
    });
    const postEvents = (body: unknown, contentType = 'application/json') =>
      api('/events', {
        method: 'POST',
        headers: { 'content-type': contentType, 'User-Agent': 'storefront "test" 1.0' },
        body: JSON.stringify(body),
      });

    async function recordsInStream() {
      const { Shards } = await kinesis.send(new ListShardsCommand({ StreamName: streamName }));
      const { ShardIterator } = await kinesis.send(
        new GetShardIteratorCommand({
          StreamName: streamName,
          ShardId: Shards![0]!.ShardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      );
      const { Records } = await kinesis.send(new GetRecordsCommand({ ShardIterator }));
      return (Records ?? []).map((record) => ({
        partitionKey: record.PartitionKey,
        data: JSON.parse(Buffer.from(record.Data!).toString('utf8')),
      }));
    }

    it('refuses a body that breaks the model with 400, and writes nothing', async () => {
      const response = await postEvents({ events: [{ ...shopEvent('e-0', 's-0'), type: 'teleport' }] });

      expect(response.status).toBe(400);
      expect(((await response.json()) as any).errors[0].message).toMatch(
        /instance value \("teleport"\) not found in enum/,
      );
      expect(await recordsInStream()).toEqual([]);
    });

    it('refuses another content type with 415 (PassthroughBehavior NEVER)', async () => {
      const response = await postEvents({ events: [shopEvent('e-0', 's-0')] }, 'text/plain');

      expect(response.status).toBe(415);
      expect(await response.json()).toMatchObject({ message: 'Unsupported Media Type' });
    });

    it('writes one enriched record per event, keyed by session, and answers what the response template renders', async () => {
      const before = Date.now();
      const events = [shopEvent('e-1', 'session-a'), shopEvent('e-2', 'session-b')];

      const response = await postEvents({ events });
      const records = await recordsInStream();

      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ accepted: 2, failed: 0, retry: [] });
      expect(response.headers.get('access-control-allow-origin')).toBe(allowedOrigin);
      expect(response.headers.get('x-request-id')).toBe(response.headers.get('x-amzn-requestid'));
      expect(records.map((record) => record.partitionKey)).toEqual(['session-a', 'session-b']);
      expect(records.map((record) => record.data)).toEqual(
        events.map((event) => ({
          event,
          receivedAt: expect.any(Number),
          sourceIp: '127.0.0.1',
          userAgent: 'storefront "test" 1.0',
        })),
      );
      expect(records[0]!.data.receivedAt).toBeGreaterThanOrEqual(before);
      expect(invocations).toHaveLength(0);
    });
  });

  describe('CORS preflight (MOCK integrations)', () => {
    it('answers OPTIONS with the headers of the integration response', async () => {
      const response = await api('/orders', { method: 'OPTIONS' });

      expect(response.status).toBe(204);
      expect(Object.fromEntries(response.headers)).toMatchObject({
        'access-control-allow-origin': allowedOrigin,
        'access-control-allow-methods': 'GET,POST,OPTIONS',
        'access-control-allow-headers': CORS_ALLOWED_HEADERS.join(','),
        'access-control-expose-headers': CORS_EXPOSED_HEADERS.join(','),
        'access-control-max-age': '3600',
        vary: 'Origin',
      });
      expect(await response.text()).toBe('');
    });
  });
});
