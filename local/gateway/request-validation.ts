import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv-draft-04';
import { GatewayError } from './gateway-responses';
import type { GatewayRequest } from './http-request';
import { mediaTypeOf } from './mapping-templates';
import { headerValue } from './parameter-mapping';
import type { MethodDefinition, ModelDefinition } from './rest-api-definition';

/** Checks a request as the method's request validator would; throws a 400 `GatewayError`. */
export type RequestValidator = (
  request: GatewayRequest,
  pathParameters: Readonly<Record<string, string>>,
) => void;

/** Format checks of JSON Schema draft-04 that API Gateway applies. */
const FORMATS: Record<string, RegExp> = {
  'date-time': /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/,
  email: /^[^\s@]+@[^\s@]+$/,
  hostname:
    /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/,
  ipv4: /^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)$/,
  ipv6: /^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*$/,
  uri: /^[A-Za-z][A-Za-z0-9+.-]*:\S*$/,
};

/**
 * The request validators of the API's methods, their models (JSON Schema draft-04) compiled once.
 * A model that does not compile throws here, at gateway creation, naming the model.
 */
export class RequestValidation {
  private readonly ajv = new Ajv({ allErrors: true, verbose: true, strict: false, formats: FORMATS });
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(
    private readonly models: readonly ModelDefinition[],
    apiId: string,
  ) {
    // Models refer to each other by URL, such as https://apigateway.amazonaws.com/restapis/<api>/models/<name>.
    for (const model of models) {
      if (model.name) this.ajv.addSchema(withoutId(model.schema), modelUrl(apiId, model.name));
    }
  }

  /** The validator of `method`, or none when the method has no request validator. */
  forMethod(method: MethodDefinition): RequestValidator | undefined {
    const { validator } = method;
    if (!validator || (!validator.body && !validator.parameters)) return undefined;
    const required = validator.parameters
      ? method.requestParameters.filter((parameter) => parameter.required)
      : [];
    const bodyModels = validator.body
      ? Object.fromEntries(
          Object.entries(method.requestModels).map(([contentType, modelId]) => [
            contentType,
            this.model(modelId),
          ]),
        )
      : {};
    return (request, pathParameters) => {
      const missing = required
        .filter(({ location, name }) => {
          if (location === 'header') return headerValue(request.headers, name) === undefined;
          if (location === 'querystring') return request.query[name] === undefined;
          return pathParameters[name] === undefined;
        })
        .map(({ name }) => name);
      if (missing.length > 0) {
        const message = `Missing required request parameters: [${missing.join(', ')}]`;
        throw new GatewayError('BAD_REQUEST_PARAMETERS', message, { validationErrorString: message });
      }
      const contentType = mediaTypeOf(headerValue(request.headers, 'content-type')) ?? 'application/json';
      const validate = bodyModels[contentType] ?? bodyModels['$default'];
      if (validate) validateBody(validate, request.body);
    };
  }

  private model(logicalId: string): ValidateFunction {
    const known = this.compiled.get(logicalId);
    if (known) return known;
    const model = this.models.find((candidate) => candidate.logicalId === logicalId);
    if (!model) throw new Error(`${logicalId} is not a Model of the RestApi`);
    try {
      const validate = this.ajv.compile(withoutId(model.schema));
      this.compiled.set(logicalId, validate);
      return validate;
    } catch (error) {
      throw new Error(
        `The model ${logicalId} cannot be compiled as JSON Schema draft-04: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }
}

function validateBody(validate: ValidateFunction, body: Buffer): void {
  const text = body.toString('utf8');
  let value: unknown;
  try {
    // API Gateway checks an empty body as an empty object.
    value = text.trim() === '' ? {} : JSON.parse(text);
  } catch (error) {
    throw invalidBody([`Invalid JSON in request body: ${(error as Error).message}`], error);
  }
  if (!validate(value)) throw invalidBody(validationMessages(validate.errors ?? []));
}

function invalidBody(messages: readonly string[], cause?: unknown): GatewayError {
  // API Gateway writes the list JSON-escaped, so that a template may put it inside a JSON string.
  const list = `[${messages.join(', ')}]`;
  return new GatewayError('BAD_REQUEST_BODY', 'Invalid request body', {
    validationErrorString: JSON.stringify(list).slice(1, -1),
    cause,
  });
}

/** ajv's errors in the words of API Gateway's validator (json-schema-validator), one per failure. */
export function validationMessages(errors: readonly ErrorObject[]): string[] {
  const messages: string[] = [];
  const grouped = new Map<string, string[]>();
  const group = (kind: string, instancePath: string, item: string) => {
    const key = `${kind} ${instancePath}`;
    const items = grouped.get(key) ?? [];
    if (items.length === 0) messages.push(key);
    grouped.set(key, [...items, item]);
  };
  for (const error of errors) {
    const { params, data } = error as ErrorObject & { params: Record<string, unknown> };
    switch (error.keyword) {
      case 'required':
        group('required', error.instancePath, String(params.missingProperty));
        break;
      case 'additionalProperties':
        group('additionalProperties', error.instancePath, String(params.additionalProperty));
        break;
      case 'type':
        messages.push(
          `instance type (${jsonType(data)}) does not match any allowed primitive type (allowed: ${JSON.stringify(
            [params.type].flat(),
          )})`,
        );
        break;
      case 'enum':
        messages.push(
          `instance value (${JSON.stringify(data)}) not found in enum (possible values: ${JSON.stringify(params.allowedValues)})`,
        );
        break;
      case 'minItems':
        messages.push(
          `array is too short: must have at least ${params.limit} elements but instance has ${(data as unknown[]).length} elements`,
        );
        break;
      case 'maxItems':
        messages.push(
          `array is too long: must have at most ${params.limit} elements but instance has ${(data as unknown[]).length} elements`,
        );
        break;
      case 'minLength':
        messages.push(
          `string ${JSON.stringify(data)} is too short (length: ${String(data).length}, required minimum: ${params.limit})`,
        );
        break;
      case 'maxLength':
        messages.push(
          `string ${JSON.stringify(data)} is too long (length: ${String(data).length}, maximum allowed: ${params.limit})`,
        );
        break;
      case 'minimum':
        messages.push(
          `numeric instance is lower than the required minimum (minimum: ${params.limit}, found: ${String(data)})`,
        );
        break;
      case 'maximum':
        messages.push(
          `numeric instance is greater than the required maximum (maximum: ${params.limit}, found: ${String(data)})`,
        );
        break;
      case 'pattern':
        messages.push(
          `ECMA 262 regex ${JSON.stringify(params.pattern)} does not match input string ${JSON.stringify(data)}`,
        );
        break;
      default:
        messages.push(`${error.instancePath || '/'} ${error.message ?? error.keyword}`);
    }
  }
  return messages.map((message) => {
    const items = grouped.get(message);
    if (!items) return message;
    return message.startsWith('required')
      ? `object has missing required properties (${JSON.stringify(items.sort())})`
      : `object instance has properties which are not allowed by the schema: ${JSON.stringify(items.sort())}`;
  });
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function modelUrl(apiId: string, name: string): string {
  return `https://apigateway.amazonaws.com/restapis/${apiId}/models/${name}`;
}

/** ajv-draft-04 reads `id`; a model's own id would clash with the URL it is registered under. */
function withoutId(schema: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(schema).filter(([key]) => key !== 'id'));
}
