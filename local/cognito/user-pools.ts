import {
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  UpdateGroupCommand,
  UpdateUserPoolClientCommand,
  UpdateUserPoolCommand,
  type CognitoIdentityProviderClient,
  type CreateUserPoolClientCommandInput,
  type CreateUserPoolCommandInput,
  type UpdateUserPoolClientCommandInput,
  type UpdateUserPoolCommandInput,
  type UserPoolClientDescription,
  type UserPoolDescriptionType,
  type UserPoolType,
} from '@aws-sdk/client-cognito-identity-provider';
import type { IntrinsicResolver } from '../template/intrinsics';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION, type LocalValues } from '../template/local-names';
import type { StageResource, StageTemplates } from '../template/stage-templates';
import { listClients, listGroups, listUserPools, withCognitoClient } from './client';

/** A user pool of the stage as it exists in cognito-local. */
export interface LocalUserPool {
  readonly stackName: string;
  readonly logicalId: string;
  /** The pool's name in cognito-local: its `UserPoolName`, or `<stack>-<logical id without hash>`. */
  readonly name: string;
  /** cognito-local's id, such as `local_4mXb3Hq1`; stable across restarts on the same directory. */
  readonly userPoolId: string;
  /** `arn:aws:cognito-idp:us-east-1:000000000000:userpool/<userPoolId>` (what the templates resolve to). */
  readonly arn: string;
  /** The `iss` of the pool's tokens: `<endpoint>/<userPoolId>`; its keys are at `<issuer>/.well-known/jwks.json`. */
  readonly issuer: string;
  readonly clients: readonly LocalUserPoolClient[];
  /** The names of the pool's groups declared in the stage. */
  readonly groups: readonly string[];
}

export interface LocalUserPoolClient {
  readonly logicalId: string;
  readonly clientId: string;
  /** The client's name in cognito-local: its `ClientName`, or its logical id without hash. */
  readonly name: string;
  /** `ExplicitAuthFlows` as the template declares them. */
  readonly explicitAuthFlows: readonly string[];
}

/** A Cognito resource (or part of one) of the stage that has no local effect, and why. */
export interface IgnoredCognitoResource {
  readonly stackName: string;
  readonly logicalId: string;
  readonly type: string;
  readonly reason: string;
}

export interface EnsureUserPoolsOptions {
  /** cognito-local's endpoint, as `startCognitoLocal` gives it (its tokens' issuer domain). */
  readonly endpoint: string;
  readonly stage: StageTemplates;
  readonly resolver: IntrinsicResolver;
}

const USER_POOL = 'AWS::Cognito::UserPool';
const USER_POOL_CLIENT = 'AWS::Cognito::UserPoolClient';
const USER_POOL_GROUP = 'AWS::Cognito::UserPoolGroup';

const NO_HOSTED_UI =
  'the hosted UI is not served locally (cognito-local has only a bare /oauth2/authorize and /oauth2/token, ' +
  'with PKCE, at its own endpoint): sign in through the SDK';
const USERS_BY_ENSURE_USER = 'users are not created from the template locally: create them with ensureUser';
const NO_IDENTITY_POOLS =
  'identity pools (AWS credentials for app users) have no local stand-in: cognito-local serves user pools only. ' +
  'Give the local platform a stand-in for cognito-identity before adding one to the dev stage';

/** Cognito resource types that have no local effect, and why. */
const IGNORED: Readonly<Record<string, string>> = {
  'AWS::Cognito::UserPoolDomain': `a domain exists for the hosted UI; ${NO_HOSTED_UI}`,
  'AWS::Cognito::UserPoolUICustomizationAttachment': `hosted UI styling; ${NO_HOSTED_UI}`,
  'AWS::Cognito::ManagedLoginBranding': `managed login styling; ${NO_HOSTED_UI}`,
  'AWS::Cognito::UserPoolIdentityProvider': `federated sign-in goes through the hosted UI; ${NO_HOSTED_UI}`,
  'AWS::Cognito::UserPoolResourceServer':
    'custom OAuth scopes are not issued locally (access tokens carry aws.cognito.signin.user.admin only)',
  'AWS::Cognito::UserPoolRiskConfigurationAttachment': 'threat protection is not emulated locally',
  'AWS::Cognito::LogDeliveryConfiguration': 'user pool logs are not delivered locally',
  'AWS::Cognito::UserPoolUser': USERS_BY_ENSURE_USER,
  'AWS::Cognito::UserPoolUserToGroupAttachment': USERS_BY_ENSURE_USER,
};

