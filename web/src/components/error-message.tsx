import { ApiError } from '../api/api-error';

/** What failed, in words, with a way to try again when trying again may help. */
export function ErrorMessage({
  error,
  title = 'Something went wrong',
  onRetry,
}: {
  readonly error: unknown;
  readonly title?: string;
  readonly onRetry?: () => void;
}) {
  const message = error instanceof Error ? error.message : 'Something went wrong. Try again later.';
  const canRetry = onRetry && (!(error instanceof ApiError) || error.retryable);
  return (
    <div role="alert" className="alert">
      <p className="alert-title">{title}</p>
      <p>{message}</p>
      {error instanceof ApiError && error.requestId && <p className="muted">Reference: {error.requestId}</p>}
      {canRetry && (
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
