/**
 * What the deployment writes to `/config.json` beside the site (infra/constructs/website-content.ts),
 * so that one build serves every stage. The local platform serves the same file, with `apiUrl` and
 * `cognitoEndpoint` pointing at itself.
 */
export interface RuntimeConfig {
  readonly environment: string;
  readonly region: string;
  readonly userPoolId: string;
  readonly userPoolClientId: string;
  /** The shop API's base URL, ending with a slash. */
  readonly apiUrl: string;
  /** Where Cognito's user pool API answers; absent in AWS (the regional endpoint is used). */
  readonly cognitoEndpoint?: string;
}

const REQUIRED = ['environment', 'region', 'userPoolId', 'userPoolClientId', 'apiUrl'] as const;

/** The site cannot start without its configuration; the message says which value is wrong. */
export class RuntimeConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuntimeConfigError';
  }
}

/** Reads `/config.json`, never from a cache, and checks that it has every value the site needs. */
export async function loadRuntimeConfig(fetchImpl: typeof fetch = fetch): Promise<RuntimeConfig> {
  let response: Response;
  try {
    response = await fetchImpl('/config.json', { cache: 'no-store' });
  } catch {
    throw new RuntimeConfigError('The shop could not be reached. Check your connection and reload the page.');
  }
  if (!response.ok)
    throw new RuntimeConfigError(`The shop's configuration is missing (HTTP ${response.status}).`);
  return parseRuntimeConfig(await response.json().catch(() => undefined));
}

export function parseRuntimeConfig(value: unknown): RuntimeConfig {
  if (typeof value !== 'object' || value === null) {
    throw new RuntimeConfigError("The shop's configuration is not a JSON object.");
  }
  const record = value as Record<string, unknown>;
  const wrong = REQUIRED.filter((key) => typeof record[key] !== 'string' || record[key] === '');
  if (wrong.length > 0) {
    throw new RuntimeConfigError(`The shop's configuration lacks ${wrong.join(', ')}.`);
  }
  const config = record as unknown as RuntimeConfig;
  return {
    environment: config.environment,
    region: config.region,
    userPoolId: config.userPoolId,
    userPoolClientId: config.userPoolClientId,
    apiUrl: config.apiUrl.endsWith('/') ? config.apiUrl : `${config.apiUrl}/`,
    ...(typeof config.cognitoEndpoint === 'string' && { cognitoEndpoint: config.cognitoEndpoint }),
  };
}
