/**
 * The errors a request can end in. One place (`http.ts`) maps them to responses: an `ApiError`
 * becomes its status with its message and details; anything else is a 500 whose body says nothing
 * about the cause.
 */

/** One problem with a request: where it is (`items.0.quantity`) and what is wrong with it. */
export interface FieldError {
  readonly path: string;
  readonly message: string;
}

export abstract class ApiError extends Error {
  abstract readonly statusCode: number;
  /** Extra fields of the response body, beside `message`. */
  readonly details: Record<string, unknown> = {};
}

/** 400: the request is malformed; `errors` says what and where. */
export class ValidationError extends ApiError {
  readonly statusCode = 400;
  constructor(
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
    this.name = 'ValidationError';
    this.details.errors = errors;
  }
}

/** 401: no valid identity where one is required. */
export class UnauthorizedError extends ApiError {
  readonly statusCode = 401;
  constructor(message = 'Sign in to do this') {
    super(message);
    this.name = 'UnauthorizedError';
  }
}

/** 403: the caller is known but may not do this. */
export class ForbiddenError extends ApiError {
  readonly statusCode = 403;
  constructor(message = 'You may not do this') {
    super(message);
    this.name = 'ForbiddenError';
  }
}

/** 404: no such resource, or not one the caller may see (the two are not told apart). */
export class NotFoundError extends ApiError {
  readonly statusCode = 404;
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

/** 409: the request contradicts the state it targets. */
export class ConflictError extends ApiError {
  readonly statusCode = 409;
  constructor(message: string) {
    super(message);
    this.name = 'ConflictError';
  }
}

/** 503: a dependency (such as the search engine) cannot answer now; the client may retry later. */
export class ServiceUnavailableError extends ApiError {
  readonly statusCode = 503;
  constructor(message = 'This is unavailable for a moment. Try again shortly.') {
    super(message);
    this.name = 'ServiceUnavailableError';
  }
}
