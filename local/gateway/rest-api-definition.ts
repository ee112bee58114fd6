import { createHash } from 'node:crypto';
import type { IntrinsicResolver, Resolved, ResourceReference } from '../template/intrinsics';
import type { StageResource, StageTemplates } from '../template/stage-templates';
import { asObject, stringList, stringRecord, where } from './template-values';
import { isGatewayResponseType, type GatewayResponseDefinition } from './gateway-responses';
import { readIntegration, type FunctionId, type IntegrationDefinition } from './integration-definition';
import { UnsupportedFeatureError } from './supported-features';

export type AuthorizationDefinition =
  | { readonly type: 'NONE' }
  | {
      readonly type: 'COGNITO_USER_POOLS';
      readonly authorizerLogicalId: string;
      /** ProviderARNs, resolved. */
      readonly userPoolArns: readonly string[];
      /** The header of `IdentitySource: method.request.header.<name>`. */
      readonly identityHeader: string;
      readonly identityValidationExpression?: string;
    };

export interface RequestParameterDefinition {
  readonly location: 'header' | 'querystring' | 'path';
  readonly name: string;
  readonly required: boolean;
}

/** One `AWS::ApiGateway::Method`, everything it refers to resolved. */
export interface MethodDefinition {
  readonly stackName: string;
  readonly logicalId: string;
  /** `GET`, `POST`, ..., or `ANY`. */
  readonly httpMethod: string;
  /** Such as `/orders/{orderId}`. */
  readonly resourcePath: string;
  /** A stable short id of the resource, like API Gateway's. */
  readonly resourceId: string;
  readonly authorization: AuthorizationDefinition;
  readonly validator?: { readonly logicalId: string; readonly body: boolean; readonly parameters: boolean };
  readonly requestParameters: readonly RequestParameterDefinition[];
  /** Content type to the logical id of the model (a built-in `Empty` model is left out). */
  readonly requestModels: Readonly<Record<string, string>>;
  readonly integration: IntegrationDefinition;
}

export interface ModelDefinition {
  readonly logicalId: string;
  readonly name?: string;
  readonly schema: Record<string, unknown>;
}

/** The RestApi of the stage, as the local gateway serves it. */
export interface RestApiDefinition {
  readonly stackName: string;
  readonly logicalId: string;
  /** The RestApi's `Ref`, as the resolver gives it. */
  readonly apiId: string;
  readonly stageName: string;
  readonly stageVariables: Readonly<Record<string, string>> | null;
  readonly binaryMediaTypes: readonly string[];
  readonly methods: readonly MethodDefinition[];
  readonly models: readonly ModelDefinition[];
  /** By `ResponseType`. */
  readonly gatewayResponses: Readonly<Record<string, GatewayResponseDefinition>>;
  /** Things worth telling whoever starts the gateway, such as a web ACL that is not applied locally. */
  readonly notes: readonly string[];
}

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY'];

/** Resource types read (the RestApi's parts), or without any local effect. */
const KNOWN_TYPES = {
  read: [
    'AWS::ApiGateway::RestApi',
    'AWS::ApiGateway::Resource',
    'AWS::ApiGateway::Method',
    'AWS::ApiGateway::Authorizer',
    'AWS::ApiGateway::RequestValidator',
    'AWS::ApiGateway::Model',
    'AWS::ApiGateway::GatewayResponse',
    'AWS::ApiGateway::Deployment',
    'AWS::ApiGateway::Stage',
  ],
  withoutLocalEffect: [
    'AWS::ApiGateway::Account',
    'AWS::ApiGateway::DocumentationPart',
    'AWS::ApiGateway::DocumentationVersion',
    'AWS::ApiGateway::ClientCertificate',
    'AWS::ApiGateway::DomainName',
    'AWS::ApiGateway::DomainNameV2',
    'AWS::ApiGateway::BasePathMapping',
    'AWS::ApiGateway::BasePathMappingV2',
  ],
};

