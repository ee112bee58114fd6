import { randomUUID } from 'node:crypto';
import type * as http from 'node:http';
import type { IntrinsicResolver } from '../template/intrinsics';
import type { StageTemplates } from '../template/stage-templates';
import { invokeProxyIntegration, type InvokeFunction } from './aws-proxy-integration';
import { authorizeWithCognito, type VerifyCognitoToken } from './cognito-authorizer';
import { GatewayError, GatewayResponses, type GatewayAnswer } from './gateway-responses';
import { readGatewayRequest, type GatewayRequest } from './http-request';
import { KinesisIntegration } from './kinesis-integration';
import { mediaTypeOf, type TemplateVariables } from './mapping-templates';
import { MockIntegration } from './mock-integration';
import { headerValue, type MappingSources } from './parameter-mapping';
import { proxyEvent } from './proxy-event';
import { requestContext, type RequestContext } from './request-context';
import { RequestValidation, type RequestValidator } from './request-validation';
import { readRestApi, type MethodDefinition, type RestApiDefinition } from './rest-api-definition';
import { RouteTable } from './route-matching';
import { UnsupportedFeatureError } from './supported-features';

/** What the gateway needs of the rest of the local platform. */
export interface GatewayIntegrations {
  /** Invoke a Lambda function of the stage (proxy integrations). Result as Lambda gives it: `payload` is the parsed JSON the function returned. */
  invoke: InvokeFunction;
  /** Endpoint of the local Kinesis (AWS service integrations with `arn:aws:apigateway:<region>:kinesis:action/<Action>`). */
  kinesisEndpoint: string;
  /** Verifies a Cognito ID token for one of the user pools (ARNs as resolved from the authorizer's ProviderARNs); returns its claims, or undefined when invalid/expired/wrong pool. */
  verifyCognitoToken: VerifyCognitoToken;
  region: string;
  accountId: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

export interface LocalGatewayOptions {
  stage: StageTemplates;
  resolver: IntrinsicResolver;
  integrations: GatewayIntegrations;
  /** URL path prefix the API is mounted at, e.g. '/api' ('' for the root). */
  basePath: string;
  /** Receives one line per request, and what went wrong behind a 5xx. */
  log?: (line: string) => void;
}

export interface LocalGateway {
  /** Handles a request whose path starts with basePath; returns false if the path is not under basePath. */
  handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<boolean>;
  /** Routes for printing: `GET /api/products`, ... with their auth type. */
  readonly routes: readonly { method: string; path: string; authorization: string }[];
  /** The RestApi's stage name (e.g. v1). */
  readonly stageName: string;
}

/**
 * A local API Gateway REST API serving the stage's RestApi exactly as its template declares it:
 * routes, Cognito authorizer, request validation, Lambda proxy, Kinesis and MOCK integrations,
 * gateway responses. Reads and checks the whole API here: a feature it does not serve is an
 * `UnsupportedFeatureError` now, never a silent difference later (see supported-features.ts).
 *
 * Throttling (stage and method throttling, usage plans) is out of scope: no request is ever
 * answered 429 locally.
 */
export function createLocalGateway(options: LocalGatewayOptions): LocalGateway {
  const basePath = normalizedBasePath(options.basePath);
  const log = options.log ?? (() => undefined);
  const api = readRestApi(options.stage, options.resolver);
  for (const note of api.notes) log(note);
  const gatewayResponses = new GatewayResponses(api.stackName, api.gatewayResponses);
  const validation = compiled(
    api.stackName,
    api.logicalId,
    () => new RequestValidation(api.models, api.apiId),
  );
  const routeTable = new RouteTable<Route>();
  for (const method of api.methods) {
    const route = compiled(method.stackName, method.logicalId, () =>
      compileRoute(method, api, validation, options.integrations),
    );
    compiled(method.stackName, method.logicalId, () =>
      routeTable.add(method.resourcePath, method.httpMethod, route),
    );
  }

  const serve = async (request: GatewayRequest, state: RequestState): Promise<GatewayAnswer> => {
    if (request.tooLarge) throw new GatewayError('REQUEST_TOO_LARGE', 'Request Too Long');
    const found = routeTable.match(request.path, request.httpMethod);
    if (found.found !== 'route')
      throw new GatewayError('MISSING_AUTHENTICATION_TOKEN', 'Missing Authentication Token');
    const { route, pathParameters } = found.match;
    state.pathParameters = pathParameters;
    state.context = {
      ...state.context,
      resourceId: route.method.resourceId,
      resourcePath: route.method.resourcePath,
    };
    const { authorization } = route.method;
    if (authorization.type === 'COGNITO_USER_POOLS') {
      const claims = await authorizeWithCognito(
        authorization,
        request,
        options.integrations.verifyCognitoToken,
      );
      state.context = { ...state.context, authorizer: { claims } };
    }
    route.validate?.(request, pathParameters);
    return route.integrate({
      request,
      pathParameters,
      context: state.context,
      accept: acceptedTypes(request),
    });
  };

  return {
    stageName: api.stageName,
    routes: api.methods
      .map((method) => ({
        method: method.httpMethod,
        path: `${basePath}${method.resourcePath}`,
        authorization: method.authorization.type,
      }))
      .sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method)),

