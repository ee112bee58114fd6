import { ValidationError } from './errors';

/**
 * Opaque page tokens: a DynamoDB `LastEvaluatedKey` (or any JSON position) as base64url. A token
 * that does not decode is the client's mistake, a 400.
 */
export function encodePageToken(position: Record<string, unknown> | undefined): string | undefined {
  return position ? Buffer.from(JSON.stringify(position), 'utf8').toString('base64url') : undefined;
}

export function decodePageToken(token: string | undefined): Record<string, unknown> | undefined {
  if (token === undefined) return undefined;
  try {
    const position: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (position !== null && typeof position === 'object' && !Array.isArray(position)) {
      return position as Record<string, unknown>;
    }
  } catch {
    // reported below
  }
  throw new ValidationError('Invalid nextToken', [
    { path: 'nextToken', message: 'not a token this API issued' },
  ]);
}