/** Properties by resource type: read, or read and deliberately without local effect. */
const KNOWN_PROPERTIES: Record<string, readonly string[]> = {
  'AWS::ApiGateway::RestApi': [
    'Name',
    'Description',
    'EndpointConfiguration',
    'BinaryMediaTypes',
    'ApiKeySourceType',
    'MinimumCompressionSize',
    'DisableExecuteApiEndpoint',
    'FailOnWarnings',
    'Tags',
  ],
  'AWS::ApiGateway::Resource': ['ParentId', 'PathPart', 'RestApiId'],
  'AWS::ApiGateway::Method': [
    'HttpMethod',
    'ResourceId',
    'RestApiId',
    'AuthorizationType',
    'AuthorizerId',
    'AuthorizationScopes',
    'ApiKeyRequired',
    'RequestValidatorId',
    'RequestModels',
    'RequestParameters',
    'Integration',
    'MethodResponses',
    'OperationName',
  ],
  'AWS::ApiGateway::Authorizer': [
    'Name',
    'RestApiId',
    'Type',
    'ProviderARNs',
    'IdentitySource',
    'IdentityValidationExpression',
    'AuthorizerResultTtlInSeconds',
  ],
  'AWS::ApiGateway::RequestValidator': [
    'Name',
    'RestApiId',
    'ValidateRequestBody',
    'ValidateRequestParameters',
  ],
  'AWS::ApiGateway::Model': ['Name', 'RestApiId', 'ContentType', 'Description', 'Schema'],
  'AWS::ApiGateway::GatewayResponse': [
    'RestApiId',
    'ResponseType',
    'StatusCode',
    'ResponseParameters',
    'ResponseTemplates',
  ],
  'AWS::ApiGateway::Deployment': ['RestApiId', 'Description', 'StageName'],
  'AWS::ApiGateway::Stage': [
    'RestApiId',
    'StageName',
    'DeploymentId',
    'Description',
    'Variables',
    'AccessLogSetting',
    'MethodSettings',
    'TracingEnabled',
    'CacheClusterEnabled',
    'CacheClusterSize',
    'DocumentationVersion',
    'ClientCertificateId',
    'Tags',
  ],
};

/**
 * Reads the stage's one `AWS::ApiGateway::RestApi` and everything that belongs to it, resolving
 * intrinsics with `resolver`. Throws an `UnsupportedFeatureError` for anything the local gateway
 * would not serve as API Gateway does.
 */
export function readRestApi(stage: StageTemplates, resolver: IntrinsicResolver): RestApiDefinition {
  return new RestApiReader(stage, resolver).read();
}

class RestApiReader {
  private readonly resourcePaths = new Map<string, string>();
  private functionsByArn?: Map<string, FunctionId>;

  constructor(
    private readonly stage: StageTemplates,
    private readonly resolver: IntrinsicResolver,
  ) {}

