import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  GetGroupCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { buildTestPlatform } from '../../infra/testing/platform-app';
import { IntrinsicResolver } from '../template/intrinsics';
import { defaultLocalNames } from '../template/local-names';
import { StageTemplates, type CfnTemplate } from '../template/stage-templates';
import { localCognitoClient } from './client';
import { startCognitoLocal, type CognitoLocal } from './cognito-local';
import {
  ensureUserPools,
  ignoredCognitoResources,
  userPoolLocalNameOverrides,
  type LocalUserPool,
} from './user-pools';

/** The dev stage with changes to its stateful stack's template. */
function withStatefulChanges(
  stage: StageTemplates,
  change: (resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>) => void,
): StageTemplates {
  const templates = structuredClone(stage.templates) as Record<string, CfnTemplate>;
  change(templates['dev-Stateful']!.Resources as never);
  return new StageTemplates(templates);
}

let stage: StageTemplates;

beforeAll(() => {
  const { app, stages } = buildTestPlatform();
  app.synth();
  stage = StageTemplates.fromAssemblyDirectory(stages.dev.outdir);
});

describe('ensureUserPools on the dev stage', () => {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'user-pools-test-'));
  let resolver: IntrinsicResolver;
  let cognitoLocal: CognitoLocal;
  let cognito: CognitoIdentityProviderClient;
  let pools: LocalUserPool[];
  const pool = () => pools[0]!;
  const template = (logicalIdPrefix: string) =>
    stage.resources().find((r) => r.stackName === 'dev-Stateful' && r.logicalId.startsWith(logicalIdPrefix))!;

  beforeAll(async () => {
    resolver = new IntrinsicResolver(stage, defaultLocalNames());
    cognitoLocal = await startCognitoLocal({ directory });
    cognito = localCognitoClient(cognitoLocal.endpoint);
    pools = await ensureUserPools({ endpoint: cognitoLocal.endpoint, stage, resolver });
  });

  afterAll(async () => {
    cognito.destroy();
    await cognitoLocal.stop();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it('creates the one user pool of the stage, named after its stack and logical id', () => {
    expect(pools).toEqual([
      {
        stackName: 'dev-Stateful',
        logicalId: template('ShopperIdentityUserPool').logicalId,
        name: 'dev-Stateful-ShopperIdentityUserPool',
        userPoolId: expect.stringMatching(/^local_\w+$/),
        arn: `arn:aws:cognito-idp:us-east-1:000000000000:userpool/${pool().userPoolId}`,
        issuer: `${cognitoLocal.endpoint}/${pool().userPoolId}`,
        clients: [
          {
            logicalId: template('ShopperIdentityUserPoolWebClient').logicalId,
            clientId: expect.any(String),
            name: 'ShopperIdentityUserPoolWebClient',
            explicitAuthFlows: template('ShopperIdentityUserPoolWebClient').properties.ExplicitAuthFlows,
          },
        ],
        groups: ['admin'],
      },
    ]);
  });

  it('gives the pool the sign-in attributes, password policy and schema of the template', async () => {
    const { UserPool } = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: pool().userPoolId }));

    expect(UserPool).toMatchObject({
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      MfaConfiguration: 'OPTIONAL',
      Policies: {
        PasswordPolicy: {
          MinimumLength: 12,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        },
      },
    });
    expect(UserPool?.SchemaAttributes).toContainEqual(
      expect.objectContaining({ Name: 'email', Required: true }),
    );
  });

  it('gives the client its auth flows and token validity, and no secret', async () => {
    const { UserPoolClient } = await cognito.send(
      new DescribeUserPoolClientCommand({
        UserPoolId: pool().userPoolId,
        ClientId: pool().clients[0]!.clientId,
      }),
    );

    expect(UserPoolClient).toMatchObject({
      ExplicitAuthFlows: template('ShopperIdentityUserPoolWebClient').properties.ExplicitAuthFlows,
      IdTokenValidity: 60,
      TokenValidityUnits: { IdToken: 'minutes', AccessToken: 'minutes' },
    });
    expect(UserPoolClient?.ClientSecret).toBeUndefined();
  });

  it('creates the admin group with its description', async () => {
    const { Group } = await cognito.send(
      new GetGroupCommand({ UserPoolId: pool().userPoolId, GroupName: 'admin' }),
    );

    expect(Group?.Description).toBe('Shop staff: live analytics and every order');
  });

  it('finds the same pool, client and group again after cognito-local restarts on the same directory', async () => {
    await cognitoLocal.stop();
    cognito.destroy();
    cognitoLocal = await startCognitoLocal({ directory });
    cognito = localCognitoClient(cognitoLocal.endpoint);

    const again = await ensureUserPools({ endpoint: cognitoLocal.endpoint, stage, resolver });
    const twice = await ensureUserPools({ endpoint: cognitoLocal.endpoint, stage, resolver });

    const ids = (found: LocalUserPool[]) =>
      found.map((p) => ({
        userPoolId: p.userPoolId,
        clientIds: p.clients.map((c) => c.clientId),
        groups: p.groups,
      }));
    expect(ids(again)).toEqual(ids(pools));
    expect(ids(twice)).toEqual(ids(pools));
    expect(again[0]!.issuer).toBe(`${cognitoLocal.endpoint}/${pool().userPoolId}`);
  });

  it('applies a changed client setting of the template to the existing client, keeping its id', async () => {
    const changed = withStatefulChanges(stage, (resources) => {
      const client = resources[template('ShopperIdentityUserPoolWebClient').logicalId]!;
      client.Properties!.ExplicitAuthFlows = ['ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];
    });

    const [updated] = await ensureUserPools({
      endpoint: cognitoLocal.endpoint,
      stage: changed,
      resolver: new IntrinsicResolver(changed, defaultLocalNames()),
    });
    const { UserPoolClient } = await cognito.send(
      new DescribeUserPoolClientCommand({
        UserPoolId: pool().userPoolId,
        ClientId: pool().clients[0]!.clientId,
      }),
    );
    await ensureUserPools({ endpoint: cognitoLocal.endpoint, stage, resolver });

    expect(updated!.clients[0]!.clientId).toBe(pool().clients[0]!.clientId);
    expect(UserPoolClient?.ExplicitAuthFlows).toEqual(['ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
  });

  it('gives the overrides that resolve the API authorizer to the local pool ARN', () => {
    const names = defaultLocalNames({ overrides: userPoolLocalNameOverrides(pools) });
    const authorizer = stage.resourcesOfType('AWS::ApiGateway::Authorizer')[0]!;

    const providerArns = new IntrinsicResolver(stage, names).resolve(
      authorizer.stackName,
      authorizer.properties.ProviderARNs,
      'ProviderARNs',
    );

    expect(providerArns).toEqual([pool().arn]);
  });

  it('refuses a client with a secret, naming it', async () => {
    const clientId = template('ShopperIdentityUserPoolWebClient').logicalId;
    const withSecret = withStatefulChanges(stage, (resources) => {
      resources[clientId]!.Properties!.GenerateSecret = true;
    });

    await expect(
      ensureUserPools({
        endpoint: cognitoLocal.endpoint,
        stage: withSecret,
        resolver: new IntrinsicResolver(withSecret, defaultLocalNames()),
      }),
    ).rejects.toThrow(
      `dev-Stateful/${clientId} GenerateSecret is true: the local platform runs public clients only`,
    );
  });
});

describe('ignoredCognitoResources', () => {
  const poolRef = () => ({ Ref: stage.resourcesOfType('AWS::Cognito::UserPool')[0]!.logicalId });

  it('finds nothing to ignore in the dev stage', () => {
    expect(ignoredCognitoResources(stage)).toEqual([]);
  });

  it('reports a hosted UI domain, which cannot work locally', () => {
    const withDomain = withStatefulChanges(stage, (resources) => {
      resources.ShopDomain = {
        Type: 'AWS::Cognito::UserPoolDomain',
        Properties: { Domain: 'shop', UserPoolId: poolRef() },
      };
    });

    expect(ignoredCognitoResources(withDomain)).toEqual([
      {
        stackName: 'dev-Stateful',
        logicalId: 'ShopDomain',
        type: 'AWS::Cognito::UserPoolDomain',
        reason: expect.stringContaining('hosted UI'),
      },
    ]);
  });

  it('refuses an identity pool, naming it', () => {
    const withIdentityPool = withStatefulChanges(stage, (resources) => {
      resources.ShopIdentities = {
        Type: 'AWS::Cognito::IdentityPool',
        Properties: { AllowUnauthenticatedIdentities: false },
      };
    });

    expect(() => ignoredCognitoResources(withIdentityPool)).toThrow(
      'dev-Stateful/ShopIdentities (AWS::Cognito::IdentityPool) cannot run locally',
    );
  });

  it('refuses a Cognito type it does not know', () => {
    const withUnknown = withStatefulChanges(stage, (resources) => {
      resources.Future = { Type: 'AWS::Cognito::FutureThing', Properties: {} };
    });

    expect(() => ignoredCognitoResources(withUnknown)).toThrow(
      'dev-Stateful/Future: AWS::Cognito::FutureThing is not known to the local platform',
    );
  });
});
