import { randomBytes } from 'node:crypto';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminSetUserPasswordCommand,
  InitiateAuthCommand,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { cognito } from './aws-clients';
import { platformUnderTest } from './platform';

const { userPoolId, userPoolClientId } = platformUnderTest();

/** A user of the stage's user pool, created for this run and signed in. */
export interface TestUser {
  readonly email: string;
  readonly password: string;
  /** The Cognito `sub`: the id the API files the user's orders under. */
  readonly userId: string;
  /** What the API's Cognito authorizer takes in `Authorization`. */
  readonly idToken: string;
}

export interface TestUserSpec {
  /** Cognito groups, such as `admin` (shop staff). @default none */
  readonly groups?: readonly string[];
}

/** Unique per run, so that runs against one stage never share users, sessions or orders. */
export const RUN_ID = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;

/**
 * Creates the users one test file needs before its tests (through the user pool's admin API:
 * a verified email, no invitation message, a permanent password, the groups asked for), signs each
 * in with its password as the storefront's client does, and deletes them after the file's tests.
 * The returned object is filled in before the first test runs.
 *
 * @example const users = testUsers({ shopper: {}, admin: { groups: ['admin'] } });
 */
export function testUsers<Name extends string>(specs: Record<Name, TestUserSpec>): Record<Name, TestUser> {
  const users = {} as Record<Name, TestUser>;
  const created: string[] = [];

  beforeAll(async () => {
    for (const [name, spec] of Object.entries(specs) as [Name, TestUserSpec][]) {
      const email = `integ-${RUN_ID}-${name.toLowerCase()}@example.com`;
      // Meets the pool's policy: 12 characters or more, upper and lower case, digits and symbols.
      const password = `Aa1!${randomBytes(12).toString('base64url')}`;
      await cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: userPoolId,
          Username: email,
          UserAttributes: [
            { Name: 'email', Value: email },
            { Name: 'email_verified', Value: 'true' },
          ],
          MessageAction: 'SUPPRESS',
        }),
      );
      created.push(email);
      await cognito.send(
        new AdminSetUserPasswordCommand({
          UserPoolId: userPoolId,
          Username: email,
          Password: password,
          Permanent: true,
        }),
      );
      for (const group of spec.groups ?? []) {
        await cognito.send(
          new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: email, GroupName: group }),
        );
      }
      users[name] = await signIn(email, password, spec.groups ?? []);
    }
  }, 60_000);

  afterAll(async () => {
    for (const email of created.splice(0)) {
      await cognito
        .send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: email }))
        .catch((error: unknown) => {
          if (!(error instanceof UserNotFoundException)) throw error;
        });
    }
  }, 60_000);

  return users;
}

/** Signs in with email and password (USER_PASSWORD_AUTH, which the web client allows). */
async function signIn(email: string, password: string, groups: readonly string[]): Promise<TestUser> {
  const answer = await cognito.send(
    new InitiateAuthCommand({
      ClientId: userPoolClientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  );
  const idToken = answer.AuthenticationResult?.IdToken;
  if (!idToken) {
    throw new Error(
      `Signing in ${email} returned no ID token${answer.ChallengeName ? ` but the challenge ${answer.ChallengeName}` : ''}`,
    );
  }
  const claims = JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
    sub?: string;
    'cognito:groups'?: string[];
  };
  if (!claims.sub) throw new Error(`The ID token of ${email} has no sub`);
  const missing = groups.filter((group) => !(claims['cognito:groups'] ?? []).includes(group));
  if (missing.length > 0) {
    throw new Error(`The ID token of ${email} does not carry the group(s) ${missing.join(', ')}`);
  }
  return { email, password, userId: claims.sub, idToken };
}