  read(): RestApiDefinition {
    const notes = this.checkResourceTypes();
    const restApis = this.stage.resourcesOfType('AWS::ApiGateway::RestApi');
    const [restApi] = restApis;
    if (!restApi)
      throw new Error(
        'The stage declares no AWS::ApiGateway::RestApi: the local gateway has nothing to serve',
      );
    if (restApis.length > 1) {
      throw new UnsupportedFeatureError(
        restApi.stackName,
        restApi.logicalId,
        `more than one RestApi in the stage (${restApis.map((api) => `${api.stackName}/${api.logicalId}`).join(', ')})`,
      );
    }
    this.checkProperties(restApi);
    const props = this.resolved(restApi, ['BinaryMediaTypes']);
    const belongs = (resource: StageResource) => this.belongsTo(resource, restApi);
    for (const type of KNOWN_TYPES.read.filter((known) => known !== restApi.type)) {
      this.stage.resourcesOfType(type).forEach(belongs);
    }
    const stage = this.readStage(restApi, belongs);
    const models = this.stage
      .resourcesOfType('AWS::ApiGateway::Model')
      .filter(belongs)
      .map((model) => this.readModel(model));
    return {
      stackName: restApi.stackName,
      logicalId: restApi.logicalId,
      apiId: this.resolver.resolveString(
        restApi.stackName,
        { Ref: restApi.logicalId },
        where(restApi, 'Ref'),
      ),
      stageName: stage.name,
      stageVariables: stage.variables,
      binaryMediaTypes: stringList(props.BinaryMediaTypes).map((type) =>
        type.replace(/~1/g, '/').toLowerCase(),
      ),
      methods: this.stage
        .resourcesOfType('AWS::ApiGateway::Method')
        .filter(belongs)
        .map((method) => this.readMethod(method, models)),
      models,
      gatewayResponses: Object.fromEntries(
        this.stage
          .resourcesOfType('AWS::ApiGateway::GatewayResponse')
          .filter(belongs)
          .map((response) => this.readGatewayResponse(response)),
      ),
      notes,
    };
  }

  /** Every API Gateway resource type of the stage is one the gateway reads or one without local effect. */
  private checkResourceTypes(): string[] {
    const notes: string[] = [];
    for (const resource of this.stage.resources()) {
      if (resource.type.startsWith('AWS::ApiGatewayV2::')) {
        throw new UnsupportedFeatureError(
          resource.stackName,
          resource.logicalId,
          `${resource.type} (HTTP and WebSocket APIs)`,
        );
      }
      if (resource.type === 'AWS::WAFv2::WebACLAssociation') {
        notes.push(`${resource.stackName}/${resource.logicalId}: the web ACL (WAF) is not applied locally`);
      }
      if (
        resource.type.startsWith('AWS::ApiGateway::') &&
        !KNOWN_TYPES.read.includes(resource.type) &&
        !KNOWN_TYPES.withoutLocalEffect.includes(resource.type)
      ) {
        throw new UnsupportedFeatureError(resource.stackName, resource.logicalId, resource.type);
      }
    }
    return notes;
  }

  private belongsTo(resource: StageResource, restApi: StageResource): boolean {
    const authorizerType = resource.properties.Type;
    if (resource.type === 'AWS::ApiGateway::Authorizer' && authorizerType !== 'COGNITO_USER_POOLS') {
      throw new UnsupportedFeatureError(
        resource.stackName,
        resource.logicalId,
        `authorizer Type ${JSON.stringify(authorizerType)} (Lambda TOKEN/REQUEST authorizers)`,
      );
    }
    this.checkProperties(resource);
    const api = this.reference(resource, 'RestApiId');
    return api.stackName === restApi.stackName && api.logicalId === restApi.logicalId;
  }

  private readStage(
    restApi: StageResource,
    belongs: (resource: StageResource) => boolean,
  ): { name: string; variables: Record<string, string> | null } {
    const stages = this.stage.resourcesOfType('AWS::ApiGateway::Stage').filter(belongs);
    const deploymentStages = this.stage
      .resourcesOfType('AWS::ApiGateway::Deployment')
      .filter(belongs)
      .filter((deployment) => deployment.properties.StageName !== undefined);
    const all = [...stages, ...deploymentStages];
    const [stage] = all;
    if (!stage) {
      throw new Error(
        `${restApi.stackName}/${restApi.logicalId}: no AWS::ApiGateway::Stage (nor a Deployment with a StageName): ` +
          'the local gateway serves the deployed stage',
      );
    }
    if (all.length > 1) {
      throw new UnsupportedFeatureError(
        stage.stackName,
        stage.logicalId,
        `more than one stage (${all.map((s) => s.logicalId).join(', ')}): the local gateway serves one`,
      );
    }
    const props = this.resolved(stage, ['StageName', 'Variables', 'CacheClusterEnabled', 'MethodSettings']);
    if (props.CacheClusterEnabled === true || props.CacheClusterEnabled === 'true') {
      throw new UnsupportedFeatureError(
        stage.stackName,
        stage.logicalId,
        'CacheClusterEnabled (API caching)',
      );
    }
    for (const setting of Array.isArray(props.MethodSettings) ? props.MethodSettings : []) {
      const caching = (setting as Record<string, Resolved>).CachingEnabled;
      if (caching === true || caching === 'true') {
        throw new UnsupportedFeatureError(
          stage.stackName,
          stage.logicalId,
          'MethodSettings CachingEnabled (API caching)',
        );
      }
    }
    const variables = Object.entries(asObject(props.Variables)).map(([name, value]) => [name, String(value)]);
    return {
      name: String(props.StageName),
      variables: variables.length > 0 ? Object.fromEntries(variables) : null,
    };
  }

