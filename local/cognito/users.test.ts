import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CreateUserPoolClientCommand,
  SignUpCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { buildTestPlatform } from '../../infra/testing/platform-app';
import { IntrinsicResolver } from '../template/intrinsics';
import { defaultLocalNames } from '../template/local-names';
import { StageTemplates } from '../template/stage-templates';
import { localCognitoClient } from './client';
import { startCognitoLocal, type CognitoLocal } from './cognito-local';
import { ensureUserPools, type LocalUserPool } from './user-pools';
import { ensureUser, passwordPolicyProblems, passwordSignInFlow, signIn } from './users';

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
}

describe('users of the dev stage user pool', () => {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'users-test-'));
  let cognitoLocal: CognitoLocal;
  let cognito: CognitoIdentityProviderClient;
  let pool: LocalUserPool;
  const webClientId = () => pool.clients[0]!.clientId;

  beforeAll(async () => {
    const { app, stages } = buildTestPlatform();
    app.synth();
    const stage = StageTemplates.fromAssemblyDirectory(stages.dev.outdir);
    cognitoLocal = await startCognitoLocal({ directory, preSignUp: 'auto-confirm' });
    cognito = localCognitoClient(cognitoLocal.endpoint);
    [pool] = (await ensureUserPools({
      endpoint: cognitoLocal.endpoint,
      stage,
      resolver: new IntrinsicResolver(stage, defaultLocalNames()),
    })) as [LocalUserPool];
  });

  afterAll(async () => {
    cognito.destroy();
    await cognitoLocal.stop();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  describe('ensureUser and signIn', () => {
    it('gives an admin an ID token whose claims carry cognito:groups with admin', async () => {
      const admin = await ensureUser(cognitoLocal.endpoint, pool.userPoolId, {
        email: 'staff@example.com',
        password: 'Staff-password-1',
        groups: ['admin'],
      });

      const { idToken, accessToken, refreshToken } = await signIn(
        cognitoLocal.endpoint,
        webClientId(),
        'staff@example.com',
        'Staff-password-1',
      );

      expect(claimsOf(idToken)).toMatchObject({
        sub: admin.sub,
        'cognito:username': admin.username,
        'cognito:groups': ['admin'],
        email: 'staff@example.com',
        email_verified: true,
        token_use: 'id',
        aud: webClientId(),
        iss: pool.issuer,
      });
      expect(claimsOf(accessToken)).toMatchObject({ token_use: 'access', client_id: webClientId() });
      expect(refreshToken).toEqual(expect.any(String));
    });

    it('gives a shopper in no group an ID token without cognito:groups', async () => {
      await ensureUser(cognitoLocal.endpoint, pool.userPoolId, {
        email: 'shopper@example.com',
        password: 'Shopper-password-1',
      });

      const { idToken } = await signIn(
        cognitoLocal.endpoint,
        webClientId(),
        'shopper@example.com',
        'Shopper-password-1',
      );

      expect(claimsOf(idToken)['cognito:groups']).toBeUndefined();
    });

    it('keeps an existing user (same sub) and gives it the new password and the missing groups', async () => {
      const first = await ensureUser(cognitoLocal.endpoint, pool.userPoolId, {
        email: 'promoted@example.com',
        password: 'First-password-1',
      });

      const second = await ensureUser(cognitoLocal.endpoint, pool.userPoolId, {
        email: 'promoted@example.com',
        password: 'Second-password-2',
        groups: ['admin'],
      });
      const { idToken } = await signIn(
        cognitoLocal.endpoint,
        webClientId(),
        'promoted@example.com',
        'Second-password-2',
      );

      expect(second).toEqual(first);
      expect(claimsOf(idToken)['cognito:groups']).toEqual(['admin']);
      await expect(
        signIn(cognitoLocal.endpoint, webClientId(), 'promoted@example.com', 'First-password-1'),
      ).rejects.toThrow();
    });

    it("refuses a password the pool's policy refuses, naming the rules it breaks", async () => {
      await expect(
        ensureUser(cognitoLocal.endpoint, pool.userPoolId, { email: 'weak@example.com', password: 'short' }),
      ).rejects.toThrow(
        `the password of weak@example.com does not meet the password policy of user pool ${pool.userPoolId}: ` +
          'it needs at least 12 characters, an uppercase letter, a number, a symbol',
      );
    });

    it('refuses a group the pool does not have, before creating the user', async () => {
      await expect(
        ensureUser(cognitoLocal.endpoint, pool.userPoolId, {
          email: 'nogroup@example.com',
          password: 'Valid-password-1',
          groups: ['managers'],
        }),
      ).rejects.toThrow(
        `cannot add nogroup@example.com to managers: user pool ${pool.userPoolId} has no such group (its groups: admin)`,
      );
    });

    it('signs in a shopper who signed up through the SDK, auto-confirmed', async () => {
      const signedUp = await cognito.send(
        new SignUpCommand({
          ClientId: webClientId(),
          Username: 'self.service@example.com',
          Password: 'Self-service-1',
          UserAttributes: [{ Name: 'email', Value: 'self.service@example.com' }],
        }),
      );

      const { idToken } = await signIn(
        cognitoLocal.endpoint,
        webClientId(),
        'self.service@example.com',
        'Self-service-1',
      );

      expect(signedUp.UserConfirmed).toBe(true);
      expect(claimsOf(idToken)).toMatchObject({
        sub: signedUp.UserSub,
        email: 'self.service@example.com',
        email_verified: true,
      });
    });

    it('signs in through a client that allows only SRP, with AdminInitiateAuth', async () => {
      const { UserPoolClient } = await cognito.send(
        new CreateUserPoolClientCommand({
          UserPoolId: pool.userPoolId,
          ClientName: 'srp-only',
          ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        }),
      );
      await ensureUser(cognitoLocal.endpoint, pool.userPoolId, {
        email: 'srp@example.com',
        password: 'Srp-password-1',
      });

      const { idToken } = await signIn(
        cognitoLocal.endpoint,
        UserPoolClient!.ClientId!,
        'srp@example.com',
        'Srp-password-1',
      );

      expect(claimsOf(idToken).aud).toBe(UserPoolClient!.ClientId);
    });

    it('names a client no pool has', async () => {
      await expect(signIn(cognitoLocal.endpoint, 'no-such-client', 'a@example.com', 'x')).rejects.toThrow(
        'no user pool of cognito-local has a client no-such-client',
      );
    });
  });
});

