/** @jest-environment node */
import { loadRuntimeConfig, parseRuntimeConfig, RuntimeConfigError } from './runtime-config';

const deployed = {
  environment: 'dev',
  region: 'us-east-1',
  userPoolId: 'us-east-1_abc',
  userPoolClientId: 'client-1',
  apiUrl: 'https://abc.execute-api.us-east-1.amazonaws.com/v1',
};

const answering = (response: Response | Error) =>
  jest.fn(async () => {
    if (response instanceof Error) throw response;
    return response;
  }) as unknown as typeof fetch;

describe('the runtime configuration', () => {
  it('reads config.json, never from a cache, with the API URL ending in a slash', async () => {
    const fetchConfig = answering(new Response(JSON.stringify(deployed), { status: 200 }));
    await expect(loadRuntimeConfig(fetchConfig)).resolves.toEqual({
      ...deployed,
      apiUrl: 'https://abc.execute-api.us-east-1.amazonaws.com/v1/',
    });
    expect(fetchConfig).toHaveBeenCalledWith('/config.json', { cache: 'no-store' });
  });

  it("keeps the local platform's Cognito endpoint, and drops unknown values", () => {
    expect(
      parseRuntimeConfig({ ...deployed, cognitoEndpoint: 'http://127.0.0.1:9229', extra: 'ignored' }),
    ).toEqual({ ...deployed, apiUrl: `${deployed.apiUrl}/`, cognitoEndpoint: 'http://127.0.0.1:9229' });
  });

  it('names every value that is missing or empty', () => {
    expect(() => parseRuntimeConfig({ ...deployed, userPoolId: '', apiUrl: undefined })).toThrow(
      new RuntimeConfigError("The shop's configuration lacks userPoolId, apiUrl."),
    );
    expect(() => parseRuntimeConfig('nonsense')).toThrow("The shop's configuration is not a JSON object.");
  });

  it('says what went wrong when config.json cannot be read', async () => {
    await expect(loadRuntimeConfig(answering(new Response('', { status: 404 })))).rejects.toThrow(
      "The shop's configuration is missing (HTTP 404).",
    );
    await expect(loadRuntimeConfig(answering(new TypeError('Failed to fetch')))).rejects.toThrow(
      'The shop could not be reached. Check your connection and reload the page.',
    );
    await expect(loadRuntimeConfig(answering(new Response('<html>', { status: 200 })))).rejects.toThrow(
      "The shop's configuration is not a JSON object.",
    );
  });
});