  private readModel(model: StageResource): ModelDefinition {
    const props = this.resolved(model, ['Name', 'Schema']);
    const schema = typeof props.Schema === 'string' ? (JSON.parse(props.Schema) as Resolved) : props.Schema;
    return {
      logicalId: model.logicalId,
      ...(typeof props.Name === 'string' && { name: props.Name }),
      schema: asObject(schema),
    };
  }

  private readGatewayResponse(response: StageResource): [string, GatewayResponseDefinition] {
    const props = this.resolved(response, [
      'ResponseType',
      'StatusCode',
      'ResponseParameters',
      'ResponseTemplates',
    ]);
    const type = String(props.ResponseType);
    if (!isGatewayResponseType(type)) {
      throw new UnsupportedFeatureError(response.stackName, response.logicalId, `ResponseType ${type}`);
    }
    const responseParameters = Object.entries(asObject(props.ResponseParameters)).map(([key, value]) => {
      const header = /^gatewayresponse\.header\.(.+)$/.exec(key)?.[1];
      if (!header)
        throw new UnsupportedFeatureError(
          response.stackName,
          response.logicalId,
          `ResponseParameters ${key}`,
        );
      return [header, String(value)];
    });
    return [
      type,
      {
        logicalId: response.logicalId,
        ...(props.StatusCode !== undefined && { statusCode: Number(props.StatusCode) }),
        responseParameters: Object.fromEntries(responseParameters),
        responseTemplates: stringRecord(props.ResponseTemplates),
      },
    ];
  }

  private readMethod(method: StageResource, models: readonly ModelDefinition[]): MethodDefinition {
    const props = method.properties;
    const httpMethod = this.resolver
      .resolveString(method.stackName, props.HttpMethod, where(method, 'HttpMethod'))
      .toUpperCase();
    if (!HTTP_METHODS.includes(httpMethod)) {
      throw new UnsupportedFeatureError(method.stackName, method.logicalId, `HttpMethod ${httpMethod}`);
    }
    const resourcePath = this.resourcePath(this.reference(method, 'ResourceId'));
    const apiKeyRequired = this.resolved(method, 'ApiKeyRequired');
    if (apiKeyRequired === true || apiKeyRequired === 'true') {
      throw new UnsupportedFeatureError(method.stackName, method.logicalId, 'ApiKeyRequired (API keys)');
    }
    const validatorId = props.RequestValidatorId;
    const validator =
      validatorId === undefined
        ? undefined
        : this.readValidator(method, this.reference(method, 'RequestValidatorId'));
    return {
      stackName: method.stackName,
      logicalId: method.logicalId,
      httpMethod,
      resourcePath,
      resourceId: shortId(`${method.stackName}/${resourcePath}`),
      authorization: this.readAuthorization(method),
      ...(validator && { validator }),
      requestParameters: this.readRequestParameters(method),
      requestModels: this.readRequestModels(method, models),
      integration: readIntegration(method, this.resolver, (arn) => this.functionByArn(arn)),
    };
  }

