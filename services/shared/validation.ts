import type { z } from 'zod';
import { ValidationError, type FieldError } from './errors';

/** `items.0.quantity`-style paths, `(body)` for the whole value. */
export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    path: issue.path.length > 0 ? issue.path.map(String).join('.') : '(body)',
    message: issue.message,
  }));
}

/** Validates `value` against `schema`, or throws a 400 that lists every problem. */
export function parseWith<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new ValidationError(`Invalid ${what}`, fieldErrors(result.error));
  }
  return result.data;
}

/**
 * The JSON body of a request, within a size limit, validated by `schema`.
 * @throws ValidationError when the body is missing, too large, not JSON, or not valid.
 */
export function parseJsonBody<T extends z.ZodType>(
  body: string | null | undefined,
  isBase64Encoded: boolean,
  schema: T,
  maxBytes: number,
): z.infer<T> {
  if (!body)
    throw new ValidationError('The request needs a JSON body', [{ path: '(body)', message: 'missing' }]);
  const text = isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
  const size = Buffer.byteLength(text, 'utf8');
  if (size > maxBytes) {
    throw new ValidationError('The request body is too large', [
      { path: '(body)', message: `${size} bytes, at most ${maxBytes} allowed` },
    ]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ValidationError('The request body is not valid JSON', [
      { path: '(body)', message: 'invalid JSON' },
    ]);
  }
  return parseWith(schema, json, 'request body');
}
