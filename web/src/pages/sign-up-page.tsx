import { useState } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { AuthForm, EmailField, useAuthAction } from '../auth/auth-form';
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
  const { busy, error, run } = useAuthAction();

  // Signing in re-renders the page with the user: this is what sends the shopper on.
  if (user) return <Navigate to={next} replace />;

  const signUp = () =>
    run(async () => {
      const { confirmed } = await session.signUp(email, password);
      if (confirmed) {
        await session.signIn(email, password);
      } else {
        await navigate(authPagePath('/confirm-sign-up', { email, next }));
      }
    });

  return (
    <>
      <h1>Create an account</h1>
      <AuthForm
        onSubmit={() => void signUp()}
        busy={busy}
        error={error}
        submitLabel="Create account"
        busyLabel="Creating your account…"
      >
        <EmailField value={email} onChange={setEmail} />
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
      </AuthForm>
      <p>
        Already have an account? <Link to={authPagePath('/sign-in', { next })}>Sign in</Link>
      </p>
    </>
  );
}
