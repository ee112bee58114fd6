import { useState } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { AuthError } from '../auth/auth-error';
import { AuthForm, EmailField, useAuthAction } from '../auth/auth-form';
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
  const { busy, error, run } = useAuthAction();

  // Signing in re-renders the page with the user: this is what sends the shopper on.
  if (user) return <Navigate to={next} replace />;

  const signIn = () =>
    run(async () => {
      try {
        await session.signIn(email, password);
      } catch (failure) {
        if (!(failure instanceof AuthError && failure.code === 'not-confirmed')) throw failure;
        await navigate(authPagePath('/confirm-sign-up', { email, next }));
      }
    });

  return (
    <>
      <h1>Sign in</h1>
      {params.get('confirmed') === '1' && (
        <p role="status" className="notice">
          Your email address is confirmed. Sign in to continue.
        </p>
      )}
      <AuthForm
        onSubmit={() => void signIn()}
        busy={busy}
        error={error}
        submitLabel="Sign in"
        busyLabel="Signing in…"
      >
        <EmailField value={email} onChange={setEmail} />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={setPassword}
        />
      </AuthForm>
      <p>
        New here? <Link to={authPagePath('/sign-up', { next })}>Create an account</Link>
      </p>
    </>
  );
}
