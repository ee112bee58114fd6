import type {
  AuthenticationResultType,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { AuthError, authErrorFrom, type AuthOperation } from './auth-error';
import { passwordProblems } from './password-policy';

export { AuthError, type AuthErrorCode } from './auth-error';

/** The shopper the ID token names. */
export interface SignedInUser {
  /** The ID token's `sub`: the user's id in the pool, which the API keys orders by. */
  readonly userId: string;
  readonly email: string;
  /** The ID token's `cognito:groups`. */
  readonly groups: readonly string[];
  /** In the `admin` group: may see the admin pages (the API checks the group itself). */
  readonly isAdmin: boolean;
}

export interface CognitoSessionOptions {
  readonly region: string;
  readonly userPoolClientId: string;
  /** cognito-local's URL locally; absent in AWS */
  readonly endpoint?: string;
  /** @default localStorage */
  readonly storage?: Storage;
  /** @default Date.now */
  readonly now?: () => number;
}

/** The tokens of the signed-in shopper, as kept in storage. Their expiry is the ID token's `exp`. */
interface Tokens {
  readonly idToken: string;
  readonly accessToken: string;
  readonly refreshToken: string;
}

interface State {
  readonly tokens: Tokens;
  /** When the ID token expires, in milliseconds since the epoch. */
  readonly expiresAt: number;
  readonly user: SignedInUser;
}

type CognitoSdk = typeof import('@aws-sdk/client-cognito-identity-provider');

interface Cognito {
  readonly sdk: CognitoSdk;
  readonly client: CognitoIdentityProviderClient;
}

/** One key for the three tokens, so that another tab sees a sign-in or sign-out as one change. */
const STORAGE_KEY = 'shop.session';
const REFRESH_WITHIN_MS = 5 * 60_000;
const REQUEST_TIMEOUT_MS = 10_000;
const ADMIN_GROUP = 'admin';

/**
 * The shopper's Cognito session in the browser: sign-up, confirmation, sign-in with email and
 * password (USER_PASSWORD_AUTH: cognito-local has no SRP), and an ID token kept fresh for the API.
 *
 * The tokens live in `storage` under one key, so a reload stays signed in and a sign-in or
 * sign-out in another tab reaches this one. The AWS SDK is downloaded on first use only, in its
 * own chunk: browsing the shop never pays for it. Tokens are decoded, not verified: the API
 * verifies them.
 */
export class CognitoSession {
  private readonly options: CognitoSessionOptions;
  private readonly storage: Storage;
  private readonly now: () => number;
  private readonly listeners = new Set<() => void>();
  private state: State | undefined;
  private cognito: Promise<Cognito> | undefined;
  private refreshing: Promise<string | undefined> | undefined;

  constructor(options: CognitoSessionOptions) {
    this.options = options;
    this.storage = options.storage ?? localStorage;
    this.now = options.now ?? Date.now;
    this.state = readState(this.storage);
    if (typeof window !== 'undefined') {
      window.addEventListener('storage', (event) => {
        if (event.storageArea === this.storage && (event.key === STORAGE_KEY || event.key === null)) {
          this.use(readState(this.storage));
        }
      });
    }
  }

  /** For `useSyncExternalStore`: called when the signed-in user changes. */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  /** The signed-in user: the same object until the user (id, email or groups) changes. */
  readonly currentUser = (): SignedInUser | undefined => this.state?.user;

  /**
   * The ID token to send to the API, or undefined when nobody is signed in. A token that expires
   * within 5 minutes is refreshed first, once however many callers ask; a refresh token Cognito
   * refuses (revoked, expired) signs the shopper out.
   */
  async idToken(): Promise<string | undefined> {
    const state = this.state;
    if (!state) return undefined;
    if (state.expiresAt - this.now() > REFRESH_WITHIN_MS) return state.tokens.idToken;
    this.refreshing ??= this.refresh(state).finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  async signIn(email: string, password: string): Promise<SignedInUser> {
    const response = await this.send('sign-in', ({ sdk, client }) =>
      client.send(
        new sdk.InitiateAuthCommand({
          ClientId: this.options.userPoolClientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: email.trim(), PASSWORD: password },
        }),
      ),
    );
    if (response.ChallengeName) {
      // MFA or a new password: the storefront offers neither, so such an account cannot sign in here.
      throw new AuthError(
        'unknown',
        `This account needs a sign-in step the shop does not offer (${response.ChallengeName}).`,
      );
    }
    const state = stateFromResult(response.AuthenticationResult);
    this.save(state);
    return state.user;
  }

  /**
   * Creates the account, its username the email. A password that breaks the pool's policy is
   * refused before Cognito is asked (see password-policy.ts).
   */
  async signUp(email: string, password: string): Promise<{ readonly confirmed: boolean }> {
    const problems = passwordProblems(password);
    if (problems.length > 0) {
      const list = new Intl.ListFormat('en', { type: 'conjunction' }).format(problems);
      throw new AuthError('invalid-password', `Choose a stronger password: it needs ${list}.`);
    }
    const username = email.trim();
    const { UserConfirmed } = await this.send('sign-up', ({ sdk, client }) =>
      client.send(
        new sdk.SignUpCommand({
          ClientId: this.options.userPoolClientId,
          Username: username,
          Password: password,
          UserAttributes: [{ Name: 'email', Value: username }],
        }),
      ),
    );
    return { confirmed: UserConfirmed === true };
  }

  async confirmSignUp(email: string, code: string): Promise<void> {
    await this.send('confirm', ({ sdk, client }) =>
      client.send(
        new sdk.ConfirmSignUpCommand({
          ClientId: this.options.userPoolClientId,
          Username: email.trim(),
          ConfirmationCode: code.trim(),
        }),
      ),
    );
  }

  async resendConfirmationCode(email: string): Promise<void> {
    await this.send('resend', ({ sdk, client }) =>
      client.send(
        new sdk.ResendConfirmationCodeCommand({
          ClientId: this.options.userPoolClientId,
          Username: email.trim(),
        }),
      ),
    );
  }

  /**
   * Signs out at once (storage and listeners), then revokes the refresh token so that a copy of it
   * cannot sign in again. The revocation is best-effort: if it fails, the token expires on its own.
   */
  async signOut(): Promise<void> {
    const state = this.state;
    this.forget();
    if (!state) return;
    try {
      await this.send('sign-out', ({ sdk, client }) =>
        client.send(
          new sdk.RevokeTokenCommand({
            ClientId: this.options.userPoolClientId,
            Token: state.tokens.refreshToken,
          }),
        ),
      );
    } catch {
      // Signed out in this browser all the same.
    }
  }

  private async refresh(from: State): Promise<string | undefined> {
    let state: State;
    try {
      state = await this.refreshed(from.tokens);
    } catch (error) {
      // Signed out, or in as someone else, meanwhile (here or in another tab): that session stands.
      if (this.state !== from) return this.state?.tokens.idToken;
      if (error instanceof AuthError && error.code === 'invalid-credentials') {
        this.forget();
        return undefined;
      }
      // Cognito unreachable: the token still works for a few minutes, and the next call tries again.
      if (from.expiresAt > this.now()) return from.tokens.idToken;
      throw error;
    }
    if (this.state !== from) return this.state?.tokens.idToken;
    this.save(state);
    return state.tokens.idToken;
  }

  /** New ID and access tokens for these tokens' refresh token (REFRESH_TOKEN_AUTH). */
  private async refreshed(tokens: Tokens): Promise<State> {
    const { AuthenticationResult } = await this.send('refresh', ({ sdk, client }) =>
      client.send(
        new sdk.InitiateAuthCommand({
          ClientId: this.options.userPoolClientId,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: tokens.refreshToken },
        }),
      ),
    );
    return stateFromResult(AuthenticationResult, tokens.refreshToken);
  }

  /** Runs a Cognito call, mapping what it throws to an `AuthError`. */
  private async send<T>(operation: AuthOperation, call: (cognito: Cognito) => Promise<T>): Promise<T> {
    try {
      return await call(await this.loadCognito());
    } catch (error) {
      throw authErrorFrom(error, operation);
    }
  }

  /**
   * The SDK and its client, loaded once. Every call made here is one of the user pool's public
   * operations, which the SDK sends unsigned (`smithy.api#noAuth`): no credentials are resolved.
   */
  private loadCognito(): Promise<Cognito> {
    if (!this.cognito) {
      const { region, endpoint } = this.options;
      const loading = import('@aws-sdk/client-cognito-identity-provider').then((sdk) => ({
        sdk,
        client: new sdk.CognitoIdentityProviderClient({
          region,
          ...(endpoint !== undefined && { endpoint }),
          requestHandler: { requestTimeout: REQUEST_TIMEOUT_MS },
        }),
      }));
      // A download that failed (offline, or a new deployment removed the chunk) is tried again next time.
      loading.catch(() => {
        if (this.cognito === loading) this.cognito = undefined;
      });
      this.cognito = loading;
    }
    return this.cognito;
  }

  private save(state: State): void {
    try {
      this.storage.setItem(STORAGE_KEY, JSON.stringify(state.tokens));
    } catch {
      // Storage full or refused (private browsing): signed in for this page only.
    }
    this.use(state);
  }

  private forget(): void {
    this.storage.removeItem(STORAGE_KEY);
    this.use(undefined);
  }

  /** Makes `state` current, keeping the user object (and not notifying) when the user is the same. */
  private use(state: State | undefined): void {
    const previous = this.state?.user;
    if (state && previous && sameUser(previous, state.user)) {
      this.state = { ...state, user: previous };
      return;
    }
    this.state = state;
    if (state?.user === previous) return;
    for (const listener of this.listeners) listener();
  }
}

