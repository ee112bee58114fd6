/**
 * The shopper user pool's password policy (infra/constructs/shopper-identity.ts), in the shape of
 * Cognito's `PasswordPolicyType` so that a test can compare the two. The storefront shows it on the
 * sign-up form and checks it before calling Cognito: the shopper learns at once what is missing,
 * and the local platform, whose Cognito emulator does not enforce password policies, refuses the
 * same passwords as AWS does.
 */
export const PASSWORD_POLICY = {
  MinimumLength: 12,
  RequireLowercase: true,
  RequireUppercase: true,
  RequireNumbers: true,
  RequireSymbols: true,
} as const;

/** The policy in one sentence, for the sign-up form. */
export const PASSWORD_RULES =
  `At least ${PASSWORD_POLICY.MinimumLength} characters, with upper and lower case letters, ` +
  'digits and symbols.';

/** Cognito's symbols: ^ $ * . [ ] { } ( ) ? " ! @ # % & / \ , > < ' : ; | _ ~ ` = + - and space. */
const SYMBOL = /[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+\- ]/;

/** What the password lacks, such as `a symbol`; empty when it meets the policy. */
export function passwordProblems(password: string): string[] {
  const problems: string[] = [];
  if (password.length < PASSWORD_POLICY.MinimumLength) {
    problems.push(`at least ${PASSWORD_POLICY.MinimumLength} characters`);
  }
  if (PASSWORD_POLICY.RequireLowercase && !/[a-z]/.test(password)) problems.push('a lowercase letter');
  if (PASSWORD_POLICY.RequireUppercase && !/[A-Z]/.test(password)) problems.push('an uppercase letter');
  if (PASSWORD_POLICY.RequireNumbers && !/[0-9]/.test(password)) problems.push('a digit');
  if (PASSWORD_POLICY.RequireSymbols && !SYMBOL.test(password)) problems.push('a symbol');
  return problems;
}
