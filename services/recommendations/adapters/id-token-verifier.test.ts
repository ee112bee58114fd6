import { startTestUserPool, type TestUserPool } from '../testing/test-user-pool';
import {
  IdTokenVerificationUnavailableError,
  IdTokenVerifier,
  InvalidIdTokenError,
} from './id-token-verifier';

describe('IdTokenVerifier', () => {
  let pool: TestUserPool;
  let verifier: IdTokenVerifier;
  let shopper: Awaited<ReturnType<TestUserPool['signIn']>>;

  beforeAll(async () => {
    pool = await startTestUserPool();
    verifier = new IdTokenVerifier({ issuer: pool.issuer, clientId: pool.clientId });
    shopper = await pool.signIn('shopper@example.com');
  });

  afterAll(() => pool.stop());

  const claims = () => JSON.parse(Buffer.from(shopper.idToken.split('.')[1]!, 'base64url').toString());

  it("gives the shopper of an ID token of the pool, its keys fetched over cognito-local's http", async () => {
    await expect(verifier.verify(shopper.idToken)).resolves.toEqual({ userId: shopper.sub });
  });

  it("fetches the pool's keys once, and checks later tokens against the keys it cached", async () => {
    const fetches: string[] = [];
    const counting = new IdTokenVerifier({
      issuer: pool.issuer,
      clientId: pool.clientId,
      fetch: (input, init) => {
        fetches.push(String(input));
        return fetch(input, init);
      },
    });

    await counting.verify(shopper.idToken);
    await counting.verify(shopper.idToken);

    expect(fetches).toEqual([`${pool.issuer}/.well-known/jwks.json`]);
  });

  it.each([
    ['an access token', () => shopper.accessToken],
    ['an expired ID token', () => pool.signed({ ...claims(), exp: Math.floor(Date.now() / 1000) - 60 })],
    ['an ID token for another client', () => pool.signed({ ...claims(), aud: 'another-client' })],
    ['an ID token of another issuer', () => pool.signed({ ...claims(), iss: 'http://127.0.0.1:1/other' })],
    [
      'a tampered ID token',
      () => {
        const [header, , signature] = shopper.idToken.split('.');
        const payload = Buffer.from(JSON.stringify({ ...claims(), sub: 'someone-else' })).toString(
          'base64url',
        );
        return `${header}.${payload}.${signature}`;
      },
    ],
    ['something that is no JWT', () => 'not-a-token'],
  ])('rejects %s as invalid', async (_, token) => {
    await expect(verifier.verify(token())).rejects.toBeInstanceOf(InvalidIdTokenError);
  });

  it("says verification is unavailable, not that the token is invalid, when the pool's keys cannot be read", async () => {
    const cut = new IdTokenVerifier({
      issuer: pool.issuer,
      clientId: pool.clientId,
      fetch: async () => {
        throw new TypeError('fetch failed');
      },
    });

    await expect(cut.verify(shopper.idToken)).rejects.toBeInstanceOf(IdTokenVerificationUnavailableError);
  });
});
