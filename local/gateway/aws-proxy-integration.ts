import { z } from 'zod';
import { GatewayError, type GatewayAnswer } from './gateway-responses';
import type { FunctionId } from './integration-definition';

/** How the platform invokes a function: its result as Lambda gives it (the parsed JSON payload). */
export type InvokeFunction = (
  fn: FunctionId,
  event: unknown,
) => Promise<
  { ok: true; payload: unknown } | { ok: false; errorType: string; errorMessage: string; timedOut?: boolean }
>;

const headerValue = z.union([z.string(), z.number(), z.boolean()]);

/** The answer a proxy integration's function must give; anything else is a 502 in API Gateway. */
const proxyResult = z.object({
  statusCode: z.union([z.number().int(), z.string().regex(/^\d{3}$/)]),
  headers: z.record(z.string(), headerValue).nullish(),
  multiValueHeaders: z.record(z.string(), z.array(headerValue)).nullish(),
  body: z.string().nullish(),
  isBase64Encoded: z.boolean().nullish(),
});

/**
 * A Lambda proxy integration: the function gets the proxy event and its answer is the response.
 * A function error, or an answer of the wrong shape, is API Gateway's 502 "Internal server error";
 * no answer within the integration timeout is a 504 "Endpoint request timed out".
 */
export async function invokeProxyIntegration(
  invoke: InvokeFunction,
  fn: FunctionId,
  event: unknown,
  timeoutMs: number,
): Promise<GatewayAnswer> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new GatewayError('INTEGRATION_TIMEOUT', 'Endpoint request timed out')),
      timeoutMs,
    );
  });
  const result = await Promise.race([invoke(fn, event), timeout]).finally(() => clearTimeout(timer));
  const failed = (cause: string) =>
    new GatewayError('DEFAULT_5XX', 'Internal server error', {
      statusCode: 502,
      cause: new Error(`${fn.stackName}/${fn.logicalId}: ${cause}`),
    });
  if (!result.ok) {
    const timedOut = result.timedOut ? ' (timed out)' : '';
    throw failed(`function error${timedOut}: ${result.errorType}: ${result.errorMessage}`);
  }
  const parsed = proxyResult.safeParse(result.payload);
  if (!parsed.success) {
    throw failed(
      `malformed Lambda proxy response (${parsed.error.issues.map((issue) => `${issue.path.join('.') || 'payload'}: ${issue.message}`).join('; ')})`,
    );
  }
  return proxyAnswer(parsed.data);
}

function proxyAnswer(result: z.infer<typeof proxyResult>): GatewayAnswer {
  // Both maps merge; a header in multiValueHeaders replaces the same header in headers.
  const headers: Record<string, string[]> = {};
  const names = new Map<string, string>();
  const add = (name: string, values: readonly (string | number | boolean)[]) => {
    const key = names.get(name.toLowerCase()) ?? name;
    names.set(name.toLowerCase(), key);
    headers[key] = values.map(String);
  };
  for (const [name, value] of Object.entries(result.headers ?? {})) add(name, [value]);
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) add(name, values);
  if (!names.has('content-type')) headers['Content-Type'] = ['application/json'];
  const body = result.body ?? '';
  return {
    statusCode: Number(result.statusCode),
    headers: Object.fromEntries(
      Object.entries(headers).map(([name, values]) => [
        name,
        values.length === 1 ? (values[0] ?? '') : values,
      ]),
    ),
    body: result.isBase64Encoded ? Buffer.from(body, 'base64') : body,
  };
}