function readState(storage: Storage): State | undefined {
  const stored = storage.getItem(STORAGE_KEY);
  if (stored === null) return undefined;
  try {
    const { idToken, accessToken, refreshToken } = JSON.parse(stored) as Partial<
      Record<keyof Tokens, unknown>
    >;
    if (typeof idToken === 'string' && typeof accessToken === 'string' && typeof refreshToken === 'string') {
      return stateOf({ idToken, accessToken, refreshToken });
    }
  } catch {
    // Not JSON: not a session.
  }
  return undefined;
}

/**
 * The state of what Cognito's InitiateAuth returned. A refresh returns no refresh token (unless the
 * client rotates them): the one it was given stays.
 */
function stateFromResult(result: AuthenticationResultType | undefined, refreshToken?: string): State {
  const { IdToken, AccessToken, RefreshToken = refreshToken } = result ?? {};
  const state =
    IdToken && AccessToken && RefreshToken
      ? stateOf({ idToken: IdToken, accessToken: AccessToken, refreshToken: RefreshToken })
      : undefined;
  if (!state) throw new AuthError('unknown');
  return state;
}

/** The state of these tokens, or undefined when the ID token lacks what the storefront needs. */
function stateOf(tokens: Tokens): State | undefined {
  const claims = claimsOf(tokens.idToken);
  const { sub, email, exp } = claims ?? {};
  const groups = claims?.['cognito:groups'] ?? [];
  if (typeof sub !== 'string' || typeof email !== 'string' || typeof exp !== 'number') return undefined;
  if (!Array.isArray(groups) || !groups.every((group) => typeof group === 'string')) return undefined;
  return {
    tokens,
    expiresAt: exp * 1000,
    user: { userId: sub, email, groups, isAdmin: groups.includes(ADMIN_GROUP) },
  };
}

/** The payload of a JWT (base64url JSON, UTF-8), unverified. */
function claimsOf(token: string): Record<string, unknown> | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const binary = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const claims: unknown = JSON.parse(
      new TextDecoder().decode(Uint8Array.from(binary, (char) => char.charCodeAt(0))),
    );
    return typeof claims === 'object' && claims !== null ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function sameUser(a: SignedInUser, b: SignedInUser): boolean {
  return (
    a.userId === b.userId &&
    a.email === b.email &&
    a.groups.length === b.groups.length &&
    a.groups.every((group, index) => group === b.groups[index])
  );
}