  private resourcePath(reference: ResourceReference): string {
    if (reference.type === 'AWS::ApiGateway::RestApi' && reference.attribute === 'RootResourceId') return '/';
    const key = `${reference.stackName}/${reference.logicalId}`;
    const known = this.resourcePaths.get(key);
    if (known) return known;
    if (reference.type !== 'AWS::ApiGateway::Resource') {
      throw new Error(
        `${key}: a method's resource (or a resource's parent) must be a Resource or the RestApi's root`,
      );
    }
    const resource = this.stage.resource(reference.stackName, reference.logicalId);
    const parent = this.resourcePath(this.reference(resource, 'ParentId'));
    const part = this.resolver.resolveString(
      resource.stackName,
      resource.properties.PathPart,
      where(resource, 'PathPart'),
    );
    const path = parent === '/' ? `/${part}` : `${parent}/${part}`;
    this.resourcePaths.set(key, path);
    return path;
  }

  private readValidator(method: StageResource, reference: ResourceReference): MethodDefinition['validator'] {
    const validator = this.stage.resource(reference.stackName, reference.logicalId);
    const props = this.resolved(validator, ['ValidateRequestBody', 'ValidateRequestParameters']);
    const flag = (value: Resolved | undefined) => value === true || value === 'true';
    if (validator.type !== 'AWS::ApiGateway::RequestValidator') {
      throw new Error(
        `${where(method, 'RequestValidatorId')} refers to a ${validator.type}, not a RequestValidator`,
      );
    }
    return {
      logicalId: validator.logicalId,
      body: flag(props.ValidateRequestBody),
      parameters: flag(props.ValidateRequestParameters),
    };
  }

  private readAuthorization(method: StageResource): AuthorizationDefinition {
    const props = this.resolved(method, ['AuthorizationType', 'AuthorizationScopes']);
    const type = String(props.AuthorizationType ?? 'NONE');
    const scopes = props.AuthorizationScopes;
    if (Array.isArray(scopes) && scopes.length > 0) {
      throw new UnsupportedFeatureError(
        method.stackName,
        method.logicalId,
        'AuthorizationScopes (access tokens with scopes)',
      );
    }
    if (type === 'NONE') return { type: 'NONE' };
    if (type !== 'COGNITO_USER_POOLS') {
      const what =
        type === 'CUSTOM' ? 'AuthorizationType CUSTOM (a Lambda authorizer)' : `AuthorizationType ${type}`;
      throw new UnsupportedFeatureError(method.stackName, method.logicalId, what);
    }
    const reference = this.reference(method, 'AuthorizerId');
    const authorizer = this.stage.resource(reference.stackName, reference.logicalId);
    const authorizerProps = this.resolved(authorizer, [
      'Type',
      'IdentitySource',
      'IdentityValidationExpression',
      'ProviderARNs',
    ]);
    if (authorizerProps.Type !== 'COGNITO_USER_POOLS') {
      throw new UnsupportedFeatureError(
        authorizer.stackName,
        authorizer.logicalId,
        `authorizer Type ${String(authorizerProps.Type)} (Lambda TOKEN/REQUEST authorizers)`,
      );
    }
    const identitySource = String(authorizerProps.IdentitySource ?? '');
    const identityHeader = /^method\.request\.header\.([^,\s]+)$/.exec(identitySource)?.[1];
    if (!identityHeader) {
      throw new UnsupportedFeatureError(
        authorizer.stackName,
        authorizer.logicalId,
        `IdentitySource ${JSON.stringify(identitySource)} (one method.request.header.<name> only)`,
      );
    }
    const userPoolArns = stringList(authorizerProps.ProviderARNs);
    if (userPoolArns.length === 0) throw new Error(`${where(authorizer, 'ProviderARNs')}: no user pool`);
    return {
      type: 'COGNITO_USER_POOLS',
      authorizerLogicalId: authorizer.logicalId,
      userPoolArns,
      identityHeader,
      ...(typeof authorizerProps.IdentityValidationExpression === 'string' && {
        identityValidationExpression: authorizerProps.IdentityValidationExpression,
      }),
    };
  }

