import type * as http from 'node:http';

/** API Gateway's payload limit for REST APIs. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** A request as the gateway works with it: read once, headers in the case the client sent them. */
export interface GatewayRequest {
  readonly httpMethod: string;
  /** The path below the base path, as sent (percent-encoded), starting with `/`. */
  readonly path: string;
  /** Last value of each header (API Gateway REST keeps the last), names as sent. */
  readonly headers: Readonly<Record<string, string>>;
  readonly multiValueHeaders: Readonly<Record<string, readonly string[]>>;
  /** Last value of each query string parameter, decoded. */
  readonly query: Readonly<Record<string, string>>;
  readonly multiValueQuery: Readonly<Record<string, readonly string[]>>;
  readonly body: Buffer;
  /** More than `MAX_BODY_BYTES` was sent: the body is empty, the request is answered with a 413. */
  readonly tooLarge: boolean;
  readonly sourceIp: string;
  readonly host: string;
}

/** Reads `request`, whose path below `basePath` is `path` (with its query string). */
export async function readGatewayRequest(
  request: http.IncomingMessage,
  pathAndQuery: string,
): Promise<GatewayRequest> {
  const queryStart = pathAndQuery.indexOf('?');
  const path = queryStart < 0 ? pathAndQuery : pathAndQuery.slice(0, queryStart);
  const rawQuery = queryStart < 0 ? '' : pathAndQuery.slice(queryStart + 1);
  const multiValueHeaders: Record<string, string[]> = {};
  const names = new Map<string, string>();
  for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) {
    const [sent = '', value = ''] = request.rawHeaders.slice(i, i + 2);
    // One entry per header whatever the case of each occurrence: the first spelling wins.
    const name = names.get(sent.toLowerCase()) ?? sent;
    names.set(sent.toLowerCase(), name);
    (multiValueHeaders[name] ??= []).push(value);
  }
  const multiValueQuery = parseQuery(rawQuery);
  const { body, tooLarge } = await readBody(request);
  return {
    httpMethod: (request.method ?? 'GET').toUpperCase(),
    path: path === '' ? '/' : path,
    headers: lastValues(multiValueHeaders),
    multiValueHeaders,
    query: lastValues(multiValueQuery),
    multiValueQuery,
    body,
    tooLarge,
    sourceIp: (request.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
    host: request.headers.host ?? 'localhost',
  };
}

/** `a=1&a=2&b` -> `{ a: ['1', '2'], b: [''] }`; `+` stays a `+`, as in API Gateway REST. */
function parseQuery(rawQuery: string): Record<string, string[]> {
  const parameters: Record<string, string[]> = {};
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const name = decode(equals < 0 ? pair : pair.slice(0, equals));
    const value = equals < 0 ? '' : decode(pair.slice(equals + 1));
    (parameters[name] ??= []).push(value);
  }
  return parameters;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function lastValues(multi: Record<string, readonly string[]>): Record<string, string> {
  return Object.fromEntries(Object.entries(multi).map(([name, values]) => [name, values.at(-1) ?? '']));
}

/** The body, or `tooLarge` (and the rest discarded) beyond `MAX_BODY_BYTES`. */
async function readBody(request: http.IncomingMessage): Promise<{ body: Buffer; tooLarge: boolean }> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) {
    request.resume();
    return { body: Buffer.alloc(0), tooLarge: true };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  return size > MAX_BODY_BYTES
    ? { body: Buffer.alloc(0), tooLarge: true }
    : { body: Buffer.concat(chunks), tooLarge: false };
}