/** Cognito resource types the local platform refuses to run without, and why. */
const REFUSED: Readonly<Record<string, string>> = {
  'AWS::Cognito::IdentityPool': NO_IDENTITY_POOLS,
  'AWS::Cognito::IdentityPoolRoleAttachment': NO_IDENTITY_POOLS,
  'AWS::Cognito::IdentityPoolPrincipalTag': NO_IDENTITY_POOLS,
};

/**
 * The Cognito resources of the stage that have no local effect, and why (a hosted UI domain, for
 * one). Throws, naming the resource, for those the local platform cannot do without (identity
 * pools) and for Cognito types it does not know.
 */
export function ignoredCognitoResources(stage: StageTemplates): IgnoredCognitoResource[] {
  const ignored: IgnoredCognitoResource[] = [];
  for (const resource of stage.resources()) {
    const { stackName, logicalId, type, properties } = resource;
    if (!type.startsWith('AWS::Cognito::')) continue;
    const refusal = REFUSED[type];
    if (refusal) throw new Error(`${stackName}/${logicalId} (${type}) cannot run locally: ${refusal}`);
    const reason = IGNORED[type];
    if (reason) {
      ignored.push({ stackName, logicalId, type, reason });
    } else if (type === USER_POOL && properties.LambdaConfig !== undefined) {
      ignored.push({
        stackName,
        logicalId,
        type,
        reason: 'its Lambda triggers (LambdaConfig) are not invoked locally; the pool itself is created',
      });
    } else if (![USER_POOL, USER_POOL_CLIENT, USER_POOL_GROUP].includes(type)) {
      throw new Error(
        `${stackName}/${logicalId}: ${type} is not known to the local platform; ` +
          'decide in local/cognito/user-pools.ts whether it is created, ignored or refused',
      );
    }
  }
  return ignored;
}

/**
 * Creates in cognito-local every user pool, client and group of the stage, or finds them (by
 * name) when an earlier run created them, so that their ids stay the same across restarts. Found
 * pools and clients are updated to the template's settings. Throws for a client with a secret,
 * for the resources `ignoredCognitoResources` refuses, and for a pool whose sign-in attributes
 * changed since it was created (delete the directory's `.cognito/` to start afresh).
 */
export async function ensureUserPools(options: EnsureUserPoolsOptions): Promise<LocalUserPool[]> {
  const { endpoint, stage, resolver } = options;
  ignoredCognitoResources(stage);
  const declared = declaredPools(stage, resolver);
  return withCognitoClient(endpoint, async (cognito) => {
    const existing = await listUserPools(cognito);
    const pools: LocalUserPool[] = [];
    for (const pool of declared) {
      const userPoolId = await ensurePool(cognito, pool, existing);
      const clients: LocalUserPoolClient[] = [];
      const existingClients = await listClients(cognito, userPoolId);
      for (const client of pool.clients) {
        clients.push(await ensureClient(cognito, userPoolId, client, existingClients));
      }
      // ListGroups rather than GetGroup: cognito-local answers GetGroup with HTTP 500 in a pool without groups.
      const existingGroups = new Set(await listGroups(cognito, userPoolId));
      for (const group of pool.groups) await ensureGroup(cognito, userPoolId, group, existingGroups);
      pools.push({
        stackName: pool.resource.stackName,
        logicalId: pool.resource.logicalId,
        name: pool.name,
        userPoolId,
        arn: userPoolArn(userPoolId),
        issuer: `${endpoint}/${userPoolId}`,
        clients,
        groups: pool.groups.map((group) => group.name),
      });
    }
    return pools;
  });
}

