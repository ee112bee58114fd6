import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { authErrorMessage } from '../auth/auth-error';
import { authPagePath, nextPathFrom } from '../auth/auth-paths';
import { TextField } from '../components/text-field';
import { useShopServices } from '../shop-services';

/**
 * Confirmation of a new account with the code Cognito emailed (`?email=` fills the email in). Once
 * confirmed, the shopper signs in, then goes on to `?next=`.
 */
export function ConfirmSignUpPage() {
  const { session } = useShopServices();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = nextPathFrom(params);
  const [email, setEmail] = useState(params.get('email') ?? '');
  const [code, setCode] = useState('');
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function confirm() {
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    try {
      await session.confirmSignUp(email, code);
      await navigate(authPagePath('/sign-in', { email, next, confirmed: '1' }));
    } catch (failure) {
      setError(authErrorMessage(failure));
      setBusy(false);
    }
  }

  async function resend() {
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    try {
      await session.resendConfirmationCode(email);
      setNotice(`We sent a new code to ${email}.`);
    } catch (failure) {
      setError(authErrorMessage(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <h1>Confirm your email address</h1>
      <p>We emailed you a code. Enter it here to finish creating your account.</p>
      <form
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          void confirm();
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
          label="Code"
          name="code"
          type="text"
          inputMode="numeric"
          autoComplete="one-time-code"
          required
          value={code}
          onChange={setCode}
        />
        {error && (
          <p role="alert" className="alert">
            {error}
          </p>
        )}
        {notice && (
          <p role="status" className="notice">
            {notice}
          </p>
        )}
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Please wait…' : 'Confirm'}
        </button>
        <button type="button" className="button" disabled={busy || !email} onClick={() => void resend()}>
          Send a new code
        </button>
      </form>
    </>
  );
}
