import { JwtVerifier } from 'aws-jwt-verify';
import {
  FetchError,
  JwkValidationError,
  JwksNotAvailableInCacheError,
  JwksValidationError,
  JwtBaseError,
} from 'aws-jwt-verify/error';
import type { Fetcher } from 'aws-jwt-verify/https';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';

/** How long fetching the user pool's keys may take. */
export const JWKS_FETCH_TIMEOUT_MS = 2_000;

/** The token is not a valid ID token of the user pool for the web client: the caller's fault. */
export class InvalidIdTokenError extends Error {
  constructor(reason: string, options?: { cause?: unknown }) {
    super(reason, options);
    this.name = 'InvalidIdTokenError';
  }
}

/** The token could not be checked (the pool's keys could not be read): not the caller's fault. */
export class IdTokenVerificationUnavailableError extends Error {
  constructor(reason: string, options?: { cause?: unknown }) {
    super(reason, options);
    this.name = 'IdTokenVerificationUnavailableError';
  }
}

export interface IdTokenVerifierProps {
  /**
   * The user pool's issuer (its ProviderURL): `https://cognito-idp.<region>.amazonaws.com/<poolId>`
   * in AWS, `http://127.0.0.1:<port>/<poolId>` from cognito-local.
   */
  readonly issuer: string;
  /** The app client the tokens must be issued to (their `aud`). */
  readonly clientId: string;
  /** @default globalThis.fetch */
  readonly fetch?: typeof globalThis.fetch;
}

/**
 * Verifies Cognito ID tokens itself, for routes where API Gateway lets anonymous callers through
 * and so checks no token: the signature against the pool's keys (`<issuer>/.well-known/jwks.json`,
 * fetched once and again only for an unknown key id), the issuer, the audience, `token_use: id`,
 * and expiry. aws-jwt-verify's own fetcher speaks https only; this one uses `fetch`, so cognito-local's
 * http issuer works the same way as Cognito's.
 */
export class IdTokenVerifier {
  private readonly verifier;

  constructor(props: IdTokenVerifierProps) {
    const issuer = props.issuer.replace(/\/+$/, '');
    const fetchFunction = props.fetch ?? globalThis.fetch;
    const fetcher: Fetcher = {
      fetch: async (uri) => {
        let response: Response;
        try {
          response = await fetchFunction(uri, { signal: AbortSignal.timeout(JWKS_FETCH_TIMEOUT_MS) });
        } catch (error) {
          throw new FetchError(uri, (error as Error).message);
        }
        if (!response.ok) throw new FetchError(uri, `HTTP ${response.status}`);
        return response.arrayBuffer();
      },
    };
    this.verifier = JwtVerifier.create(
      {
        issuer,
        audience: props.clientId,
        jwksUri: `${issuer}/.well-known/jwks.json`,
        customJwtCheck: ({ payload }) => {
          if (payload.token_use !== 'id')
            throw new NotAnIdTokenError(`token_use is ${String(payload.token_use)}`);
          if (typeof payload.sub !== 'string' || payload.sub === '') throw new NotAnIdTokenError('no sub');
        },
      },
      { jwksCache: new SimpleJwksCache({ fetcher }) },
    );
  }

  /**
   * The shopper the token identifies (its `sub`).
   * @throws InvalidIdTokenError when it is not a valid, unexpired ID token of the pool and client.
   * @throws IdTokenVerificationUnavailableError when the pool's keys cannot be read.
   */
  async verify(token: string): Promise<{ readonly userId: string }> {
    try {
      const payload = await this.verifier.verify(token);
      return { userId: String(payload.sub) };
    } catch (error) {
      if (isOurFault(error)) {
        throw new IdTokenVerificationUnavailableError(
          `cannot read the user pool's keys: ${(error as Error).message}`,
          {
            cause: error,
          },
        );
      }
      if (error instanceof JwtBaseError || error instanceof NotAnIdTokenError) {
        throw new InvalidIdTokenError(error.message, { cause: error });
      }
      throw error;
    }
  }
}

class NotAnIdTokenError extends Error {}

/** Failures to get or read the pool's keys, as opposed to something wrong with the token. */
function isOurFault(error: unknown): boolean {
  return (
    error instanceof FetchError ||
    error instanceof JwksValidationError ||
    error instanceof JwkValidationError ||
    error instanceof JwksNotAvailableInCacheError
  );
}