/**
 * Local values for `defaultLocalNames({ overrides })`, so that the templates' `Ref`s and
 * `Fn::GetAtt`s of pools and clients resolve to the ids cognito-local gave them.
 */
export function userPoolLocalNameOverrides(pools: readonly LocalUserPool[]): Record<string, LocalValues> {
  const overrides: Record<string, LocalValues> = {};
  for (const pool of pools) {
    overrides[pool.logicalId] = {
      ref: pool.userPoolId,
      attributes: {
        Arn: pool.arn,
        UserPoolId: pool.userPoolId,
        ProviderName: pool.issuer.replace(/^https?:\/\//, ''),
        ProviderURL: pool.issuer,
      },
    };
    for (const client of pool.clients) {
      overrides[client.logicalId] = {
        ref: client.clientId,
        attributes: { ClientId: client.clientId, Name: client.name },
      };
    }
  }
  return overrides;
}

export function userPoolArn(userPoolId: string): string {
  return `arn:aws:cognito-idp:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:userpool/${userPoolId}`;
}

interface DeclaredPool {
  readonly resource: StageResource;
  readonly name: string;
  readonly input: CreateUserPoolCommandInput;
  readonly clients: DeclaredClient[];
  readonly groups: DeclaredGroup[];
}

interface DeclaredClient {
  readonly resource: StageResource;
  readonly input: Omit<CreateUserPoolClientCommandInput, 'UserPoolId'>;
}

interface DeclaredGroup {
  readonly resource: StageResource;
  readonly name: string;
  readonly description?: string;
  readonly precedence?: number;
}

/** The pool properties passed to cognito-local; the others (SES, SNS, triggers, add-ons) have no local effect. */
const POOL_PROPERTIES = [
  'AccountRecoverySetting',
  'AdminCreateUserConfig',
  'AliasAttributes',
  'AutoVerifiedAttributes',
  'DeviceConfiguration',
  'EmailVerificationMessage',
  'EmailVerificationSubject',
  'MfaConfiguration',
  'Schema',
  'SmsAuthenticationMessage',
  'SmsVerificationMessage',
  'UserAttributeUpdateSettings',
  'UsernameAttributes',
  'UsernameConfiguration',
  'UserPoolTags',
  'VerificationMessageTemplate',
] as const;

/** What UpdateUserPool may change of an existing pool. */
const MUTABLE_POOL_PROPERTIES = [
  'AccountRecoverySetting',
  'AdminCreateUserConfig',
  'AutoVerifiedAttributes',
  'DeviceConfiguration',
  'EmailVerificationMessage',
  'EmailVerificationSubject',
  'MfaConfiguration',
  'Policies',
  'SmsAuthenticationMessage',
  'SmsVerificationMessage',
  'UserAttributeUpdateSettings',
  'UserPoolTags',
  'VerificationMessageTemplate',
] as const;

const CLIENT_PROPERTIES = [
  'AccessTokenValidity',
  'AllowedOAuthFlows',
  'AllowedOAuthFlowsUserPoolClient',
  'AllowedOAuthScopes',
  'AuthSessionValidity',
  'CallbackURLs',
  'DefaultRedirectURI',
  'EnableTokenRevocation',
  'ExplicitAuthFlows',
  'IdTokenValidity',
  'LogoutURLs',
  'PreventUserExistenceErrors',
  'ReadAttributes',
  'RefreshTokenValidity',
  'SupportedIdentityProviders',
  'TokenValidityUnits',
  'WriteAttributes',
] as const;

function declaredPools(stage: StageTemplates, resolver: IntrinsicResolver): DeclaredPool[] {
  const pools = stage.resourcesOfType(USER_POOL).map((resource): DeclaredPool => {
    const where = (property: string) => `${resource.stackName}/${resource.logicalId} ${property}`;
    const { properties } = resource;
    const name =
      properties.UserPoolName === undefined
        ? `${resource.stackName}-${readableLogicalId(resource.logicalId)}`
        : resolver.resolveString(resource.stackName, properties.UserPoolName, where('UserPoolName'));
    const passwordPolicy = (properties.Policies as { PasswordPolicy?: unknown } | undefined)?.PasswordPolicy;
    const input = {
      PoolName: name,
      ...resolvedProperties(resolver, resource, POOL_PROPERTIES),
      ...(passwordPolicy !== undefined && {
        Policies: {
          PasswordPolicy: resolver.resolve(
            resource.stackName,
            passwordPolicy,
            where('Policies.PasswordPolicy'),
          ),
        },
      }),
    } as CreateUserPoolCommandInput;
    return { resource, name, input, clients: [], groups: [] };
  });
  assertUnique(
    pools.map((pool) => ({ key: pool.name, owner: pool.resource })),
    (name) => `user pools named ${name}`,
  );

  const poolOf = (resource: StageResource): DeclaredPool => {
    const where = `${resource.stackName}/${resource.logicalId} UserPoolId`;
    const target = resolver.reference(resource.stackName, resource.properties.UserPoolId, where);
    const pool = pools.find(
      (candidate) =>
        candidate.resource.stackName === target.stackName &&
        candidate.resource.logicalId === target.logicalId,
    );
    if (!pool || target.attribute !== undefined) {
      throw new Error(
        `${where}: expected a Ref to a user pool of the stage, found ${JSON.stringify(target)}`,
      );
    }
    return pool;
  };

  for (const resource of stage.resourcesOfType(USER_POOL_CLIENT)) {
    const where = (property: string) => `${resource.stackName}/${resource.logicalId} ${property}`;
    const { properties } = resource;
    if (resolver.resolve(resource.stackName, properties.GenerateSecret ?? false, where('GenerateSecret'))) {
      throw new Error(
        `${where('GenerateSecret')} is true: the local platform runs public clients only ` +
          '(nothing computes a SECRET_HASH for a client with a secret). Give the dev stage a client without a secret.',
      );
    }
    const pool = poolOf(resource);
    const name =
      properties.ClientName === undefined
        ? readableLogicalId(resource.logicalId)
        : resolver.resolveString(resource.stackName, properties.ClientName, where('ClientName'));
    pool.clients.push({
      resource,
      input: {
        ClientName: name,
        ...resolvedProperties(resolver, resource, CLIENT_PROPERTIES),
        GenerateSecret: false,
      } as Omit<CreateUserPoolClientCommandInput, 'UserPoolId'>,
    });
  }

  for (const resource of stage.resourcesOfType(USER_POOL_GROUP)) {
    const where = (property: string) => `${resource.stackName}/${resource.logicalId} ${property}`;
    const { properties } = resource;
    const pool = poolOf(resource);
    const resolved = resolvedProperties(resolver, resource, ['Description', 'Precedence'] as const);
    pool.groups.push({
      resource,
      name:
        properties.GroupName === undefined
          ? readableLogicalId(resource.logicalId)
          : resolver.resolveString(resource.stackName, properties.GroupName, where('GroupName')),
      ...(typeof resolved.Description === 'string' && { description: resolved.Description }),
      ...(resolved.Precedence !== undefined && { precedence: Number(resolved.Precedence) }),
    });
  }

  for (const pool of pools) {
    assertUnique(
      pool.clients.map((client) => ({ key: client.input.ClientName ?? '', owner: client.resource })),
      (name) => `clients named ${name} in user pool ${pool.name}`,
    );
    assertUnique(
      pool.groups.map((group) => ({ key: group.name, owner: group.resource })),
      (name) => `groups named ${name} in user pool ${pool.name}`,
    );
  }
  return pools;
}

async function ensurePool(
  cognito: CognitoIdentityProviderClient,
  pool: DeclaredPool,
  existing: readonly UserPoolDescriptionType[],
): Promise<string> {
  const found = existing
    .filter((candidate) => candidate.Name === pool.name && candidate.Id)
    .sort((a, b) => (a.CreationDate?.getTime() ?? 0) - (b.CreationDate?.getTime() ?? 0))[0];
  if (!found?.Id) {
    const { UserPool } = await cognito.send(new CreateUserPoolCommand(pool.input));
    if (!UserPool?.Id) throw new Error(`cognito-local created user pool ${pool.name} without an id`);
    return UserPool.Id;
  }
  const { UserPool: current } = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: found.Id }));
  assertSameSignIn(pool, found.Id, current);
  const update: Record<string, unknown> = { UserPoolId: found.Id };
  for (const property of MUTABLE_POOL_PROPERTIES) {
    update[property] = pool.input[property] ?? current?.[property];
  }
  await cognito.send(new UpdateUserPoolCommand(update as unknown as UpdateUserPoolCommandInput));
  return found.Id;
}