  private readRequestParameters(method: StageResource): RequestParameterDefinition[] {
    return Object.entries(asObject(this.resolved(method, 'RequestParameters'))).map(([key, required]) => {
      const match =
        /^method\.request\.(header|querystring|path|multivalueheader|multivaluequerystring)\.(.+)$/.exec(key);
      if (!match)
        throw new UnsupportedFeatureError(method.stackName, method.logicalId, `RequestParameters ${key}`);
      const location = (match[1] ?? '').replace('multivalue', '') as RequestParameterDefinition['location'];
      return { location, name: match[2] ?? '', required: required === true || required === 'true' };
    });
  }

  private readRequestModels(
    method: StageResource,
    models: readonly ModelDefinition[],
  ): Record<string, string> {
    const entries: [string, string][] = [];
    for (const [contentType, value] of Object.entries(
      asObject(method.properties.RequestModels as Resolved),
    )) {
      if (typeof value === 'string') {
        // A model named in the plain: API Gateway's built-in `Empty` (no check), or a Model by Name.
        if (value === 'Empty') continue;
        const model = models.find((candidate) => candidate.name === value);
        if (!model) {
          throw new UnsupportedFeatureError(
            method.stackName,
            method.logicalId,
            `RequestModels model ${value} (not a Model of the stage)`,
          );
        }
        entries.push([contentType.toLowerCase(), model.logicalId]);
        continue;
      }
      const reference = this.resolver.reference(
        method.stackName,
        value,
        where(method, `RequestModels.${contentType}`),
      );
      entries.push([contentType.toLowerCase(), reference.logicalId]);
    }
    return Object.fromEntries(entries);
  }

  /** The function a Lambda ARN names: the stage's functions, by their resolved `Arn`. */
  private functionByArn(arn: string): FunctionId | undefined {
    if (!this.functionsByArn) {
      this.functionsByArn = new Map(
        this.stage
          .resourcesOfType('AWS::Lambda::Function')
          .map((fn) => [
            this.resolver.resolveString(
              fn.stackName,
              { 'Fn::GetAtt': [fn.logicalId, 'Arn'] },
              where(fn, 'Arn'),
            ),
            { stackName: fn.stackName, logicalId: fn.logicalId },
          ]),
      );
    }
    return this.functionsByArn.get(arn);
  }

  private checkProperties(resource: StageResource): void {
    const known = KNOWN_PROPERTIES[resource.type] ?? [];
    for (const key of Object.keys(resource.properties)) {
      if (!known.includes(key)) {
        throw new UnsupportedFeatureError(
          resource.stackName,
          resource.logicalId,
          `${resource.type} property ${key}`,
        );
      }
    }
  }

  private reference(resource: StageResource, property: string): ResourceReference {
    return this.resolver.reference(
      resource.stackName,
      resource.properties[property],
      where(resource, property),
    );
  }

  /** The named properties, resolved; the others are left alone (some, such as Credentials, have no local value). */
  private resolved(resource: StageResource, properties: readonly string[]): Record<string, Resolved>;
  private resolved(resource: StageResource, property: string): Resolved | undefined;
  private resolved(
    resource: StageResource,
    property: string | readonly string[],
  ): Record<string, Resolved> | Resolved | undefined {
    if (typeof property !== 'string') {
      const entries = property.map((name) => [name, this.resolved(resource, name)] as const);
      return Object.fromEntries(
        entries.filter((entry): entry is [string, Resolved] => entry[1] !== undefined),
      );
    }
    const value = resource.properties[property];
    return value === undefined
      ? undefined
      : this.resolver.resolve(resource.stackName, value, where(resource, property));
  }
}

/** API Gateway's resource ids are short lowercase strings such as `a1b2c3`. */
function shortId(seed: string): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, 6);
}
