/** What went wrong with a request, in words a shopper can read, with the HTTP status if one came. */
export class ApiError extends Error {
  constructor(
    message: string,
    /** 0 when the API could not be reached at all. */
    readonly status: number,
    /** The API's request id, to quote to support. */
    readonly requestId?: string,
    /** Field-by-field problems of a 400. */
    readonly fieldErrors: readonly FieldError[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The request may succeed if sent again: the network failed, or the API is busy or down. */
  get retryable(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

export interface FieldError {
  readonly path: string;
  readonly message: string;
}

/** The message shown for an answer with no usable body, by status. */
export function fallbackMessage(status: number): string {
  if (status === 0) return 'The shop could not be reached. Check your connection and try again.';
  if (status === 401) return 'Please sign in again.';
  if (status === 403) return 'You do not have access to this page.';
  if (status === 404) return 'We could not find what you asked for.';
  if (status === 429) return 'The shop is very busy. Try again in a moment.';
  if (status >= 500) return 'Something went wrong on our side. Try again later.';
  return `The request failed (HTTP ${status}).`;
}

/** Builds the error of a failed answer from the API's JSON body (`{ message, errors?, requestId? }`). */
export function apiErrorFrom(status: number, body: unknown): ApiError {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  // A 5xx message is generic by design; anything else the API says is meant for the client.
  const message =
    status < 500 && typeof record.message === 'string' && record.message
      ? record.message
      : fallbackMessage(status);
  const fieldErrors = Array.isArray(record.errors)
    ? record.errors.filter(
        (error): error is FieldError =>
          typeof error === 'object' && error !== null && typeof error.message === 'string',
      )
    : [];
  const requestId = typeof record.requestId === 'string' ? record.requestId : undefined;
  return new ApiError(message, status, requestId, fieldErrors);
}