/** How users sign in cannot change on an existing pool (CloudFormation would replace it). */
function assertSameSignIn(pool: DeclaredPool, userPoolId: string, current: UserPoolType | undefined): void {
  for (const property of ['UsernameAttributes', 'AliasAttributes'] as const) {
    const wanted = [...(pool.input[property] ?? [])].sort().join(',');
    const actual = [...(current?.[property] ?? [])].sort().join(',');
    if (wanted !== actual) {
      throw new Error(
        `user pool ${pool.name} (${userPoolId}) in cognito-local has ${property} [${actual}], the template ` +
          `${pool.resource.stackName}/${pool.resource.logicalId} now says [${wanted}]: a pool cannot change ` +
          "this; delete the local platform's .cognito/ directory to recreate the pools (and lose their users)",
      );
    }
  }
}

async function ensureClient(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  client: DeclaredClient,
  existing: readonly UserPoolClientDescription[],
): Promise<LocalUserPoolClient> {
  const name = client.input.ClientName ?? '';
  const found = existing.find((candidate) => candidate.ClientName === name && candidate.ClientId);
  let clientId = found?.ClientId;
  if (clientId) {
    const update: Record<string, unknown> = { ...client.input, UserPoolId: userPoolId, ClientId: clientId };
    delete update.GenerateSecret;
    await cognito.send(
      new UpdateUserPoolClientCommand(update as unknown as UpdateUserPoolClientCommandInput),
    );
  } else {
    const { UserPoolClient } = await cognito.send(
      new CreateUserPoolClientCommand({ ...client.input, UserPoolId: userPoolId }),
    );
    clientId = UserPoolClient?.ClientId;
    if (!clientId) throw new Error(`cognito-local created client ${name} without an id`);
  }
  return {
    logicalId: client.resource.logicalId,
    clientId,
    name,
    explicitAuthFlows: client.input.ExplicitAuthFlows ?? [],
  };
}

