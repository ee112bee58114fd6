import { Compile, parse } from 'velocityjs';
import { atJsonPath } from './json-path';
import { headerValue } from './parameter-mapping';

/**
 * API Gateway mapping templates (Velocity), rendered with velocityjs and given what API Gateway
 * gives a template: `$input` (`body`, `json(path)`, `path(path)`, `params()`, `params(name)`),
 * `$util`, `$context` and `$stageVariables`.
 *
 * velocityjs does not understand Velocity's doubled-quote escape (`""`) inside strings; the
 * platform's templates avoid it (see infra/constructs/clickstream-ingest-templates.ts).
 */
export interface TemplateInput {
  /** The payload the template reads: the method request's body, or the integration's answer. */
  readonly body: string;
  readonly params: {
    readonly path: Readonly<Record<string, string>>;
    readonly querystring: Readonly<Record<string, string>>;
    readonly header: Readonly<Record<string, string>>;
  };
}

export interface TemplateVariables {
  readonly input: TemplateInput;
  readonly context: Readonly<Record<string, unknown>>;
  readonly stageVariables: Readonly<Record<string, string>> | null;
}

/** The payload is not JSON while the template reads it as JSON (`$input.path`, `$input.json`). */
export class PayloadNotJsonError extends Error {
  constructor(cause: unknown) {
    super(`Could not parse payload into json: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'PayloadNotJsonError';
  }
}

export type MappingTemplate = (variables: TemplateVariables) => string;

/** Parses a template once (a syntax error throws here, at gateway creation); renders it per request. */
export function compileMappingTemplate(text: string): MappingTemplate {
  const ast = parse(text);
  return (variables) =>
    new Compile(ast).render({
      input: templateInput(variables.input),
      util: UTIL,
      context: variables.context,
      stageVariables: variables.stageVariables ?? {},
    });
}

/**
 * The template of a content type among `templates` (keyed by content type), the way API Gateway
 * picks one: the exact media type, then `application/json`, then the first (when `fallback`).
 */
export function selectTemplate(
  templates: Readonly<Record<string, MappingTemplate>>,
  mediaTypes: readonly string[],
  fallback: boolean,
): [contentType: string, template: MappingTemplate] | undefined {
  for (const mediaType of mediaTypes) {
    const template = templates[mediaType];
    if (template) return [mediaType, template];
  }
  if (!fallback) return undefined;
  const entries = Object.entries(templates);
  return entries.find(([contentType]) => contentType === 'application/json') ?? entries[0];
}

/** `application/json; charset=utf-8` -> `application/json`. */
export function mediaTypeOf(contentType: string | undefined): string | undefined {
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  return mediaType === '' ? undefined : mediaType;
}

function templateInput(input: TemplateInput) {
  let parsed: { value: unknown } | undefined;
  const json = (): unknown => {
    if (!parsed) {
      try {
        parsed = { value: input.body.trim() === '' ? {} : JSON.parse(input.body) };
      } catch (error) {
        throw new PayloadNotJsonError(error);
      }
    }
    return parsed.value;
  };
  return {
    body: input.body,
    path: (path: string) => atJsonPath(json(), path) ?? null,
    json: (path: string) => JSON.stringify(atJsonPath(json(), path) ?? null),
    params: (name?: string) => {
      if (name === undefined) return input.params;
      return (
        input.params.path[name] ??
        input.params.querystring[name] ??
        headerValue(input.params.header, name) ??
        ''
      );
    },
  };
}

/**
 * `$util.escapeJavaScript` as API Gateway runs it (Apache Commons Lang `StringEscapeUtils`): `"`,
 * `\`, `/` and `'` escaped with a backslash, control characters as `\n`-style or `\u00XX` escapes,
 * every character above 0x7f as `\uXXXX` (each UTF-16 unit, upper-case hex).
 */
export function escapeJavaScript(text: unknown): string | null {
  if (text === null || text === undefined) return null;
  const value = String(text);
  const named: Record<number, string> = { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r' };
  let escaped = '';
  for (let i = 0; i < value.length; i++) {
    const character = value.charAt(i);
    const code = value.charCodeAt(i);
    const hex = code.toString(16).toUpperCase();
    if (code > 0x7f) escaped += `\\u${hex.padStart(4, '0')}`;
    else if (code < 0x20) escaped += named[code] ?? `\\u${hex.padStart(4, '0')}`;
    else if (`"'\\/`.includes(character)) escaped += `\\${character}`;
    else escaped += character;
  }
  return escaped;
}

/** `$util.urlEncode`: Java's `URLEncoder` (spaces as `+`; only `-_.*` and alphanumerics left as is). */
function urlEncode(text: unknown): string {
  return encodeURIComponent(String(text))
    .replace(/[!'()~]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

const UTIL = {
  escapeJavaScript,
  base64Encode: (text: unknown) => Buffer.from(String(text), 'utf8').toString('base64'),
  base64Decode: (text: unknown) => Buffer.from(String(text), 'base64').toString('utf8'),
  parseJson: (text: unknown) => JSON.parse(String(text)),
  urlEncode,
  urlDecode: (text: unknown) => decodeURIComponent(String(text).replace(/\+/g, ' ')),
};
