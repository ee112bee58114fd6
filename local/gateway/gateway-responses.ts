import { compileMappingTemplate, selectTemplate, type MappingTemplate } from './mapping-templates';
import { compileMapping, type Mapping, type MappingSources } from './parameter-mapping';

/** API Gateway's own answers (`AWS::ApiGateway::GatewayResponse` `ResponseType`), with their status. */
export const GATEWAY_RESPONSE_STATUS = {
  ACCESS_DENIED: 403,
  API_CONFIGURATION_ERROR: 500,
  AUTHORIZER_CONFIGURATION_ERROR: 500,
  AUTHORIZER_FAILURE: 500,
  BAD_REQUEST_BODY: 400,
  BAD_REQUEST_PARAMETERS: 400,
  DEFAULT_4XX: 400,
  DEFAULT_5XX: 500,
  EXPIRED_TOKEN: 403,
  INTEGRATION_FAILURE: 504,
  INTEGRATION_TIMEOUT: 504,
  INVALID_API_KEY: 403,
  INVALID_SIGNATURE: 403,
  MISSING_AUTHENTICATION_TOKEN: 403,
  QUOTA_EXCEEDED: 429,
  REQUEST_TOO_LARGE: 413,
  RESOURCE_NOT_FOUND: 404,
  THROTTLED: 429,
  UNAUTHORIZED: 401,
  UNSUPPORTED_MEDIA_TYPE: 415,
  WAF_FILTERED: 403,
} as const;

export type GatewayResponseType = keyof typeof GATEWAY_RESPONSE_STATUS;

export function isGatewayResponseType(type: string): type is GatewayResponseType {
  return Object.hasOwn(GATEWAY_RESPONSE_STATUS, type);
}

/** An answer the gateway gives itself rather than the integration: a 403 for an unknown route, a 401... */
export class GatewayError extends Error {
  readonly statusCode: number;
  /** `$context.error.validationErrorString`. */
  readonly validationErrorString: string;

  constructor(
    readonly responseType: GatewayResponseType,
    message: string,
    options: { statusCode?: number; validationErrorString?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'GatewayError';
    this.statusCode = options.statusCode ?? GATEWAY_RESPONSE_STATUS[responseType];
    this.validationErrorString = options.validationErrorString ?? '';
  }
}

/** An HTTP answer of the gateway. */
export interface GatewayAnswer {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  readonly body: string | Buffer;
}

/** A gateway response of the template, its parameters and templates compiled. */
export interface GatewayResponseDefinition {
  readonly logicalId: string;
  readonly statusCode?: number;
  /** Header name (without `gatewayresponse.header.`) to mapping expression. */
  readonly responseParameters: Readonly<Record<string, string>>;
  readonly responseTemplates: Readonly<Record<string, string>>;
}

interface CompiledGatewayResponse {
  readonly statusCode?: number;
  readonly headers: readonly [string, Mapping][];
  readonly templates: Readonly<Record<string, MappingTemplate>>;
}

/** API Gateway's body when a response has no template of its own. */
const DEFAULT_TEMPLATE = compileMappingTemplate('{"message":$context.error.messageString}');

/**
 * Renders the gateway's own answers as the template customises them: the response of the error's
 * type if the template declares one, else its DEFAULT_4XX or DEFAULT_5XX, else API Gateway's
 * `{"message": "..."}`.
 */
export class GatewayResponses {
  private readonly responses: ReadonlyMap<string, CompiledGatewayResponse>;

  /** Throws, naming the gateway response, when a parameter or template cannot be compiled. */
  constructor(stackName: string, definitions: Readonly<Record<string, GatewayResponseDefinition>>) {
    this.responses = new Map(
      Object.entries(definitions).map(([type, definition]) => {
        try {
          return [type, compileGatewayResponse(definition)];
        } catch (error) {
          throw new Error(`${stackName}/${definition.logicalId}: ${(error as Error).message}`, {
            cause: error,
          });
        }
      }),
    );
  }

  /** `sources.context` is the request's `$context`; the error's fields are added to it. */
  render(error: GatewayError, sources: MappingSources, accept: readonly string[]): GatewayAnswer {
    const own = this.responses.get(error.responseType);
    const response = own ?? this.responses.get(error.statusCode >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX');
    const statusCode = own?.statusCode ?? error.statusCode;
    const context = {
      ...sources.context,
      error: {
        message: error.message,
        messageString: JSON.stringify(error.message),
        responseType: error.responseType,
        validationErrorString: error.validationErrorString,
      },
    };
    const selected = response && selectTemplate(response.templates, accept, true);
    const [contentType, template] = selected ?? ['application/json', DEFAULT_TEMPLATE];
    const body = template({
      input: {
        body: '',
        params: {
          path: sources.method.path,
          querystring: sources.method.query,
          header: sources.method.headers,
        },
      },
      context,
      stageVariables: sources.stageVariables,
    });
    const headers: Record<string, string> = { 'Content-Type': contentType };
    for (const [header, mapping] of response?.headers ?? []) {
      const value = mapping({ ...sources, context });
      if (value !== undefined) headers[header] = value;
    }
    return { statusCode, headers, body };
  }
}

function compileGatewayResponse(definition: GatewayResponseDefinition): CompiledGatewayResponse {
  return {
    ...(definition.statusCode !== undefined && { statusCode: definition.statusCode }),
    headers: Object.entries(definition.responseParameters).map(
      ([header, expression]) => [header, compileMapping(expression)] as [string, Mapping],
    ),
    templates: Object.fromEntries(
      Object.entries(definition.responseTemplates).map(([contentType, text]) => [
        contentType,
        compileMappingTemplate(text),
      ]),
    ),
  };
}
