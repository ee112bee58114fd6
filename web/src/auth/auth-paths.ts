/** The routes of the sign-in, sign-up and confirmation pages. */
export type AuthPage = '/sign-in' | '/sign-up' | '/confirm-sign-up';

/**
 * A link to one of the auth pages, with its query (`email`, `next`, ...); empty values and a `next`
 * of `/` are left out. Link to sign-in with `authPagePath('/sign-in', { next: here })`: the shopper
 * comes back to `here` once signed in.
 */
export function authPagePath(page: AuthPage, query: Readonly<Record<string, string | undefined>>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value && !(name === 'next' && value === '/')) params.set(name, value);
  }
  const search = params.toString();
  return search ? `${page}?${search}` : page;
}

const BASE = 'https://shop.invalid';

/**
 * Where to go once signed in: the `next` query parameter when it is a path of this site, else the
 * home page. Anything that would leave the site (`//evil.example`, `/\evil.example`, a full URL)
 * is refused, so that a sign-in link cannot send a shopper elsewhere.
 */
export function nextPathFrom(params: URLSearchParams): string {
  const next = params.get('next');
  if (!next?.startsWith('/')) return '/';
  // Resolved as a browser would (which reads `/\` as `//` and drops tabs and newlines).
  const url = new URL(next, BASE);
  return url.origin === BASE ? `${url.pathname}${url.search}${url.hash}` : '/';
}
