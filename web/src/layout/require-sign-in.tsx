import { Navigate, Outlet, useLocation } from 'react-router';
import { authPagePath } from '../auth/auth-paths';
import { useSignedInUser } from '../shop-services';

/** Pages for a signed-in shopper: anyone else goes to sign-in, and comes back here after it. */
export function RequireSignIn() {
  const user = useSignedInUser();
  const location = useLocation();
  if (!user)
    return <Navigate to={authPagePath('/sign-in', { next: location.pathname + location.search })} replace />;
  return <Outlet />;
}

/** Pages for shop staff (the `admin` group). */
export function RequireAdmin() {
  const user = useSignedInUser();
  const location = useLocation();
  if (!user) return <Navigate to={authPagePath('/sign-in', { next: location.pathname })} replace />;
  if (!user.isAdmin) {
    return (
      <section className="page">
        <h1>Shop staff only</h1>
        <p role="alert" className="alert">
          This page is for shop staff. You are signed in as {user.email}, who is not one.
        </p>
      </section>
    );
  }
  return <Outlet />;
}
