import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  AdminGetUserCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  ListUserPoolsCommand,
  SignUpCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { freePort } from '../dynamodb/dynamodb-local';
import { autoConfirm } from './auto-confirm-trigger';
import { localCognitoClient } from './client';
import { startCognitoLocal, type CognitoLocal } from './cognito-local';

const PASSWORD = 'Correct-horse-42';

const directories: string[] = [];

function temporaryDirectory(): string {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'cognito-local-test-'));
  directories.push(directory);
  return directory;
}

afterAll(() => {
  for (const directory of directories) fs.rmSync(directory, { recursive: true, force: true });
});

/** A pool where users sign in by email, with a client that signs in with a password. */
async function createPool(cognito: CognitoIdentityProviderClient, name: string) {
  const { UserPool } = await cognito.send(
    new CreateUserPoolCommand({
      PoolName: name,
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
    }),
  );
  const { UserPoolClient } = await cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: UserPool!.Id,
      ClientName: `${name}-client`,
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }),
  );
  return { userPoolId: UserPool!.Id!, clientId: UserPoolClient!.ClientId! };
}

function signUp(cognito: CognitoIdentityProviderClient, clientId: string, email: string) {
  return cognito.send(
    new SignUpCommand({
      ClientId: clientId,
      Username: email,
      Password: PASSWORD,
      UserAttributes: [{ Name: 'email', Value: email }],
    }),
  );
}

function signIn(cognito: CognitoIdentityProviderClient, clientId: string, email: string) {
  return cognito.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD: PASSWORD },
    }),
  );
}

describe('startCognitoLocal', () => {
  const directory = temporaryDirectory();
  let cognitoLocal: CognitoLocal;
  let cognito: CognitoIdentityProviderClient;
  let pool: { userPoolId: string; clientId: string };

  beforeAll(async () => {
    cognitoLocal = await startCognitoLocal({ directory, preSignUp: 'auto-confirm' });
    cognito = localCognitoClient(cognitoLocal.endpoint);
    pool = await createPool(cognito, 'shop');
  });

  afterAll(async () => {
    cognito.destroy();
    await cognitoLocal.stop();
  });

  it('serves the user pools API at http://127.0.0.1:PORT and keeps its state in <directory>/.cognito', async () => {
    expect(cognitoLocal.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(fs.existsSync(path.join(directory, '.cognito', 'db', `${pool.userPoolId}.json`))).toBe(true);
  });

  it('confirms a SignUp at once and verifies its email, with preSignUp auto-confirm', async () => {
    const signedUp = await signUp(cognito, pool.clientId, 'new.shopper@example.com');
    const user = await cognito.send(
      new AdminGetUserCommand({ UserPoolId: pool.userPoolId, Username: 'new.shopper@example.com' }),
    );
    const signedIn = await signIn(cognito, pool.clientId, 'new.shopper@example.com');

    expect(signedUp.UserConfirmed).toBe(true);
    expect(user.UserStatus).toBe('CONFIRMED');
    expect(user.UserAttributes).toContainEqual({ Name: 'email_verified', Value: 'true' });
    expect(signedIn.AuthenticationResult?.IdToken).toEqual(expect.any(String));
  });

  it('signs tokens with the issuer <endpoint>/<userPoolId>', async () => {
    await signUp(cognito, pool.clientId, 'issuer.check@example.com');
    const { AuthenticationResult } = await signIn(cognito, pool.clientId, 'issuer.check@example.com');
    const claims = JSON.parse(
      Buffer.from(AuthenticationResult!.IdToken!.split('.')[1]!, 'base64url').toString(),
    ) as Record<string, unknown>;

    expect(claims.iss).toBe(`${cognitoLocal.endpoint}/${pool.userPoolId}`);
  });

  it('fails with a clear error when the port is busy', async () => {
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const { port } = busy.address() as net.AddressInfo;
    try {
      await expect(startCognitoLocal({ directory: temporaryDirectory(), port })).rejects.toThrow(
        `cannot start cognito-local on port ${port}: the port is busy`,
      );
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  });

  it('fails with what cognito-local printed when it cannot start', async () => {
    const broken = temporaryDirectory();
    fs.mkdirSync(path.join(broken, '.cognito', 'db'), { recursive: true });
    fs.writeFileSync(path.join(broken, '.cognito', 'db', 'local_broken.json'), '{ not json');

    const error = (await startCognitoLocal({ directory: broken }).catch((e: unknown) => e)) as Error;

    expect(error).toBeInstanceOf(Error);
    expect(error.message).toContain(`cognito-local did not start in ${broken}`);
    expect(error.message).toMatch(/exited with code 1\. It printed:\n.*JSON/s);
    expect(error.message).not.toContain('AWS SDK for JavaScript (v2)');
    expect(error.message).not.toContain('\x1b[');
  });
});

describe('startCognitoLocal on a directory used before', () => {
  it('keeps the pools, users and sign-ins across restarts, and leaves sign-ups unconfirmed without auto-confirm', async () => {
    const directory = temporaryDirectory();
    const first = await startCognitoLocal({ directory, preSignUp: 'auto-confirm' });
    const firstClient = localCognitoClient(first.endpoint);
    const pool = await createPool(firstClient, 'kept');
    await signUp(firstClient, pool.clientId, 'kept@example.com');
    firstClient.destroy();
    await first.stop();

    const second = await startCognitoLocal({ directory, port: await freePort() });
    const cognito = localCognitoClient(second.endpoint);
    try {
      const { UserPools } = await cognito.send(new ListUserPoolsCommand({ MaxResults: 60 }));
      const kept = await signIn(cognito, pool.clientId, 'kept@example.com');
      const unconfirmed = await signUp(cognito, pool.clientId, 'waits@example.com');
      const config = JSON.parse(fs.readFileSync(path.join(directory, '.cognito', 'config.json'), 'utf8'));

      expect(UserPools?.map((p) => p.Id)).toEqual([pool.userPoolId]);
      expect(kept.AuthenticationResult?.IdToken).toEqual(expect.any(String));
      expect(unconfirmed.UserConfirmed).toBe(false);
      expect(config.TriggerFunctions).toEqual({});
      expect(config.LambdaClient).toBeUndefined();
    } finally {
      cognito.destroy();
      await second.stop();
    }
  });
});

describe('the auto-confirm PreSignUp trigger', () => {
  it('confirms the user and verifies the email when there is one', () => {
    const answer = autoConfirm({
      triggerSource: 'PreSignUp_SignUp',
      request: { userAttributes: { email: 'a@example.com' } },
      response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
    });

    expect(answer.response).toEqual({ autoConfirmUser: true, autoVerifyEmail: true, autoVerifyPhone: false });
  });

  it('does not verify an email the user does not have', () => {
    const answer = autoConfirm({ triggerSource: 'PreSignUp_SignUp', request: { userAttributes: {} } });

    expect(answer.response).toMatchObject({ autoConfirmUser: true, autoVerifyEmail: false });
  });
});
