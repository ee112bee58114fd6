import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { IntrinsicResolver } from '../template/intrinsics';
import { defaultLocalNames } from '../template/local-names';
import { StageTemplates, type CfnResource } from '../template/stage-templates';
import {
  createLocalGateway,
  UnsupportedFeatureError,
  type GatewayIntegrations,
  type LocalGateway,
} from './index';

/**
 * Small REST APIs written by hand: what the dev stage does not use yet ({proxy+}, ANY, stage
 * variables, mapping templates in a MOCK), and what the local gateway refuses to serve.
 */

const STACK = 'test-Api';
const ROOT = { 'Fn::GetAtt': ['Api', 'RootResourceId'] };
const lambdaUri = (functionLogicalId: string) => ({
  'Fn::Join': [
    '',
    [
      'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/',
      { 'Fn::GetAtt': [functionLogicalId, 'Arn'] },
      '/invocations',
    ],
  ],
});
const proxyIntegration = {
  Type: 'AWS_PROXY',
  IntegrationHttpMethod: 'POST',
  Uri: lambdaUri('ItemsFunction'),
};

function stageWith(resources: Record<string, CfnResource>, stageProperties: Record<string, unknown> = {}) {
  return new StageTemplates({
    [STACK]: {
      Resources: {
        Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'test' } },
        Items: {
          Type: 'AWS::ApiGateway::Resource',
          Properties: { ParentId: ROOT, PathPart: 'items', RestApiId: { Ref: 'Api' } },
        },
        Deployment: { Type: 'AWS::ApiGateway::Deployment', Properties: { RestApiId: { Ref: 'Api' } } },
        Stage: {
          Type: 'AWS::ApiGateway::Stage',
          Properties: {
            RestApiId: { Ref: 'Api' },
            DeploymentId: { Ref: 'Deployment' },
            StageName: 'test',
            ...stageProperties,
          },
        },
        ItemsFunction: { Type: 'AWS::Lambda::Function', Properties: { Handler: 'index.handler' } },
        ...resources,
      },
    },
  });
}

function method(properties: Record<string, unknown>): CfnResource {
  return {
    Type: 'AWS::ApiGateway::Method',
    Properties: {
      RestApiId: { Ref: 'Api' },
      ResourceId: { Ref: 'Items' },
      HttpMethod: 'GET',
      AuthorizationType: 'NONE',
      Integration: proxyIntegration,
      ...properties,
    },
  };
}

const invocations: APIGatewayProxyEvent[] = [];
const integrations: GatewayIntegrations = {
  invoke: async (_fn, event) => {
    invocations.push(event as APIGatewayProxyEvent);
    return { ok: true, payload: { statusCode: 200, body: 'ok' } };
  },
  kinesisEndpoint: 'http://127.0.0.1:9',
  verifyCognitoToken: async () => undefined,
  region: 'us-east-1',
  accountId: '000000000000',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
};

function gatewayFor(stage: StageTemplates): LocalGateway {
  return createLocalGateway({
    stage,
    resolver: new IntrinsicResolver(stage, defaultLocalNames()),
    integrations,
    basePath: '/api',
  });
}

function refusal(resources: Record<string, CfnResource>, stageProperties?: Record<string, unknown>): Error {
  try {
    gatewayFor(stageWith(resources, stageProperties));
  } catch (error) {
    return error as Error;
  }
  throw new Error('the gateway served the API');
}

describe('a hand-crafted REST API', () => {
  let server: http.Server;
  let baseUrl: string;

  beforeAll(async () => {
    const gateway = gatewayFor(
      stageWith(
        {
          Proxy: {
            Type: 'AWS::ApiGateway::Resource',
            Properties: { ParentId: { Ref: 'Items' }, PathPart: '{proxy+}', RestApiId: { Ref: 'Api' } },
          },
          AnyProxy: method({ ResourceId: { Ref: 'Proxy' }, HttpMethod: 'ANY' }),
          GetItems: method({
            Integration: {
              Type: 'MOCK',
              RequestTemplates: {
                'application/json': `{"statusCode": #if($input.params('fail') == 'yes')503#{else}200#end}`,
              },
              IntegrationResponses: [
                {
                  StatusCode: '200',
                  ResponseTemplates: {
                    'application/json':
                      '{"stage":"$context.stage","env":"$stageVariables.env","q":"$util.urlEncode($input.params(\'q\'))"}',
                  },
                  ResponseParameters: { 'method.response.header.X-Env': 'stageVariables.env' },
                },
                {
                  StatusCode: '503',
                  SelectionPattern: '5\\d{2}',
                  ResponseTemplates: { 'application/json': '{"failed":true}' },
                },
              ],
            },
          }),
        },
        { Variables: { env: 'local' } },
      ),
    );
    server = http.createServer((request, response) => void gateway.handle(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('routes any method below {proxy+} to the function, with the rest of the path as the proxy parameter', async () => {
    const response = await fetch(`${baseUrl}/items/a/b%20c`, { method: 'DELETE' });

    expect(response.status).toBe(200);
    expect(invocations.at(-1)).toMatchObject({
      resource: '/items/{proxy+}',
      path: '/items/a/b%20c',
      httpMethod: 'DELETE',
      pathParameters: { proxy: 'a/b c' },
      stageVariables: { env: 'local' },
      requestContext: { stage: 'test', path: '/test/items/a/b%20c', resourcePath: '/items/{proxy+}' },
    });
  });

  it('renders the MOCK templates with $context, $stageVariables, $input.params and $util', async () => {
    const response = await fetch(`${baseUrl}/items?q=red%20shoes`);

    expect(response.status).toBe(200);
    expect(response.headers.get('x-env')).toBe('local');
    expect(await response.json()).toEqual({ stage: 'test', env: 'local', q: 'red+shoes' });
  });

  it('selects the integration response by its SelectionPattern', async () => {
    const response = await fetch(`${baseUrl}/items?fail=yes`);

    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ failed: true });
  });

  it("answers API Gateway's own 403 where the template customises nothing", async () => {
    const response = await fetch(`${baseUrl}/elsewhere`);

    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ message: 'Missing Authentication Token' });
  });
});

