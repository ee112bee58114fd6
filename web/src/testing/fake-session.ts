import type { CognitoSession, SignedInUser } from '../auth/cognito-session';

/**
 * A `CognitoSession` for component tests, with no Cognito behind it. Its methods are jest mocks
 * that succeed: `signIn` signs in a shopper with that email, `signUp` answers confirmed, `signOut`
 * signs out. Make one fail with `session.signIn.mockRejectedValueOnce(new AuthError(...))`.
 */
export class FakeSession {
  private user: SignedInUser | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(user?: SignedInUser) {
    this.user = user;
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  readonly currentUser = (): SignedInUser | undefined => this.user;

  readonly idToken = jest.fn(async (): Promise<string | undefined> => (this.user ? 'id-token' : undefined));

  readonly signIn = jest.fn(async (email: string, _password: string): Promise<SignedInUser> => {
    const user = { userId: `user-of-${email}`, email, groups: [], isAdmin: false };
    this.setUser(user);
    return user;
  });

  readonly signUp = jest.fn(
    async (_email: string, _password: string): Promise<{ readonly confirmed: boolean }> => ({
      confirmed: true,
    }),
  );

  readonly confirmSignUp = jest.fn(async (_email: string, _code: string): Promise<void> => {});

  readonly resendConfirmationCode = jest.fn(async (_email: string): Promise<void> => {});

  readonly signOut = jest.fn(async (): Promise<void> => this.setUser(undefined));

  /** Signs this user in, or out, and tells the subscribers: what another tab's sign-in would do. */
  setUser(user: SignedInUser | undefined): void {
    this.user = user;
    for (const listener of this.listeners) listener();
  }

  /** This fake where a `CognitoSession` is wanted. */
  asSession(): CognitoSession {
    return this as unknown as CognitoSession;
  }
}
