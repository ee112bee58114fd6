import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  InitiateAuthCommand,
  UsernameExistsException,
  type AuthenticationResultType,
  type CognitoIdentityProviderClient,
  type PasswordPolicyType,
  type UserPoolClientType,
} from '@aws-sdk/client-cognito-identity-provider';
import { listClients, listGroups, listUserPools, withCognitoClient } from './client';

export interface LocalUserSpec {
  readonly email: string;
  readonly password: string;
  /** Groups to add the user to (they must exist in the pool); groups it is already in are kept. @default none */
  readonly groups?: readonly string[];
}

export interface LocalUser {
  /** The user's Cognito username: its `sub` in a pool where users sign in by email. */
  readonly username: string;
  readonly sub: string;
}

export interface SignInTokens {
  readonly idToken: string;
  readonly accessToken: string;
  readonly refreshToken: string;
}

/**
 * Makes sure a confirmed user with a verified email exists in the pool with this password (checked
 * against the pool's password policy, as Cognito does) and is in these groups. Idempotent: an
 * existing user gets the password again and the missing groups.
 */
export async function ensureUser(
  endpoint: string,
  userPoolId: string,
  user: LocalUserSpec,
): Promise<LocalUser> {
  const { email, password, groups = [] } = user;
  return withCognitoClient(endpoint, async (cognito) => {
    const { UserPool } = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: userPoolId }));
    const problems = passwordPolicyProblems(UserPool?.Policies?.PasswordPolicy, password);
    if (problems.length > 0) {
      throw new Error(
        `the password of ${email} does not meet the password policy of user pool ${userPoolId}: ` +
          `it needs ${problems.join(', ')}`,
      );
    }
    const poolGroups = await listGroups(cognito, userPoolId);
    // Checked first: cognito-local answers AdminAddUserToGroup with HTTP 500 in a pool without groups.
    const missing = groups.filter((group) => !poolGroups.includes(group));
    if (missing.length > 0) {
      throw new Error(
        `cannot add ${email} to ${missing.join(', ')}: user pool ${userPoolId} has no such group ` +
          `(its groups: ${poolGroups.join(', ') || 'none'})`,
      );
    }
    try {
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
    } catch (error) {
      if (!(error instanceof UsernameExistsException)) throw error;
    }
    const found = await cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: email }));
    const attribute = (name: string) => found.UserAttributes?.find((a) => a.Name === name)?.Value;
    const username = found.Username;
    const sub = attribute('sub');
    if (!username || !sub) throw new Error(`cognito-local returned ${email} without a username or sub`);
    if (attribute('email_verified') !== 'true') {
      await cognito.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: userPoolId,
          Username: username,
          UserAttributes: [{ Name: 'email_verified', Value: 'true' }],
        }),
      );
    }
    await cognito.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: userPoolId,
        Username: username,
        Password: password,
        Permanent: true,
      }),
    );
    for (const group of groups) {
      await cognito.send(
        new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: username, GroupName: group }),
      );
    }
    return { username, sub };
  });
}

/**
 * Signs a user in with email and password through the client. cognito-local has no SRP: when the
 * client allows `USER_PASSWORD_AUTH` this is `InitiateAuth` with that flow, as a browser would;
 * otherwise (a client that allows only SRP, as the dev stage's web client) it is `AdminInitiateAuth`
 * with `ADMIN_USER_PASSWORD_AUTH`, which cognito-local grants whatever the client allows.
 */
export async function signIn(
  endpoint: string,
  clientId: string,
  email: string,
  password: string,
): Promise<SignInTokens> {
  return withCognitoClient(endpoint, async (cognito) => {
    const client = await findClient(cognito, clientId);
    const flow = passwordSignInFlow(client.ExplicitAuthFlows ?? []);
    const AuthParameters = { USERNAME: email, PASSWORD: password };
    const response =
      flow === 'USER_PASSWORD_AUTH'
        ? await cognito.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: flow, AuthParameters }))
        : await cognito.send(
            new AdminInitiateAuthCommand({
              UserPoolId: client.UserPoolId,
              ClientId: clientId,
              AuthFlow: flow,
              AuthParameters,
            }),
          );
    if (response.ChallengeName) {
      throw new Error(
        `signing ${email} in with client ${clientId} asks for ${response.ChallengeName}: ` +
          'create the user with ensureUser, which sets a permanent password',
      );
    }
    return tokensOf(response.AuthenticationResult, email);
  });
}

/** The password flow to sign in through a client with these `ExplicitAuthFlows`. */
export function passwordSignInFlow(
  explicitAuthFlows: readonly string[],
): 'USER_PASSWORD_AUTH' | 'ADMIN_USER_PASSWORD_AUTH' {
  return explicitAuthFlows.some(
    (flow) => flow === 'ALLOW_USER_PASSWORD_AUTH' || flow === 'USER_PASSWORD_AUTH',
  )
    ? 'USER_PASSWORD_AUTH'
    : 'ADMIN_USER_PASSWORD_AUTH';
}

/** The rules of the policy the password breaks, such as `a symbol`; none when it meets them all. */
export function passwordPolicyProblems(policy: PasswordPolicyType | undefined, password: string): string[] {
  if (!policy) return [];
  const problems: string[] = [];
  if (policy.MinimumLength !== undefined && password.length < policy.MinimumLength) {
    problems.push(`at least ${policy.MinimumLength} characters`);
  }
  if (policy.RequireLowercase && !/[a-z]/.test(password)) problems.push('a lowercase letter');
  if (policy.RequireUppercase && !/[A-Z]/.test(password)) problems.push('an uppercase letter');
  if (policy.RequireNumbers && !/[0-9]/.test(password)) problems.push('a number');
  // Cognito's symbols: ^ $ * . [ ] { } ( ) ? " ! @ # % & / \ , > < ' : ; | _ ~ ` = + - and space.
  if (policy.RequireSymbols && !/[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+\- ]/.test(password)) {
    problems.push('a symbol');
  }
  return problems;
}

async function findClient(
  cognito: CognitoIdentityProviderClient,
  clientId: string,
): Promise<UserPoolClientType> {
  for (const pool of await listUserPools(cognito)) {
    if (!pool.Id) continue;
    const clients = await listClients(cognito, pool.Id);
    if (!clients.some((client) => client.ClientId === clientId)) continue;
    const { UserPoolClient } = await cognito.send(
      new DescribeUserPoolClientCommand({ UserPoolId: pool.Id, ClientId: clientId }),
    );
    if (UserPoolClient) return UserPoolClient;
  }
  throw new Error(`no user pool of cognito-local has a client ${clientId}`);
}

function tokensOf(result: AuthenticationResultType | undefined, email: string): SignInTokens {
  const { IdToken, AccessToken, RefreshToken } = result ?? {};
  if (!IdToken || !AccessToken || !RefreshToken) {
    throw new Error(`signing ${email} in returned no ID, access or refresh token`);
  }
  return { idToken: IdToken, accessToken: AccessToken, refreshToken: RefreshToken };
}
