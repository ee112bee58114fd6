import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { buildTestPlatform } from '../../infra/testing/platform-app';
import { IntrinsicResolver } from '../template/intrinsics';
import { defaultLocalNames } from '../template/local-names';
import { StageTemplates } from '../template/stage-templates';
import { localCognitoClient } from './client';
import { startCognitoLocal, type CognitoLocal } from './cognito-local';
import { createCognitoTokenVerifier, type CognitoTokenVerifier } from './token-verifier';
import { ensureUserPools, userPoolArn, type LocalUserPool } from './user-pools';
import { ensureUser, signIn, type SignInTokens } from './users';

const ADMIN = { email: 'staff@example.com', password: 'Staff-password-1', groups: ['admin'] };

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
}

/** A token signed with cognito-local's own private key (every install shares it). */
function signedByCognitoLocal(claims: Record<string, unknown>, kid = 'CognitoLocal'): string {
  const keyFile = path.join(path.dirname(require.resolve('cognito-local/package.json')), 'lib', 'keys');
  const { pem } = JSON.parse(fs.readFileSync(path.join(keyFile, 'cognitoLocal.private.json'), 'utf8')) as {
    pem: string;
  };
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode({ alg: 'RS256', typ: 'JWT', kid })}.${encode(claims)}`;
  return `${input}.${crypto.sign('RSA-SHA256', Buffer.from(input), pem).toString('base64url')}`;
}

describe('createCognitoTokenVerifier', () => {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'token-verifier-test-'));
  let cognitoLocal: CognitoLocal;
  let cognito: CognitoIdentityProviderClient;
  let pool: LocalUserPool;
  let verifier: CognitoTokenVerifier;
  let admin: SignInTokens;
  const verify = (token: string) => verifier.verifyCognitoToken([pool.arn], token);

  beforeAll(async () => {
    const { app, stages } = buildTestPlatform();
    app.synth();
    const stage = StageTemplates.fromAssemblyDirectory(stages.dev.outdir);
    cognitoLocal = await startCognitoLocal({ directory });
    cognito = localCognitoClient(cognitoLocal.endpoint);
    const pools = await ensureUserPools({
      endpoint: cognitoLocal.endpoint,
      stage,
      resolver: new IntrinsicResolver(stage, defaultLocalNames()),
    });
    pool = pools[0]!;
    verifier = createCognitoTokenVerifier(pools, cognitoLocal.endpoint);
    await ensureUser(cognitoLocal.endpoint, pool.userPoolId, ADMIN);
    admin = await signIn(cognitoLocal.endpoint, pool.clients[0]!.clientId, ADMIN.email, ADMIN.password);
  });

  afterAll(async () => {
    cognito.destroy();
    await cognitoLocal.stop();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it('accepts an ID token of the pool and gives its claims, cognito:groups included', async () => {
    const claims = await verify(admin.idToken);

    expect(claims).toMatchObject({
      email: ADMIN.email,
      'cognito:groups': ['admin'],
      token_use: 'id',
      iss: pool.issuer,
      aud: pool.clients[0]!.clientId,
    });
  });

  it('accepts it when the pool is one of several the authorizer names', async () => {
    const other = {
      ...pool,
      arn: userPoolArn('local_other'),
      userPoolId: 'local_other',
      issuer: 'http://x/y',
    };
    const twoPools = createCognitoTokenVerifier([other, pool], cognitoLocal.endpoint);

    await expect(twoPools.verifyCognitoToken([other.arn, pool.arn], admin.idToken)).resolves.toMatchObject({
      email: ADMIN.email,
    });
    await expect(twoPools.verifyCognitoToken([other.arn], admin.idToken)).resolves.toBeUndefined();
  });

  it('rejects a tampered token', async () => {
    const [header, , signature] = admin.idToken.split('.');
    const payload = Buffer.from(
      JSON.stringify({ ...claimsOf(admin.idToken), email: 'someone.else@example.com' }),
    ).toString('base64url');

    await expect(verify(`${header}.${payload}.${signature}`)).resolves.toBeUndefined();
  });

  it('rejects an access token', async () => {
    await expect(verify(admin.accessToken)).resolves.toBeUndefined();
  });

  it('rejects an ID token of another pool', async () => {
    const { UserPool } = await cognito.send(
      new CreateUserPoolCommand({ PoolName: 'another-shop', UsernameAttributes: ['email'] }),
    );
    const { UserPoolClient } = await cognito.send(
      new CreateUserPoolClientCommand({ UserPoolId: UserPool!.Id, ClientName: 'another-client' }),
    );
    await cognito.send(new CreateGroupCommand({ UserPoolId: UserPool!.Id, GroupName: 'admin' }));
    await ensureUser(cognitoLocal.endpoint, UserPool!.Id!, ADMIN);
    const { idToken } = await signIn(
      cognitoLocal.endpoint,
      UserPoolClient!.ClientId!,
      ADMIN.email,
      ADMIN.password,
    );

    expect(claimsOf(idToken)['cognito:groups']).toEqual(['admin']);
    await expect(verify(idToken)).resolves.toBeUndefined();
  });

  it('rejects an ID token of the pool issued to a client the stage does not declare', async () => {
    const { UserPoolClient } = await cognito.send(
      new CreateUserPoolClientCommand({ UserPoolId: pool.userPoolId, ClientName: 'undeclared' }),
    );
    const { idToken } = await signIn(
      cognitoLocal.endpoint,
      UserPoolClient!.ClientId!,
      ADMIN.email,
      ADMIN.password,
    );

    expect(claimsOf(idToken).iss).toBe(pool.issuer);
    await expect(verify(idToken)).resolves.toBeUndefined();
  });

  it('rejects an expired ID token, and accepts the same claims before they expire', async () => {
    const claims = claimsOf(admin.idToken);
    const now = Math.floor(Date.now() / 1000);

    await expect(verify(signedByCognitoLocal({ ...claims, exp: now - 60 }))).resolves.toBeUndefined();
    await expect(verify(signedByCognitoLocal({ ...claims, exp: now + 60 }))).resolves.toMatchObject({
      email: ADMIN.email,
    });
  });

  it('rejects a token signed with a key the pool does not publish', async () => {
    await expect(
      verify(signedByCognitoLocal(claimsOf(admin.idToken), 'unknown-key')),
    ).resolves.toBeUndefined();
  });

  it('rejects what is not a JWT', async () => {
    await expect(verify('not-a-token')).resolves.toBeUndefined();
  });

  it('throws for an ARN that names no local pool: a wiring mistake, not a bad token', async () => {
    await expect(
      verifier.verifyCognitoToken(
        ['arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_nope'],
        admin.idToken,
      ),
    ).rejects.toThrow(
      'arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_nope is not a user pool',
    );
  });
});
