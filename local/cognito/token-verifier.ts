import { JwtVerifier } from 'aws-jwt-verify';
import { JwtBaseError } from 'aws-jwt-verify/error';
import type { Jwks } from 'aws-jwt-verify/jwk';
import { decomposeUnverifiedJwt, type DecomposedJwt } from 'aws-jwt-verify/jwt';
import type { LocalUserPool } from './user-pools';

/** What API Gateway's Cognito user pool authorizer does with a token, locally. */
export interface CognitoTokenVerifier {
  /**
   * The claims of `token` when it is a valid ID token of one of the pools `userPoolArns` names
   * (an authorizer's `ProviderARNs`) for one of the pool's clients; `undefined` otherwise. Throws
   * when an ARN names no local pool (a wiring mistake, not a bad token) or the JWKS cannot be read.
   */
  verifyCognitoToken(
    userPoolArns: readonly string[],
    token: string,
  ): Promise<Record<string, unknown> | undefined>;
}

/** At most one JWKS fetch per pool in this period for tokens with an unknown key id. */
const REFETCH_AFTER_MS = 60_000;

/** A well-signed token that API Gateway's Cognito authorizer would still refuse. */
class NotAnIdTokenError extends Error {}

/**
 * Verifies ID tokens of the local user pools as API Gateway's Cognito authorizer does: signature
 * (RS256, against the pool's JWKS, fetched from cognito-local at `endpoint` and cached; fetched
 * again, at most once a minute, for an unknown key id), issuer, `token_use` `id`, audience (one of
 * the pool's clients) and expiry.
 */
export function createCognitoTokenVerifier(
  pools: readonly LocalUserPool[],
  endpoint: string,
): CognitoTokenVerifier {
  const poolsByArn = new Map(pools.map((pool) => [pool.arn, pool]));
  const keys = new Map<string, PoolKeys>();
  const keysOf = (pool: LocalUserPool): PoolKeys => {
    let poolKeys = keys.get(pool.userPoolId);
    if (!poolKeys) {
      poolKeys = new PoolKeys(pool, `${endpoint}/${pool.userPoolId}/.well-known/jwks.json`);
      keys.set(pool.userPoolId, poolKeys);
    }
    return poolKeys;
  };

  return {
    async verifyCognitoToken(userPoolArns, token) {
      const allowed = userPoolArns.map((arn) => {
        const pool = poolsByArn.get(arn);
        if (!pool) {
          throw new Error(
            `${arn} is not a user pool of the local platform (its pools: ${[...poolsByArn.keys()].join(', ') || 'none'})`,
          );
        }
        return pool;
      });
      let decomposed: DecomposedJwt;
      try {
        decomposed = decomposeUnverifiedJwt(token);
      } catch {
        return undefined;
      }
      const pool = allowed.find((candidate) => candidate.issuer === decomposed.payload.iss);
      if (!pool) return undefined;
      return keysOf(pool).verify(token, decomposed);
    },
  };
}

/** One pool's verifier and the JWKS it was given. */
class PoolKeys {
  private readonly verifier;
  private keyIds: ReadonlySet<string> | undefined;
  private loading: Promise<void> | undefined;
  private lastFetch = 0;

  constructor(
    private readonly pool: LocalUserPool,
    private readonly jwksUri: string,
  ) {
    // CognitoJwtVerifier only knows the https://cognito-idp.<region>.amazonaws.com issuer: the
    // generic verifier takes cognito-local's http issuer and the token_use check is done here.
    this.verifier = JwtVerifier.create({
      issuer: pool.issuer,
      audience: pool.clients.map((client) => client.clientId),
      jwksUri,
      customJwtCheck: ({ payload }) => {
        if (payload.token_use !== 'id') throw new NotAnIdTokenError(`token_use is ${payload.token_use}`);
        if (typeof payload.exp !== 'number') throw new NotAnIdTokenError('the token never expires');
      },
    });
  }

  async verify(token: string, decomposed: DecomposedJwt): Promise<Record<string, unknown> | undefined> {
    const keyId = decomposed.header.kid;
    if (
      !this.keyIds ||
      (keyId && !this.keyIds.has(keyId) && Date.now() - this.lastFetch > REFETCH_AFTER_MS)
    ) {
      await this.fetchJwks();
    }
    if (!keyId || !this.keyIds?.has(keyId)) return undefined;
    try {
      return this.verifier.verifySync(token) as Record<string, unknown>;
    } catch (error) {
      if (error instanceof JwtBaseError || error instanceof NotAnIdTokenError) return undefined;
      throw error;
    }
  }

  /** aws-jwt-verify fetches over https only: the JWKS is fetched here and handed over. */
  private fetchJwks(): Promise<void> {
    this.loading ??= (async () => {
      try {
        this.lastFetch = Date.now();
        const response = await fetch(this.jwksUri);
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const jwks = (await response.json()) as Jwks;
        this.verifier.cacheJwks(jwks);
        this.keyIds = new Set(jwks.keys.flatMap((key) => (key.kid ? [key.kid] : [])));
      } catch (error) {
        throw new Error(
          `cannot read the keys of user pool ${this.pool.userPoolId} from ${this.jwksUri}: ${(error as Error).message}`,
          { cause: error },
        );
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }
}