async function ensureGroup(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  group: DeclaredGroup,
  existing: ReadonlySet<string>,
): Promise<void> {
  const input = {
    UserPoolId: userPoolId,
    GroupName: group.name,
    Description: group.description,
    Precedence: group.precedence,
  };
  await cognito.send(
    existing.has(group.name) ? new UpdateGroupCommand(input) : new CreateGroupCommand(input),
  );
}

/** The listed properties the resource sets, with their intrinsics resolved. */
function resolvedProperties<K extends string>(
  resolver: IntrinsicResolver,
  resource: StageResource,
  keys: readonly K[],
): Partial<Record<K, unknown>> {
  const resolved: Partial<Record<K, unknown>> = {};
  for (const key of keys) {
    const value = resource.properties[key];
    if (value === undefined) continue;
    resolved[key] = resolver.resolve(
      resource.stackName,
      value,
      `${resource.stackName}/${resource.logicalId} ${key}`,
    );
  }
  return resolved;
}

function assertUnique(
  entries: readonly { key: string; owner: StageResource }[],
  describe: (key: string) => string,
): void {
  const owners = new Map<string, StageResource>();
  for (const { key, owner } of entries) {
    const previous = owners.get(key);
    if (previous && previous !== owner) {
      throw new Error(
        `two ${describe(key)}: ${previous.stackName}/${previous.logicalId} and ${owner.stackName}/${owner.logicalId}; ` +
          'give them different names, the local platform finds them by name',
      );
    }
    owners.set(key, owner);
  }
}

/** CDK appends an 8-character hash to logical ids; the rest is the construct path, readable. */
function readableLogicalId(logicalId: string): string {
  const readable = logicalId.replace(/[0-9A-F]{8}$/, '');
  return readable.length > 0 ? readable : logicalId;
}