describe('features the local gateway refuses, naming the resource', () => {
  it.each<[string, Record<string, CfnResource>, RegExp]>([
    [
      'an HTTP integration',
      {
        GetItems: method({
          Integration: { Type: 'HTTP', IntegrationHttpMethod: 'GET', Uri: 'https://example.com' },
        }),
      },
      /test-Api\/GetItems: Integration Type HTTP is not supported/,
    ],
    [
      'an HTTP_PROXY integration',
      {
        GetItems: method({
          Integration: { Type: 'HTTP_PROXY', IntegrationHttpMethod: 'GET', Uri: 'https://example.com' },
        }),
      },
      /test-Api\/GetItems: Integration Type HTTP_PROXY/,
    ],
    [
      'an AWS service integration with another service than Kinesis',
      {
        GetItems: method({
          Integration: {
            Type: 'AWS',
            IntegrationHttpMethod: 'POST',
            Uri: 'arn:aws:apigateway:us-east-1:dynamodb:action/PutItem',
          },
        }),
      },
      /test-Api\/GetItems: an AWS service integration with arn:aws:apigateway:us-east-1:dynamodb:action\/PutItem \(Kinesis actions only\)/,
    ],
    [
      'a proxy integration with something else than a function of the stage',
      {
        GetItems: method({
          Integration: {
            Type: 'AWS_PROXY',
            IntegrationHttpMethod: 'POST',
            Uri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:1:function:elsewhere/invocations',
          },
        }),
      },
      /test-Api\/GetItems: an AWS_PROXY integration with arn:aws:lambda:us-east-1:1:function:elsewhere, which is not an AWS::Lambda::Function of the stage/,
    ],
    [
      'a Lambda (CUSTOM) authorizer on a method',
      { GetItems: method({ AuthorizationType: 'CUSTOM' }) },
      /test-Api\/GetItems: AuthorizationType CUSTOM \(a Lambda authorizer\)/,
    ],
    [
      'a Lambda TOKEN authorizer',
      {
        TokenAuthorizer: {
          Type: 'AWS::ApiGateway::Authorizer',
          Properties: {
            RestApiId: { Ref: 'Api' },
            Type: 'TOKEN',
            AuthorizerUri: lambdaUri('ItemsFunction'),
            IdentitySource: 'method.request.header.Authorization',
          },
        },
      },
      /test-Api\/TokenAuthorizer: authorizer Type "TOKEN" \(Lambda TOKEN\/REQUEST authorizers\)/,
    ],
    [
      'IAM authorization',
      { GetItems: method({ AuthorizationType: 'AWS_IAM' }) },
      /AuthorizationType AWS_IAM/,
    ],
    ['API keys', { GetItems: method({ ApiKeyRequired: true }) }, /test-Api\/GetItems: ApiKeyRequired/],
    [
      'a second RestApi',
      { Other: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'other' } } },
      /more than one RestApi in the stage \(test-Api\/Api, test-Api\/Other\)/,
    ],
    [
      'an HTTP API',
      { HttpApi: { Type: 'AWS::ApiGatewayV2::Api', Properties: { ProtocolType: 'HTTP' } } },
      /test-Api\/HttpApi: AWS::ApiGatewayV2::Api \(HTTP and WebSocket APIs\)/,
    ],
    [
      'an API Gateway resource type it does not know',
      { Plan: { Type: 'AWS::ApiGateway::UsagePlan', Properties: {} } },
      /test-Api\/Plan: AWS::ApiGateway::UsagePlan is not supported/,
    ],
    [
      'a method property it does not know',
      { GetItems: method({ SomethingNew: true }) },
      /test-Api\/GetItems: AWS::ApiGateway::Method property SomethingNew/,
    ],
  ])('refuses %s', (_feature, resources, message) => {
    const error = refusal(resources);

    expect(error).toBeInstanceOf(UnsupportedFeatureError);
    expect(error.message).toMatch(message);
  });

  it('refuses API caching on the stage', () => {
    const error = refusal({}, { CacheClusterEnabled: true });

    expect(error).toBeInstanceOf(UnsupportedFeatureError);
    expect(error.message).toMatch(/test-Api\/Stage: CacheClusterEnabled \(API caching\)/);
  });
});
