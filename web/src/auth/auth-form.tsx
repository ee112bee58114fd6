import { useState, type ReactNode } from 'react';
import { TextField } from '../components/text-field';
import { authErrorMessage } from './auth-error';

/**
 * Runs a form's Cognito call: `busy` while it runs, and its failure as a message a shopper can read
 * (`error`). The call handles its own outcomes (navigating, signing in); anything it throws is shown.
 */
export function useAuthAction(): {
  readonly busy: boolean;
  readonly error: string | undefined;
  readonly run: (action: () => Promise<void>) => Promise<void>;
} {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (failure) {
      setError(authErrorMessage(failure));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

/** The form of an auth page: its fields, the error of its last try, and its button (busy while it runs). */
export function AuthForm({
  onSubmit,
  busy,
  error,
  submitLabel,
  busyLabel,
  children,
  actions,
}: {
  readonly onSubmit: () => void;
  readonly busy: boolean;
  readonly error: string | undefined;
  readonly submitLabel: string;
  readonly busyLabel: string;
  readonly children: ReactNode;
  /** Other buttons, after the main one. */
  readonly actions?: ReactNode;
}) {
  return (
    <form
      className="form"
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit();
      }}
    >
      {children}
      {error && (
        <p role="alert" className="alert">
          {error}
        </p>
      )}
      <button type="submit" className="button button-primary" disabled={busy}>
        {busy ? busyLabel : submitLabel}
      </button>
      {actions}
    </form>
  );
}

/** The email address, the username of every account. */
export function EmailField({
  value,
  onChange,
}: {
  readonly value: string;
  readonly onChange: (value: string) => void;
}) {
  return (
    <TextField
      label="Email"
      name="email"
      type="email"
      autoComplete="email"
      required
      value={value}
      onChange={onChange}
    />
  );
}
