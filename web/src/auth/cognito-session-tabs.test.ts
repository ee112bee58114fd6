import { CognitoSession } from './cognito-session';

/** An unsigned JWT with these claims: the session decodes tokens, the API verifies them. */
function jwt(claims: object): string {
  const part = (value: object) =>
    btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  return `${part({ alg: 'none' })}.${part(claims)}.signature`;
}

const inOneHour = () => Math.floor(Date.now() / 1000) + 3600;

/** What another tab does to localStorage, and the event this tab then receives. */
function anotherTabStores(idToken: string | undefined): void {
  const newValue =
    idToken === undefined
      ? null
      : JSON.stringify({ idToken, accessToken: 'access', refreshToken: 'refresh' });
  if (newValue === null) localStorage.removeItem('shop.session');
  else localStorage.setItem('shop.session', newValue);
  window.dispatchEvent(
    new StorageEvent('storage', { key: 'shop.session', newValue, storageArea: localStorage }),
  );
}

const newSession = () => new CognitoSession({ region: 'us-east-1', userPoolClientId: 'web' });

describe('CognitoSession, in one tab of several', () => {
  beforeEach(() => localStorage.clear());

  it('is signed in when another tab signs in', async () => {
    const session = newSession();
    const listener = jest.fn();
    session.subscribe(listener);
    const idToken = jwt({
      sub: 'u-1',
      email: 'ada@example.com',
      'cognito:groups': ['admin'],
      exp: inOneHour(),
    });

    anotherTabStores(idToken);

    expect(listener).toHaveBeenCalledTimes(1);
    expect(session.currentUser()).toEqual({
      userId: 'u-1',
      email: 'ada@example.com',
      groups: ['admin'],
      isAdmin: true,
    });
    expect(await session.idToken()).toBe(idToken);
  });

  it('is signed out when another tab signs out', async () => {
    anotherTabStores(jwt({ sub: 'u-1', email: 'ada@example.com', exp: inOneHour() }));
    const session = newSession();
    const listener = jest.fn();
    session.subscribe(listener);

    anotherTabStores(undefined);

    expect(listener).toHaveBeenCalledTimes(1);
    expect(session.currentUser()).toBeUndefined();
    expect(await session.idToken()).toBeUndefined();
  });

  it("keeps the same user, unnotified, when another tab refreshes the user's tokens", async () => {
    anotherTabStores(jwt({ sub: 'u-1', email: 'ada@example.com', exp: inOneHour() }));
    const session = newSession();
    const user = session.currentUser();
    const listener = jest.fn();
    session.subscribe(listener);
    const refreshed = jwt({ sub: 'u-1', email: 'ada@example.com', exp: inOneHour() + 60 });

    anotherTabStores(refreshed);

    expect(listener).not.toHaveBeenCalled();
    expect(session.currentUser()).toBe(user);
    expect(await session.idToken()).toBe(refreshed);
  });

  it('is signed out when what is stored is not a session it can read', () => {
    localStorage.setItem('shop.session', '{"idToken":"not a JWT","accessToken":"a","refreshToken":"r"}');

    expect(newSession().currentUser()).toBeUndefined();
  });
});