    async handle(incoming, outgoing) {
      const pathAndQuery = belowBasePath(basePath, incoming.url ?? '/');
      if (pathAndQuery === undefined) return false;
      const started = Date.now();
      const ids = { requestId: randomUUID(), requestTimeEpoch: started };
      let request: GatewayRequest;
      try {
        request = await readGatewayRequest(incoming, pathAndQuery);
      } catch (error) {
        // The client went away while sending its body: nobody to answer.
        log(`${incoming.method} ${basePath}${pathAndQuery}: request not read (${(error as Error).message})`);
        outgoing.destroy();
        return true;
      }
      const state: RequestState = {
        context: requestContext(request, api, options.integrations.accountId, ids),
        pathParameters: {},
      };
      let answer: GatewayAnswer;
      try {
        answer = await serve(request, state);
      } catch (error) {
        const gatewayError =
          error instanceof GatewayError
            ? error
            : new GatewayError('API_CONFIGURATION_ERROR', 'Internal server error', { cause: error });
        if (gatewayError.cause !== undefined) {
          const cause =
            gatewayError.cause instanceof Error ? gatewayError.cause.message : String(gatewayError.cause);
          log(`${ids.requestId} ${request.httpMethod} ${basePath}${request.path}: ${cause}`);
        }
        answer = gatewayResponses.render(
          gatewayError,
          mappingSources(request, state.pathParameters, state.context, api),
          acceptedTypes(request),
        );
      }
      writeAnswer(outgoing, answer, ids.requestId, request);
      log(
        `${request.httpMethod} ${basePath}${pathAndQuery} -> ${answer.statusCode} (${Date.now() - started} ms)`,
      );
      return true;
    },
  };
}

interface RequestState {
  context: RequestContext;
  pathParameters: Readonly<Record<string, string>>;
}

interface IntegrationCall {
  readonly request: GatewayRequest;
  readonly pathParameters: Readonly<Record<string, string>>;
  readonly context: RequestContext;
  readonly accept: readonly string[];
}

interface Route {
  readonly method: MethodDefinition;
  readonly validate?: RequestValidator;
  readonly integrate: (call: IntegrationCall) => Promise<GatewayAnswer>;
}

