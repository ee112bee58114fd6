/** @jest-environment node */
import {
  AdminAddUserToGroupCommand,
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  type CreateUserPoolClientCommandInput,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { MemoryStorage } from '../testing/memory-storage';
import { AuthError, CognitoSession, type SignedInUser } from './cognito-session';
import { PASSWORD_POLICY } from './password-policy';

// Node code, loaded with its types restated: the web tsconfig has no Node types (they would leak into
// the storefront's code), so it must not compile local/, infra/ or node:*.
const fs = jest.requireActual<{
  mkdtempSync(prefix: string): string;
  readFileSync(file: string, encoding: 'utf8'): string;
  rmSync(path: string, options: { recursive: true; force: true }): void;
}>('node:fs');
const { tmpdir } = jest.requireActual<{ tmpdir(): string }>('node:os');
const { startCognitoLocal } = jest.requireActual<{
  startCognitoLocal(options: {
    directory: string;
    preSignUp?: 'auto-confirm';
  }): Promise<{ endpoint: string; stop(): Promise<void> }>;
}>('../../../local/cognito/cognito-local');
const cdk = jest.requireActual<{ App: new () => object; Stack: new (scope: object, id: string) => object }>(
  'aws-cdk-lib',
);
const { Template } = jest.requireActual<{
  Template: { fromStack(stack: object): { toJSON(): { Resources: Record<string, CfnResource> } } };
}>('aws-cdk-lib/assertions');
const { ShopperIdentity } = jest.requireActual<{
  ShopperIdentity: new (scope: object, id: string, props: object) => object;
}>('../../../infra/constructs/shopper-identity');

interface CfnResource {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
}

const REGION = 'us-east-1';
const PASSWORD = 'Correct-horse-1';

/** The shopper user pool and its web client as the platform declares them (infra/constructs/shopper-identity.ts). */
function declaredIdentity(): { pool: Record<string, unknown>; client: Record<string, unknown> } {
  const stack = new cdk.Stack(new cdk.App(), 'Identity');
  new ShopperIdentity(stack, 'ShopperIdentity', { removalPolicy: 'destroy', deletionProtection: false });
  const resources = Object.values(Template.fromStack(stack).toJSON().Resources);
  const properties = (type: string) => resources.find((resource) => resource.Type === type)!.Properties;
  return { pool: properties('AWS::Cognito::UserPool'), client: properties('AWS::Cognito::UserPoolClient') };
}

/** A cognito-local with the declared pool, its web client and the admin group, in a directory of its own. */
async function startUserPool(options: { preSignUp?: 'auto-confirm' }) {
  const directory = fs.mkdtempSync(`${tmpdir()}/cognito-session-test-`);
  const cognitoLocal = await startCognitoLocal({ directory, ...options });
  const admin = new CognitoIdentityProviderClient({
    endpoint: cognitoLocal.endpoint,
    region: REGION,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const { pool, client } = declaredIdentity();
  const { UserPool } = await admin.send(
    new CreateUserPoolCommand({
      PoolName: 'shoppers',
      Policies: pool.Policies as CreateUserPoolCommandInput['Policies'],
      UsernameAttributes: pool.UsernameAttributes as CreateUserPoolCommandInput['UsernameAttributes'],
      AutoVerifiedAttributes:
        pool.AutoVerifiedAttributes as CreateUserPoolCommandInput['AutoVerifiedAttributes'],
    }),
  );
  const userPoolId = UserPool!.Id!;
  const { UserPoolClient } = await admin.send(
    new CreateUserPoolClientCommand({
      UserPoolId: userPoolId,
      ClientName: 'web',
      ExplicitAuthFlows: client.ExplicitAuthFlows as CreateUserPoolClientCommandInput['ExplicitAuthFlows'],
    }),
  );
  await admin.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: 'admin' }));
  return {
    admin,
    userPoolId,
    declaredPasswordPolicy: (pool.Policies as { PasswordPolicy: unknown }).PasswordPolicy,
    /** A session of the web client over its own storage, unless given one. */
    session: (options: { storage?: Storage; now?: () => number } = {}) =>
      new CognitoSession({
        region: REGION,
        userPoolClientId: UserPoolClient!.ClientId!,
        endpoint: cognitoLocal.endpoint,
        storage: options.storage ?? new MemoryStorage(),
        ...(options.now && { now: options.now }),
      }),
    /** The code cognito-local would have emailed to the user, read from its database file. */
    confirmationCode: (userId: string): string => {
      const database = JSON.parse(fs.readFileSync(`${directory}/.cognito/db/${userPoolId}.json`, 'utf8')) as {
        Users: Record<string, { ConfirmationCode: string }>;
      };
      return database.Users[userId]!.ConfirmationCode;
    },
    stop: async () => {
      admin.destroy();
      await cognitoLocal.stop();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** A new email address for each test: they share the pool. */
let emails = 0;
const newEmail = () => `shopper-${++emails}@example.com`;

function expiryOf(idToken: string): number {
  const payload = idToken.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/');
  return (JSON.parse(atob(payload)) as { exp: number }).exp * 1000;
}

/** The same storage as `storage`, as another browser profile would hold a copy of the session. */
function copyOf(storage: Storage): Storage {
  const copy = new MemoryStorage();
  for (let index = 0; index < storage.length; index++) {
    const key = storage.key(index)!;
    copy.setItem(key, storage.getItem(key)!);
  }
  return copy;
}

async function authErrorOf(promise: Promise<unknown>): Promise<AuthError> {
  const error = await promise.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(AuthError);
  return error as AuthError;
}

describe('CognitoSession, with sign-ups confirmed at once (as on the local platform)', () => {
  let pool: Awaited<ReturnType<typeof startUserPool>>;

  beforeAll(async () => {
    pool = await startUserPool({ preSignUp: 'auto-confirm' });
  });

  afterAll(async () => {
    await pool.stop();
  });

  async function signedUp(): Promise<{ email: string; session: CognitoSession; user: SignedInUser }> {
    const email = newEmail();
    const session = pool.session();
    await session.signUp(email, PASSWORD);
    const user = await session.signIn(email, PASSWORD);
    return { email, session, user };
  }

  it("checks passwords against the user pool's own password policy", () => {
    expect(pool.declaredPasswordPolicy).toMatchObject(PASSWORD_POLICY);
  });

  it('signs a new shopper up, confirmed at once', async () => {
    const session = pool.session();

    await expect(session.signUp(newEmail(), PASSWORD)).resolves.toEqual({ confirmed: true });
  });

  it("signs in, giving the user with the ID token's sub, email and groups", async () => {
    const email = newEmail();
    const session = pool.session();
    await session.signUp(email, PASSWORD);

    const user = await session.signIn(email, PASSWORD);

    const { UserAttributes } = await pool.admin.send(
      new AdminGetUserCommand({ UserPoolId: pool.userPoolId, Username: email }),
    );
    const sub = UserAttributes!.find((attribute) => attribute.Name === 'sub')!.Value;
    expect(user).toEqual({ userId: sub, email, groups: [], isAdmin: false });
    expect(session.currentUser()).toBe(user);
    expect(await session.idToken()).toEqual(expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/));
  });

  it('makes a member of the admin group an admin', async () => {
    const email = newEmail();
    const session = pool.session();
    await session.signUp(email, PASSWORD);
    await pool.admin.send(
      new AdminAddUserToGroupCommand({ UserPoolId: pool.userPoolId, Username: email, GroupName: 'admin' }),
    );

    const user = await session.signIn(email, PASSWORD);

    expect(user).toMatchObject({ groups: ['admin'], isAdmin: true });
  });

  it('refuses a wrong password with invalid-credentials, and stays signed out', async () => {
    const email = newEmail();
    const session = pool.session();
    await session.signUp(email, PASSWORD);

    const error = await authErrorOf(session.signIn(email, 'Wrong-password-1'));

    expect(error).toMatchObject({ code: 'invalid-credentials', message: 'Incorrect email or password.' });
    expect(session.currentUser()).toBeUndefined();
    expect(await session.idToken()).toBeUndefined();
  });

  it('refuses an email that has no account with invalid-credentials', async () => {
    const error = await authErrorOf(pool.session().signIn(newEmail(), PASSWORD));

    expect(error.code).toBe('invalid-credentials');
  });

  it('refuses to sign up an email that has an account with user-exists', async () => {
    const email = newEmail();
    await pool.session().signUp(email, PASSWORD);

    const error = await authErrorOf(pool.session().signUp(email, 'Another-password-2'));

    expect(error.code).toBe('user-exists');
  });

  it('refuses a weak password with invalid-password, naming what it lacks, and creates no user', async () => {
    const email = newEmail();

    const error = await authErrorOf(pool.session().signUp(email, 'weakpassword'));

    expect(error).toMatchObject({
      code: 'invalid-password',
      message: 'Choose a stronger password: it needs an uppercase letter, a digit, and a symbol.',
    });
    await expect(
      pool.admin.send(new AdminGetUserCommand({ UserPoolId: pool.userPoolId, Username: email })),
    ).rejects.toMatchObject({ name: 'UserNotFoundException' });
  });

  it('stays signed in across a reload: a new session over the same storage', async () => {
    const storage = new MemoryStorage();
    const email = newEmail();
    const first = pool.session({ storage });
    await first.signUp(email, PASSWORD);
    const user = await first.signIn(email, PASSWORD);

    const reloaded = pool.session({ storage });

    expect(reloaded.currentUser()).toEqual(user);
    expect(await reloaded.idToken()).toBe(await first.idToken());
  });

  it('keeps an ID token that expires in more than 5 minutes', async () => {
    const { session } = await signedUp();
    const idToken = (await session.idToken())!;

    expect(await session.idToken()).toBe(idToken);
  });

  it('refreshes the ID token when it expires within 5 minutes, once for callers at the same time', async () => {
    const storage = new MemoryStorage();
    const email = newEmail();
    let now = Date.now();
    const session = pool.session({ storage, now: () => now });
    await session.signUp(email, PASSWORD);
    const user = await session.signIn(email, PASSWORD);
    const idToken = (await session.idToken())!;
    now = expiryOf(idToken) - 60_000;
    const send = jest.spyOn(CognitoIdentityProviderClient.prototype, 'send');

    const [refreshed, alsoRefreshed] = await Promise.all([session.idToken(), session.idToken()]);

    const refreshes = send.mock.calls.filter(
      ([command]) =>
        command instanceof InitiateAuthCommand && command.input.AuthFlow === 'REFRESH_TOKEN_AUTH',
    );
    send.mockRestore();
    expect(refreshes).toHaveLength(1);
    expect(refreshed).toEqual(expect.any(String));
    expect(refreshed).not.toBe(idToken);
    expect(alsoRefreshed).toBe(refreshed);
    expect(session.currentUser()).toBe(user);
    expect(await pool.session({ storage }).idToken()).toBe(refreshed);
    now = Date.now();
    expect(await session.idToken()).toBe(refreshed);
  });

  it('signs out: forgets the tokens, tells subscribers, and revokes the refresh token', async () => {
    const email = newEmail();
    const storage = new MemoryStorage();
    const signedIn = pool.session({ storage });
    await signedIn.signUp(email, PASSWORD);
    const user = await signedIn.signIn(email, PASSWORD);
    let now = Date.now();
    const copy = pool.session({ storage: copyOf(storage), now: () => now });
    const listener = jest.fn();
    signedIn.subscribe(listener);

    await signedIn.signOut();

    expect(listener).toHaveBeenCalledTimes(1);
    expect(signedIn.currentUser()).toBeUndefined();
    expect(await signedIn.idToken()).toBeUndefined();
    expect(storage.length).toBe(0);
    // A copy of the session cannot refresh with the revoked token: it is signed out.
    expect(copy.currentUser()).toEqual(user);
    now = expiryOf((await copy.idToken())!) - 60_000;
    expect(await copy.idToken()).toBeUndefined();
    expect(copy.currentUser()).toBeUndefined();
  });

  it('stops telling a subscriber once it unsubscribes', async () => {
    const { session } = await signedUp();
    const listener = jest.fn();
    const unsubscribe = session.subscribe(listener);

    unsubscribe();
    await session.signOut();

    expect(listener).not.toHaveBeenCalled();
  });

  it('gives the same user object until the user changes', async () => {
    const { email, session, user } = await signedUp();

    expect(session.currentUser()).toBe(session.currentUser());
    expect(session.currentUser()).toBe(user);
    await session.signOut();
    expect(session.currentUser()).toBeUndefined();
    const again = await session.signIn(email, PASSWORD);
    expect(again).not.toBe(user);
    expect(again).toEqual(user);
    expect(session.currentUser()).toBe(again);
  });

  it('reports a Cognito it cannot reach as a network error', async () => {
    const session = new CognitoSession({
      region: REGION,
      userPoolClientId: 'any',
      endpoint: 'http://127.0.0.1:9',
      storage: new MemoryStorage(),
    });

    const error = await authErrorOf(session.signIn(newEmail(), PASSWORD));

    expect(error).toMatchObject({
      code: 'network',
      message: 'The sign-in service could not be reached. Check your connection and try again.',
    });
  });
});

describe('CognitoSession, with sign-ups confirmed by an emailed code', () => {
  let pool: Awaited<ReturnType<typeof startUserPool>>;

  beforeAll(async () => {
    pool = await startUserPool({});
  });

  afterAll(async () => {
    await pool.stop();
  });

  it('signs up unconfirmed, refuses to sign in until confirmed, then signs in', async () => {
    const email = newEmail();
    const session = pool.session();

    await expect(session.signUp(email, PASSWORD)).resolves.toEqual({ confirmed: false });
    expect((await authErrorOf(session.signIn(email, PASSWORD))).code).toBe('not-confirmed');
    const { Username } = await pool.admin.send(
      new AdminGetUserCommand({ UserPoolId: pool.userPoolId, Username: email }),
    );
    await session.confirmSignUp(email, pool.confirmationCode(Username!));

    await expect(session.signIn(email, PASSWORD)).resolves.toMatchObject({ email });
  });

  it('refuses a wrong code with invalid-code', async () => {
    const email = newEmail();
    const session = pool.session();
    await session.signUp(email, PASSWORD);

    const error = await authErrorOf(session.confirmSignUp(email, '000000'));

    expect(error).toMatchObject({
      code: 'invalid-code',
      message: 'That code is not right. Check the email we sent you and try again.',
    });
  });
});
