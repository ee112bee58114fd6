import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { ShopServicesContext, type ShopServices } from '../shop-services';
import { FakeSession } from './fake-session';

/** Where the router went, for the pages the page under test sends the shopper to: "at /path?query". */
function Location() {
  const { pathname, search } = useLocation();
  return <p>at {`${pathname}${search}`}</p>;
}

/**
 * Renders a page at `url` in a memory router, with a `FakeSession` (and any other `services` given)
 * as the shop's services. The page answers at `path` (`url`'s path unless given, e.g. for a
 * `/orders/:orderId` route); any other path shows "at /path?query", so that a test can see where
 * the page sent the shopper with `screen.findByText('at /checkout')`.
 */
export function renderPage(
  page: ReactElement,
  {
    url,
    path = new URL(url, 'http://localhost').pathname,
    session = new FakeSession(),
    services = {},
  }: {
    readonly url: string;
    readonly path?: string;
    readonly session?: FakeSession;
    readonly services?: Partial<ShopServices>;
  },
): RenderResult & { readonly session: FakeSession } {
  const value = { ...services, session: session.asSession() } as ShopServices;
  const result = render(
    <ShopServicesContext.Provider value={value}>
      <MemoryRouter initialEntries={[url]}>
        <Routes>
          <Route path={path} element={page} />
          <Route path="*" element={<Location />} />
        </Routes>
      </MemoryRouter>
    </ShopServicesContext.Provider>,
  );
  return { ...result, session };
}
