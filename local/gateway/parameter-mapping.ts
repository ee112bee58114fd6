import { atJsonPath } from './json-path';

/**
 * API Gateway's parameter mapping expressions, the values of `RequestParameters`,
 * `ResponseParameters` and gateway response parameters: `'literal'`, `method.request.header.X`,
 * `method.request.querystring.X`, `method.request.path.X`, `method.request.body[.JSONPath]`,
 * `integration.response.header.X`, `integration.response.body[.JSONPath]`, `context.a.b` and
 * `stageVariables.X`.
 */
export interface MappingSources {
  readonly method: {
    readonly headers: Readonly<Record<string, string>>;
    readonly query: Readonly<Record<string, string>>;
    readonly path: Readonly<Record<string, string>>;
    readonly body: string;
  };
  readonly context: Readonly<Record<string, unknown>>;
  readonly stageVariables: Readonly<Record<string, string>> | null;
  /** Only in integration responses. */
  readonly integrationResponse?: {
    readonly headers: Readonly<Record<string, string>>;
    readonly body: string;
  };
}

/** Gives the value of an expression for one request, or `undefined` when its source is absent. */
export type Mapping = (sources: MappingSources) => string | undefined;

/** Compiles a mapping expression; throws an `Error` saying what is not understood. */
export function compileMapping(expression: string): Mapping {
  const literal = /^'(.*)'$/s.exec(expression);
  if (literal) {
    const value = literal[1] ?? '';
    return () => value;
  }
  const parameter =
    /^method\.request\.(header|querystring|path|multivalueheader|multivaluequerystring)\.(.+)$/.exec(
      expression,
    );
  if (parameter) {
    const [, location, name] = parameter as unknown as [string, string, string];
    return ({ method }) => {
      if (location.endsWith('header')) return headerValue(method.headers, name);
      return location.endsWith('querystring') ? method.query[name] : method.path[name];
    };
  }
  const methodBody = /^method\.request\.body(?:\.(.+))?$/.exec(expression);
  if (methodBody) {
    const path = methodBody[1];
    return ({ method }) => bodyValue(method.body, path);
  }
  const responseHeader = /^integration\.response\.(?:multivalue)?header\.(.+)$/.exec(expression);
  if (responseHeader) {
    const name = responseHeader[1] ?? '';
    return ({ integrationResponse }) => integrationResponse && headerValue(integrationResponse.headers, name);
  }
  const responseBody = /^integration\.response\.body(?:\.(.+))?$/.exec(expression);
  if (responseBody) {
    const path = responseBody[1];
    return ({ integrationResponse }) => integrationResponse && bodyValue(integrationResponse.body, path);
  }
  const stageVariable = /^stageVariables\.(.+)$/.exec(expression);
  if (stageVariable) {
    const name = stageVariable[1] ?? '';
    return ({ stageVariables }) => stageVariables?.[name];
  }
  const context = /^context\.([\w.]+)$/.exec(expression);
  if (context) {
    const steps = (context[1] ?? '').split('.');
    return (sources) => {
      const value = steps.reduce<unknown>(
        (node, step) =>
          node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[step] : undefined,
        sources.context,
      );
      return value === undefined || value === null ? undefined : String(value);
    };
  }
  throw new Error(`the mapping expression ${JSON.stringify(expression)} is not understood`);
}

/** A header's value, whatever the case of its name. */
export function headerValue(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

function bodyValue(body: string, path: string | undefined): string | undefined {
  if (path === undefined) return body;
  try {
    const value = atJsonPath(JSON.parse(body), `$.${path}`);
    if (value === undefined) return undefined;
    return typeof value === 'string' ? value : JSON.stringify(value);
  } catch {
    return undefined;
  }
}
