import { platformUnderTest } from './platform';

const platform = platformUnderTest();
const get = (path: string, init?: RequestInit) => fetch(`${platform.websiteUrl}${path}`, init);
/** Only a deployed stage sits behind CloudFront's HTTPS endpoint. */
const itWhenServedOverHttps = platform.websiteUrl.startsWith('https://') ? it : it.skip;

describe('storefront', () => {
  it('serves the storefront page', async () => {
    const response = await get('/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await response.text()).toContain('<html');
  });

  // CloudFront's response headers policy: a deployed stage only.
  itWhenServedOverHttps('serves the site over HTTPS with security headers', async () => {
    const response = await get('/');
    expect(response.status).toBe(200);
    expect(response.headers.get('strict-transport-security')).toMatch(/max-age=63072000; includeSubDomains/i);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await response.text()).toContain('<html');
  });

  it('serves the runtime config of this environment at /config.json', async () => {
    const response = await get('/config.json');
    expect(response.status).toBe(200);
    const config = (await response.json()) as { apiUrl?: unknown };
    expect(config).toMatchObject({
      userPoolId: platform.userPoolId,
      userPoolClientId: platform.userPoolClientId,
      region: expect.any(String),
    });
    expect(String(config.apiUrl).replace(/\/?$/, '/')).toBe(platform.apiUrl);
  });

  it('answers an app route with the storefront page', async () => {
    const [home, route] = await Promise.all([get('/'), get('/products/a-product-id')]);
    expect(route.status).toBe(200);
    expect(await route.text()).toBe(await home.text());
  });

  it('does not answer a missing file with the page', async () => {
    const response = await get('/assets/missing-file.js');
    expect([403, 404]).toContain(response.status);
  });

  itWhenServedOverHttps('redirects plain HTTP to HTTPS', async () => {
    const response = await fetch(platform.websiteUrl.replace(/^https:/, 'http:'), { redirect: 'manual' });
    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toMatch(/^https:\/\//);
  });
});
