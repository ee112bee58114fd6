import { useState } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { authErrorMessage } from '../auth/auth-error';
import { authPagePath, nextPathFrom } from '../auth/auth-paths';
import { PASSWORD_RULES } from '../auth/password-policy';
import { TextField } from '../components/text-field';
import { useShopServices, useSignedInUser } from '../shop-services';

/**
 * Account creation with email and password. An account Cognito confirms at once (the local
 * platform confirms every sign-up) is signed in and sent on to `?next=`; otherwise the shopper goes
 * to the confirmation page to enter the emailed code.
 */
export function SignUpPage() {
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

  async function signUp() {
    setSubmitting(true);
    setError(undefined);
    try {
      const { confirmed } = await session.signUp(email, password);
      if (confirmed) {
        await session.signIn(email, password);
      } else {
        await navigate(authPagePath('/confirm-sign-up', { email, next }));
      }
    } catch (failure) {
      setError(authErrorMessage(failure));
      setSubmitting(false);
    }
  }

  return (
    <>
      <h1>Create an account</h1>
      <form
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          void signUp();
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
          autoComplete="new-password"
          required
          value={password}
          onChange={setPassword}
          hint={PASSWORD_RULES}
        />
        {error && (
          <p role="alert" className="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button button-primary" disabled={submitting}>
          {submitting ? 'Creating your account…' : 'Create account'}
        </button>
      </form>
      <p>
        Already have an account? <Link to={authPagePath('/sign-in', { next })}>Sign in</Link>
      </p>
    </>
  );
}
