import { platformUnderTest } from './platform';
import type { TestUser } from './test-users';

const { apiUrl } = platformUnderTest();

export interface ApiRequest {
  readonly method?: string;
  /** Sent as JSON (unless a string, sent as is). */
  readonly body?: unknown;
  /** Signs the request in as this user (the ID token, as the storefront sends it). */
  readonly as?: TestUser;
  readonly headers?: Record<string, string>;
}

/** A request to the shop API; `path` is relative to its base URL, such as `orders?limit=5`. */
export function api(path: string, request: ApiRequest = {}): Promise<Response> {
  const headers: Record<string, string> = { ...request.headers };
  if (request.as) headers.authorization = request.as.idToken;
  let body: string | undefined;
  if (request.body !== undefined) {
    body = typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
    headers['content-type'] ??= 'application/json';
  }
  return fetch(new URL(path, apiUrl), { method: request.method ?? 'GET', headers, body });
}

/** The JSON body of a response, as the test reads it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const json = (response: Response): Promise<any> => response.json();
