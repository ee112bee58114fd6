import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { withCognitoClient } from '../../../local/cognito/client';
import { startCognitoLocal } from '../../../local/cognito/cognito-local';
import { ensureUser, signIn } from '../../../local/cognito/users';

const PASSWORD = 'Shopper-password-1';

export interface TestUserPool {
  readonly userPoolId: string;
  readonly clientId: string;
  /** `http://127.0.0.1:<port>/<userPoolId>`: cognito-local's ProviderURL of the pool. */
  readonly issuer: string;
  /** Creates (or finds) a shopper and signs them in through the client. */
  signIn(
    email: string,
  ): Promise<{ readonly sub: string; readonly idToken: string; readonly accessToken: string }>;
  /** A token with these claims, signed with cognito-local's own key, as if the pool had issued it. */
  signed(claims: Record<string, unknown>): string;
  stop(): Promise<void>;
}

/** cognito-local with one user pool and one app client, in a folder of its own. */
export async function startTestUserPool(): Promise<TestUserPool> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'recommendations-user-pool-'));
  const cognitoLocal = await startCognitoLocal({ directory });
  const { endpoint } = cognitoLocal;
  const { userPoolId, clientId } = await withCognitoClient(endpoint, async (cognito) => {
    const { UserPool } = await cognito.send(
      new CreateUserPoolCommand({ PoolName: 'shoppers', UsernameAttributes: ['email'] }),
    );
    const { UserPoolClient } = await cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: UserPool?.Id,
        ClientName: 'web',
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    return { userPoolId: String(UserPool?.Id), clientId: String(UserPoolClient?.ClientId) };
  });

  return {
    userPoolId,
    clientId,
    issuer: `${endpoint}/${userPoolId}`,
    signIn: async (email) => {
      const { sub } = await ensureUser(endpoint, userPoolId, { email, password: PASSWORD });
      const tokens = await signIn(endpoint, clientId, email, PASSWORD);
      return { sub, idToken: tokens.idToken, accessToken: tokens.accessToken };
    },
    signed: (claims) => signedByCognitoLocal(claims),
    stop: async () => {
      await cognitoLocal.stop();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** Signed with cognito-local's private key (every install shares it), under its key id. */
function signedByCognitoLocal(claims: Record<string, unknown>): string {
  const keyFile = path.join(
    path.dirname(require.resolve('cognito-local/package.json')),
    'lib',
    'keys',
    'cognitoLocal.private.json',
  );
  const { pem } = JSON.parse(fs.readFileSync(keyFile, 'utf8')) as { pem: string };
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode({ alg: 'RS256', typ: 'JWT', kid: 'CognitoLocal' })}.${encode(claims)}`;
  return `${input}.${crypto.sign('RSA-SHA256', Buffer.from(input), pem).toString('base64url')}`;
}
