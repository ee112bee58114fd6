import { useState } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { authErrorMessage, AuthError } from '../auth/auth-error';
import { authPagePath, nextPathFrom } from '../auth/auth-paths';
import { TextField } from '../components/text-field';
import { useShopServices, useSignedInUser } from '../shop-services';

/**
 * Sign-in with email and password. Once signed in (here or in another tab) the shopper goes on to
 * `?next=`, a path of this site, or the home page; a shopper whose email is not confirmed yet goes
 * to the confirmation page. `?email=` fills the email in, `?confirmed=1` says the account is ready.
 */
export function SignInPage() {
  const { session } = useShopServices();
  const user = useSignedInUser();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = nextPathFrom(params);
  const [email, setEmail] = useState(params.get('email') ?? '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [submitting, setSubmitting] = useState(false);

  // Signing in re-renders the page with the user: this is what sends the shopper on.
  if (user) return <Navigate to={next} replace />;

  async function signIn() {
    setSubmitting(true);
    setError(undefined);
    try {
      await session.signIn(email, password);
    } catch (failure) {
      if (failure instanceof AuthError && failure.code === 'not-confirmed') {
        await navigate(authPagePath('/confirm-sign-up', { email, next }));
        return;
      }
      setError(authErrorMessage(failure));
      setSubmitting(false);
    }
  }

  return (
    <>
      <h1>Sign in</h1>
      {params.get('confirmed') === '1' && (
        <p role="status" className="notice">
          Your email address is confirmed. Sign in to continue.
        </p>
      )}
      <form
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          void signIn();
        }}
      >
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={setEmail}
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={setPassword}
        />
        {error && (
          <p role="alert" className="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button button-primary" disabled={submitting}>
          {submitting ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p>
        New here? <Link to={authPagePath('/sign-up', { next })}>Create an account</Link>
      </p>
    </>
  );
}
