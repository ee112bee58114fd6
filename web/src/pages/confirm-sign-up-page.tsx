import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { AuthForm, EmailField, useAuthAction } from '../auth/auth-form';
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
  const [notice, setNotice] = useState<string>();
  const { busy, error, run } = useAuthAction();

  const confirm = () =>
    run(async () => {
      setNotice(undefined);
      await session.confirmSignUp(email, code);
      await navigate(authPagePath('/sign-in', { email, next, confirmed: '1' }));
    });

  const resend = () =>
    run(async () => {
      setNotice(undefined);
      await session.resendConfirmationCode(email);
      setNotice(`We sent a new code to ${email}.`);
    });

  return (
    <>
      <h1>Confirm your email address</h1>
      <p>We emailed you a code. Enter it here to finish creating your account.</p>
      {notice && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
      <AuthForm
        onSubmit={() => void confirm()}
        busy={busy}
        error={error}
        submitLabel="Confirm"
        busyLabel="Please wait…"
        actions={
          <button type="button" className="button" disabled={busy || !email} onClick={() => void resend()}>
            Send a new code
          </button>
        }
      >
        <EmailField value={email} onChange={setEmail} />
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
      </AuthForm>
    </>
  );
}
