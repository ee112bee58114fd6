import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate, useSearchParams } from 'react-router';
import { authPagePath } from '../auth/auth-paths';
import { itemCount } from '../cart/cart';
import { CATEGORIES } from '../catalog/categories';
import { useCart, useShopServices, useSignedInUser } from '../shop-services';

/** The header (search, cart, account), the departments, the page, and a footer; a page view per route. */
export function SiteLayout() {
  const location = useLocation();
  const { tracker } = useShopServices();
  const mainRef = useRef<HTMLElement>(null);

  useEffect(() => {
    tracker.track({ type: 'page_view' });
  }, [tracker, location.pathname]);

  // A new page: focus moves to it, as a full page load would, for keyboard and screen reader users.
  const firstRender = useRef(true);
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    mainRef.current?.focus();
  }, [location.pathname]);

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="site-header-row">
          <Link to="/" className="brand">
            Shop
          </Link>
          <SearchForm />
          <AccountMenu />
        </div>
        <nav aria-label="Departments" className="departments">
          <ul>
            {CATEGORIES.map((category) => (
              <li key={category.slug}>
                <NavLink to={`/category/${category.slug}`}>{category.label}</NavLink>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main" ref={mainRef} tabIndex={-1} className="page">
        <Outlet />
      </main>
      <footer className="site-footer">
        <p>Prices include taxes. Orders ship within two working days.</p>
      </footer>
    </>
  );
}

function SearchForm() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [text, setText] = useState(params.get('q') ?? '');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const q = text.trim();
    if (q) void navigate(`/search?${new URLSearchParams({ q })}`);
  };
  return (
    <form role="search" className="search-form" onSubmit={submit}>
      <label htmlFor="site-search" className="visually-hidden">
        Search products
      </label>
      <input
        id="site-search"
        type="search"
        placeholder="Search products"
        value={text}
        maxLength={100}
        onChange={(event) => setText(event.target.value)}
      />
      <button type="submit" className="button">
        Search
      </button>
    </form>
  );
}

function AccountMenu() {
  const user = useSignedInUser();
  const cart = useCart();
  const { session } = useShopServices();
  const location = useLocation();
  const count = itemCount(cart);
  return (
    <nav aria-label="Account" className="account-menu">
      <ul>
        {user?.isAdmin && (
          <li>
            <NavLink to="/admin">Live analytics</NavLink>
          </li>
        )}
        {user ? (
          <>
            <li>
              <NavLink to="/orders">Orders</NavLink>
            </li>
            <li>
              <button type="button" className="link-button" onClick={() => void session.signOut()}>
                Sign out
              </button>
            </li>
          </>
        ) : (
          <li>
            <Link to={authPagePath('/sign-in', { next: location.pathname + location.search })}>Sign in</Link>
          </li>
        )}
        <li>
          <NavLink to="/cart" className="cart-link">
            Cart{' '}
            <span className="cart-count" aria-label={`${count} items`}>
              {count}
            </span>
          </NavLink>
        </li>
      </ul>
    </nav>
  );
}