function compileRoute(
  method: MethodDefinition,
  api: RestApiDefinition,
  validation: RequestValidation,
  integrations: GatewayIntegrations,
): Route {
  const validate = validation.forMethod(method);
  const withValidator = (integrate: Route['integrate']): Route => ({
    method,
    ...(validate && { validate }),
    integrate,
  });
  const { integration } = method;
  switch (integration.type) {
    case 'AWS_PROXY':
      return withValidator(({ request, pathParameters, context }) =>
        invokeProxyIntegration(
          integrations.invoke,
          integration.function,
          proxyEvent(request, method, pathParameters, context, api),
          integration.timeoutMs,
        ),
      );
    case 'AWS': {
      const kinesis = new KinesisIntegration(integration, {
        endpoint: integrations.kinesisEndpoint,
        region: integrations.region,
        credentials: integrations.credentials,
      });
      return withValidator(async (call) => {
        const [variables, sources] = templateInputs(call, api);
        return kinesis.invoke(
          headerValue(call.request.headers, 'content-type'),
          variables,
          sources,
          call.accept,
        );
      });
    }
    case 'MOCK': {
      const mock = new MockIntegration(integration);
      return withValidator(async (call) => {
        const [variables, sources] = templateInputs(call, api);
        return mock.invoke(
          headerValue(call.request.headers, 'content-type'),
          variables,
          sources,
          call.accept,
        );
      });
    }
  }
}

function templateInputs(call: IntegrationCall, api: RestApiDefinition): [TemplateVariables, MappingSources] {
  const sources = mappingSources(call.request, call.pathParameters, call.context, api);
  const variables: TemplateVariables = {
    input: {
      body: sources.method.body,
      params: { path: call.pathParameters, querystring: call.request.query, header: call.request.headers },
    },
    context: sources.context,
    stageVariables: api.stageVariables,
  };
  return [variables, sources];
}

function mappingSources(
  request: GatewayRequest,
  pathParameters: Readonly<Record<string, string>>,
  context: RequestContext,
  api: RestApiDefinition,
): MappingSources {
  return {
    method: {
      headers: request.headers,
      query: request.query,
      path: pathParameters,
      body: request.body.toString('utf8'),
    },
    context: context as unknown as Record<string, unknown>,
    stageVariables: api.stageVariables,
  };
}

function writeAnswer(
  response: http.ServerResponse,
  answer: GatewayAnswer,
  requestId: string,
  request: GatewayRequest,
): void {
  response.statusCode = answer.statusCode;
  for (const [name, value] of Object.entries(answer.headers)) response.setHeader(name, value);
  if (!response.hasHeader('x-amzn-requestid')) response.setHeader('x-amzn-RequestId', requestId);
  // The rest of an oversized body is not read: the connection cannot serve another request.
  if (request.tooLarge) response.setHeader('Connection', 'close');
  const noBody = request.httpMethod === 'HEAD' || answer.statusCode === 204 || answer.statusCode === 304;
  response.end(noBody ? undefined : answer.body);
}

/** Media types of the Accept header, in order, wildcards left out. */
function acceptedTypes(request: GatewayRequest): string[] {
  return (headerValue(request.headers, 'accept') ?? '')
    .split(',')
    .map((part) => mediaTypeOf(part))
    .filter((type): type is string => type !== undefined && !type.includes('*'));
}

function normalizedBasePath(basePath: string): string {
  const trimmed = basePath.replace(/\/+$/, '');
  if (trimmed !== '' && !trimmed.startsWith('/')) {
    throw new Error(`basePath must start with / (such as '/api'), received ${JSON.stringify(basePath)}`);
  }
  return trimmed;
}

/** The path and query below `basePath`, starting with `/`, or undefined when the URL is elsewhere. */
function belowBasePath(basePath: string, url: string): string | undefined {
  if (basePath === '') return url.startsWith('/') ? url : `/${url}`;
  if (url === basePath) return '/';
  if (url.startsWith(`${basePath}/`)) return url.slice(basePath.length);
  if (url.startsWith(`${basePath}?`)) return `/${url.slice(basePath.length)}`;
  return undefined;
}

/** Runs a step of gateway creation; an error names the resource it came from. */
function compiled<T>(stackName: string, logicalId: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (error instanceof UnsupportedFeatureError) throw error;
    throw new Error(`${stackName}/${logicalId}: ${(error as Error).message}`, { cause: error });
  }
}
