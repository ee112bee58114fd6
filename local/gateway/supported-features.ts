/**
 * What the local gateway serves of an API Gateway REST API, what it ignores on purpose, and what it
 * refuses. A template that uses a refused feature stops `createLocalGateway` with an
 * `UnsupportedFeatureError` naming the resource: the local platform never answers differently from
 * the deployed API without saying so.
 */

/** Served as API Gateway serves them. */
export const SUPPORTED_FEATURES: readonly string[] = [
  'One AWS::ApiGateway::RestApi per stage, its resource tree (AWS::ApiGateway::Resource PathPart, {param} and {proxy+})',
  'The stage name and stage variables of its AWS::ApiGateway::Stage (or of a Deployment with StageName)',
  'Methods GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS and ANY; the most specific resource wins (static, then {param}, then {proxy+})',
  'Unknown path, or known path without the method: 403 {"message":"Missing Authentication Token"}',
  'AuthorizationType NONE and COGNITO_USER_POOLS (ProviderARNs, IdentitySource method.request.header.X, IdentityValidationExpression); claims passed as strings like API Gateway REST',
  'AWS::ApiGateway::RequestValidator: required method.request.header/querystring/path parameters, and the body against the AWS::ApiGateway::Model (JSON Schema draft-04) of its content type',
  'AWS_PROXY integrations with a Lambda function of the stage (REST payload 1.0 event; malformed answer or function error: 502)',
  'AWS integrations with Kinesis actions (arn:aws:apigateway:<region>:kinesis:action/<Action>): request templates, PassthroughBehavior, integration.request.header mappings, integration responses chosen by SelectionPattern on the HTTP status, response templates and response parameters',
  'MOCK integrations (CORS preflight): statusCode of the request template, integration responses, response parameters and templates',
  'Mapping templates (velocityjs): $input.body/json/path/params, $util.escapeJavaScript/base64Encode/base64Decode/parseJson/urlEncode/urlDecode, $context, $stageVariables',
  'AWS::ApiGateway::GatewayResponse of any type (DEFAULT_4XX, DEFAULT_5XX, UNAUTHORIZED, BAD_REQUEST_BODY, ...): StatusCode, ResponseParameters, ResponseTemplates with $context.error.*',
  'RestApi BinaryMediaTypes: matching request bodies reach a proxy integration base64-encoded',
  'Integration TimeoutInMillis (default 29 s): 504 {"message":"Endpoint request timed out"}',
  'Request bodies up to 10 MB: 413 beyond',
];

/** Read and deliberately without effect locally. */
export const IGNORED_FEATURES: readonly string[] = [
  'Throttling (Stage MethodSettings ThrottlingRateLimit/ThrottlingBurstLimit) and usage quotas: no 429 locally',
  'Access logs, execution logs, metrics and X-Ray tracing settings (the log option prints one line per request instead)',
  'Integration Credentials and IAM: the local gateway calls the local service with the platform credentials',
  'MethodResponses (API Gateway checks them at deploy time), OperationName, documentation resources, AWS::ApiGateway::Account',
  'Authorizer result caching (AuthorizerResultTtlInSeconds): every request is authorized',
  'EndpointConfiguration, MinimumCompressionSize (no compression), custom domain names and base path mappings: the API is served under the basePath',
  'Web ACLs associated with the stage (AWS::WAFv2::WebACLAssociation): no WAF locally (logged when present)',
];

/** Stop `createLocalGateway` with an `UnsupportedFeatureError`. */
export const REFUSED_FEATURES: readonly string[] = [
  'More than one RestApi in the stage, or HTTP/WebSocket APIs (AWS::ApiGatewayV2::*)',
  'RestApis defined by an OpenAPI Body/BodyS3Location, CloneFrom, or with a resource Policy',
  'Integration types HTTP and HTTP_PROXY, VPC links, ContentHandling conversions',
  'AWS_PROXY integrations with anything but a Lambda function of the stage',
  'AWS service integrations other than Kinesis actions, and integration.request.querystring/path mappings on them',
  'AuthorizationType AWS_IAM and CUSTOM (Lambda TOKEN/REQUEST authorizers), AuthorizationScopes, API keys (ApiKeyRequired, usage plans)',
  'Caching (CacheClusterEnabled, MethodSettings CachingEnabled), canary settings',
  'Any property or AWS::ApiGateway::* resource type the gateway does not know',
];

/** A template feature the local gateway does not serve, named with the resource that uses it. */
export class UnsupportedFeatureError extends Error {
  constructor(
    readonly stackName: string,
    readonly logicalId: string,
    readonly feature: string,
  ) {
    super(
      `${stackName}/${logicalId}: ${feature} is not supported by the local API gateway ` +
        '(see local/gateway/supported-features.ts)',
    );
    this.name = 'UnsupportedFeatureError';
  }
}
