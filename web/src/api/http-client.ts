import { ApiError, apiErrorFrom, fallbackMessage } from './api-error';

export interface JsonRequest {
  readonly method?: 'GET' | 'POST';
  /** Sent as JSON. */
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  /** Query parameters; undefined values are left out. */
  readonly query?: Record<string, string | number | undefined>;
  /** @default 10 seconds */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** The request outlives the page (sent as the page is hidden). @default false */
  readonly keepalive?: boolean;
}

export interface JsonResponse<T> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

/**
 * Sends one request to the shop API and reads its JSON answer. Any failure is an `ApiError` with a
 * readable message: the network, a timeout, or a non-2xx answer (its body's message, for a 4xx).
 */
export async function requestJson<T>(url: URL, request: JsonRequest = {}): Promise<JsonResponse<T>> {
  for (const [name, value] of Object.entries(request.query ?? {})) {
    if (value !== undefined && value !== '') url.searchParams.set(name, String(value));
  }
  const signals = [
    AbortSignal.timeout(request.timeoutMs ?? 10_000),
    ...(request.signal ? [request.signal] : []),
  ];
  let response: Response;
  try {
    response = await fetch(url, {
      method: request.method ?? 'GET',
      headers: {
        accept: 'application/json',
        ...(request.body !== undefined && { 'content-type': 'application/json' }),
        ...request.headers,
      },
      ...(request.body !== undefined && { body: JSON.stringify(request.body) }),
      signal: AbortSignal.any(signals),
      ...(request.keepalive && { keepalive: true }),
    });
  } catch (error) {
    if (request.signal?.aborted) throw error;
    throw new ApiError(fallbackMessage(0), 0);
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) throw apiErrorFrom(response.status, body);
  return { status: response.status, headers: response.headers, body: body as T };
}
