import type { IntrinsicResolver, Resolved } from '../template/intrinsics';
import type { StageResource } from '../template/stage-templates';
import { asObject, lowerCaseKeys, stringRecord, where } from './template-values';
import { UnsupportedFeatureError } from './supported-features';

/** A Lambda function of the stage. */
export interface FunctionId {
  readonly stackName: string;
  readonly logicalId: string;
}

export type PassthroughBehavior = 'WHEN_NO_MATCH' | 'WHEN_NO_TEMPLATES' | 'NEVER';

export interface IntegrationResponseDefinition {
  readonly statusCode: string;
  /** Absent or empty: the default response. */
  readonly selectionPattern?: string;
  /** Content type to template text. */
  readonly responseTemplates: Readonly<Record<string, string>>;
  /** Header name (without `method.response.header.`) to mapping expression. */
  readonly responseHeaders: Readonly<Record<string, string>>;
}

export interface MappedIntegration {
  /** Content type to template text. */
  readonly requestTemplates: Readonly<Record<string, string>>;
  readonly passthroughBehavior: PassthroughBehavior;
  readonly integrationResponses: readonly IntegrationResponseDefinition[];
}

export type IntegrationDefinition =
  | { readonly type: 'AWS_PROXY'; readonly function: FunctionId; readonly timeoutMs: number }
  | (MappedIntegration & {
      readonly type: 'AWS';
      readonly service: 'kinesis';
      readonly action: string;
      /** Header name (without `integration.request.header.`) to mapping expression. */
      readonly requestHeaders: Readonly<Record<string, string>>;
      readonly timeoutMs: number;
    })
  | (MappedIntegration & { readonly type: 'MOCK' });

/** API Gateway's default integration timeout, and its maximum for REST APIs by default. */
const DEFAULT_INTEGRATION_TIMEOUT_MS = 29_000;

const INTEGRATION_PROPERTIES = [
  'Type',
  'Uri',
  'IntegrationHttpMethod',
  'Credentials',
  'RequestTemplates',
  'RequestParameters',
  'PassthroughBehavior',
  'IntegrationResponses',
  'TimeoutInMillis',
  'CacheKeyParameters',
  'CacheNamespace',
  'ConnectionType',
];

const INTEGRATION_RESPONSE_PROPERTIES = [
  'StatusCode',
  'SelectionPattern',
  'ResponseTemplates',
  'ResponseParameters',
];

/**
 * The `Integration` of a method: AWS_PROXY with a function of the stage (found by its ARN), AWS
 * with a Kinesis action, or MOCK; anything else is an `UnsupportedFeatureError`.
 */
export function readIntegration(
  method: StageResource,
  resolver: IntrinsicResolver,
  functionByArn: (arn: string) => FunctionId | undefined,
): IntegrationDefinition {
  const refuse: (feature: string) => never = (feature) => {
    throw new UnsupportedFeatureError(method.stackName, method.logicalId, feature);
  };
  const declared = (method.properties.Integration ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(declared)) {
    if (!INTEGRATION_PROPERTIES.includes(key)) refuse(`Integration property ${key}`);
  }
  // Credentials and cache settings have no local effect (and an IAM role may have no local value).
  const integration = Object.fromEntries(
    Object.entries(declared)
      .filter(([key]) => !['Credentials', 'CacheKeyParameters', 'CacheNamespace'].includes(key))
      .map(([key, value]) => [
        key,
        resolver.resolve(method.stackName, value, where(method, `Integration.${key}`)),
      ]),
  );
  if (integration.ConnectionType !== undefined && integration.ConnectionType !== 'INTERNET') {
    refuse(`Integration ConnectionType ${String(integration.ConnectionType)} (VPC links)`);
  }
  const type = String(integration.Type);
  const timeoutMs = Number(integration.TimeoutInMillis ?? DEFAULT_INTEGRATION_TIMEOUT_MS);
  const uri = typeof integration.Uri === 'string' ? integration.Uri : '';
  switch (type) {
    case 'AWS_PROXY': {
      for (const key of ['RequestTemplates', 'RequestParameters', 'IntegrationResponses']) {
        if (integration[key] !== undefined) refuse(`Integration ${key} on an AWS_PROXY integration`);
      }
      const functionArn =
        /^arn:[^:]+:apigateway:[^:]+:lambda:path\/2015-03-31\/functions\/(.+)\/invocations$/.exec(uri)?.[1];
      if (!functionArn) refuse(`an AWS_PROXY integration with ${uri} (Lambda functions only)`);
      const fn = functionByArn(functionArn);
      if (!fn)
        refuse(
          `an AWS_PROXY integration with ${functionArn}, which is not an AWS::Lambda::Function of the stage`,
        );
      return { type, function: fn, timeoutMs };
    }
    case 'AWS': {
      const action = /^arn:[^:]+:apigateway:[^:]+:kinesis:action\/(\w+)$/.exec(uri)?.[1];
      if (!action) refuse(`an AWS service integration with ${uri} (Kinesis actions only)`);
      if (String(integration.IntegrationHttpMethod) !== 'POST') {
        refuse(`IntegrationHttpMethod ${String(integration.IntegrationHttpMethod)} for Kinesis (POST only)`);
      }
      const requestHeaders = Object.entries(asObject(integration.RequestParameters)).map(([key, value]) => {
        const header = /^integration\.request\.header\.(.+)$/.exec(key)?.[1];
        if (!header) refuse(`Integration RequestParameters ${key} (integration.request.header.<name> only)`);
        return [header, String(value)];
      });
      return {
        type,
        service: 'kinesis',
        action,
        requestHeaders: Object.fromEntries(requestHeaders),
        timeoutMs,
        ...mappedIntegration(integration, refuse),
      };
    }
    case 'MOCK':
      if (integration.RequestParameters !== undefined)
        refuse('Integration RequestParameters on a MOCK integration');
      return { type, ...mappedIntegration(integration, refuse) };
    default:
      return refuse(`Integration Type ${type}`);
  }
}

function mappedIntegration(
  integration: Record<string, Resolved>,
  refuse: (feature: string) => never,
): MappedIntegration {
  const passthroughBehavior = String(
    integration.PassthroughBehavior ?? 'WHEN_NO_MATCH',
  ) as PassthroughBehavior;
  if (!['WHEN_NO_MATCH', 'WHEN_NO_TEMPLATES', 'NEVER'].includes(passthroughBehavior)) {
    refuse(`PassthroughBehavior ${passthroughBehavior}`);
  }
  const responses = Array.isArray(integration.IntegrationResponses) ? integration.IntegrationResponses : [];
  return {
    requestTemplates: lowerCaseKeys(stringRecord(integration.RequestTemplates)),
    passthroughBehavior,
    integrationResponses: responses.map((value) => {
      const response = asObject(value);
      for (const key of Object.keys(response)) {
        if (!INTEGRATION_RESPONSE_PROPERTIES.includes(key)) refuse(`IntegrationResponses property ${key}`);
      }
      const responseHeaders = Object.entries(asObject(response.ResponseParameters)).map(
        ([key, expression]) => {
          const header = /^method\.response\.header\.(.+)$/.exec(key)?.[1];
          if (!header) refuse(`IntegrationResponses ResponseParameters ${key}`);
          return [header, String(expression)];
        },
      );
      return {
        statusCode: String(response.StatusCode),
        ...(typeof response.SelectionPattern === 'string' && {
          selectionPattern: response.SelectionPattern,
        }),
        responseTemplates: lowerCaseKeys(stringRecord(response.ResponseTemplates)),
        responseHeaders: Object.fromEntries(responseHeaders),
      };
    }),
  };
}
