import {
  CognitoIdentityProviderClient,
  ListGroupsCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  type UserPoolClientDescription,
  type UserPoolDescriptionType,
} from '@aws-sdk/client-cognito-identity-provider';
import { LOCAL_REGION } from '../template/local-names';

/** A Cognito user pools client for cognito-local at `endpoint`; destroy it when done. */
export function localCognitoClient(endpoint: string): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
}

/** Runs `action` with a client for `endpoint`, then destroys the client. */
export async function withCognitoClient<T>(
  endpoint: string,
  action: (cognito: CognitoIdentityProviderClient) => Promise<T>,
): Promise<T> {
  const cognito = localCognitoClient(endpoint);
  try {
    return await action(cognito);
  } finally {
    cognito.destroy();
  }
}

/** Every user pool of cognito-local. */
export async function listUserPools(
  cognito: CognitoIdentityProviderClient,
): Promise<UserPoolDescriptionType[]> {
  const pools: UserPoolDescriptionType[] = [];
  let NextToken: string | undefined;
  do {
    const page = await cognito.send(new ListUserPoolsCommand({ MaxResults: 60, NextToken }));
    pools.push(...(page.UserPools ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return pools;
}

/** Every client of a user pool. */
export async function listClients(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
): Promise<UserPoolClientDescription[]> {
  const clients: UserPoolClientDescription[] = [];
  let NextToken: string | undefined;
  do {
    const page = await cognito.send(
      new ListUserPoolClientsCommand({ UserPoolId: userPoolId, MaxResults: 60, NextToken }),
    );
    clients.push(...(page.UserPoolClients ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return clients;
}

/** The names of the groups of a user pool. */
export async function listGroups(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
): Promise<string[]> {
  const names: string[] = [];
  let NextToken: string | undefined;
  do {
    const page = await cognito.send(new ListGroupsCommand({ UserPoolId: userPoolId, Limit: 60, NextToken }));
    names.push(...(page.Groups ?? []).flatMap((group) => (group.GroupName ? [group.GroupName] : [])));
    NextToken = page.NextToken;
  } while (NextToken);
  return names;
}
