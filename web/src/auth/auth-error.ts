export type AuthErrorCode =
  | 'invalid-credentials'
  | 'not-confirmed'
  | 'user-exists'
  | 'invalid-password'
  | 'invalid-code'
  | 'expired-code'
  | 'too-many-attempts'
  | 'network'
  | 'unknown';

const MESSAGES: Readonly<Record<AuthErrorCode, string>> = {
  'invalid-credentials': 'Incorrect email or password.',
  'not-confirmed': 'Your email address is not confirmed yet. Enter the code we sent you.',
  'user-exists': 'An account with this email address already exists. Sign in instead.',
  'invalid-password': 'Choose a stronger password.',
  'invalid-code': 'That code is not right. Check the email we sent you and try again.',
  'expired-code': 'That code has expired. Ask for a new one.',
  'too-many-attempts': 'Too many attempts. Wait a few minutes, then try again.',
  network: 'The sign-in service could not be reached. Check your connection and try again.',
  unknown: 'Something went wrong on our side. Try again later.',
};

/**
 * Why signing in, signing up or confirming failed: `code` for the page to act on (an unconfirmed
 * shopper goes to the confirm page), `message` to show the shopper as it is. Cognito's own error,
 * never shown, is the `cause`.
 */
export class AuthError extends Error {
  constructor(
    readonly code: AuthErrorCode,
    message: string = MESSAGES[code],
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'AuthError';
  }
}

/** What a page shows for a failure of the session: its message, or a generic one. */
export function authErrorMessage(error: unknown): string {
  return error instanceof AuthError ? error.message : MESSAGES.unknown;
}

/** The Cognito call that failed: the same Cognito error means different things in each. */
export type AuthOperation = 'sign-in' | 'refresh' | 'sign-up' | 'confirm' | 'resend' | 'sign-out';

/** Maps what a Cognito call threw to an `AuthError`. */
export function authErrorFrom(error: unknown, operation: AuthOperation): AuthError {
  if (error instanceof AuthError) return error;
  const { name, message, $metadata } = error as {
    name?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number };
  };
  const options = { cause: error };
  // No HTTP answer: the request never reached Cognito, or the SDK's chunk could not be downloaded.
  if ($metadata?.httpStatusCode === undefined) return new AuthError('network', undefined, options);
  const signingIn = operation === 'sign-in' || operation === 'refresh';
  switch (name) {
    case 'NotAuthorizedException':
      if (/attempts exceeded/i.test(message ?? ''))
        return new AuthError('too-many-attempts', undefined, options);
      if (operation === 'confirm') {
        return new AuthError(
          'unknown',
          'This account cannot be confirmed. It may be confirmed already: try signing in.',
          options,
        );
      }
      return new AuthError('invalid-credentials', undefined, options);
    case 'UserNotFoundException':
      return new AuthError(
        'invalid-credentials',
        signingIn ? undefined : 'No account uses this email address.',
        options,
      );
    case 'InvalidPasswordException':
      // cognito-local answers a wrong password with InvalidPasswordException, AWS with NotAuthorizedException.
      if (signingIn) return new AuthError('invalid-credentials', undefined, options);
      return new AuthError(
        'invalid-password',
        `Choose a stronger password: ${policyDetail(message)}`,
        options,
      );
    case 'UserNotConfirmedException':
      return new AuthError('not-confirmed', undefined, options);
    case 'UsernameExistsException':
    case 'AliasExistsException':
      return new AuthError('user-exists', undefined, options);
    case 'CodeMismatchException':
      return new AuthError('invalid-code', undefined, options);
    case 'ExpiredCodeException':
      return new AuthError('expired-code', undefined, options);
    case 'TooManyRequestsException':
    case 'TooManyFailedAttemptsException':
    case 'LimitExceededException':
      return new AuthError('too-many-attempts', undefined, options);
    default:
      return new AuthError('unknown', undefined, options);
  }
}

/** `Password did not conform with policy: Password not long enough` -> `Password not long enough.` */
function policyDetail(message: string | undefined): string {
  const detail = (message ?? '').replace(/^Password did not conform with policy:\s*/i, '').trim();
  if (!detail) return 'it does not meet the password rules.';
  return /[.!]$/.test(detail) ? detail : `${detail}.`;
}