describe('passwordSignInFlow', () => {
  it('signs in with USER_PASSWORD_AUTH when the client allows it', () => {
    expect(passwordSignInFlow(['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH'])).toBe(
      'USER_PASSWORD_AUTH',
    );
  });

  it('falls back to ADMIN_USER_PASSWORD_AUTH for a client that allows only SRP', () => {
    expect(passwordSignInFlow(['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'])).toBe(
      'ADMIN_USER_PASSWORD_AUTH',
    );
  });
});

describe('passwordPolicyProblems', () => {
  const policy = {
    MinimumLength: 12,
    RequireLowercase: true,
    RequireUppercase: true,
    RequireNumbers: true,
    RequireSymbols: true,
  };

  it('finds none in a password that meets every rule', () => {
    expect(passwordPolicyProblems(policy, 'Shopper-demo-2026!')).toEqual([]);
  });

  it('counts a space or a backquote as a symbol, as Cognito does', () => {
    expect(passwordPolicyProblems(policy, 'Shopper demo 2026')).toEqual([]);
    expect(passwordPolicyProblems(policy, 'Shopper`demo`2026')).toEqual([]);
  });

  it('names each rule a password breaks', () => {
    expect(passwordPolicyProblems(policy, 'abc')).toEqual([
      'at least 12 characters',
      'an uppercase letter',
      'a number',
      'a symbol',
    ]);
  });
});
