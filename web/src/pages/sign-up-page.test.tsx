import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AuthError } from '../auth/cognito-session';
import { FakeSession } from '../testing/fake-session';
import { renderPage } from '../testing/render-page';
import { SignUpPage } from './sign-up-page';

function renderAt(url: string, session?: FakeSession): FakeSession {
  return renderPage(<SignUpPage />, { url, session }).session;
}

async function signUp(email = 'new@example.com', password = 'Correct-horse-1') {
  const user = userEvent.setup();
  await user.type(screen.getByLabelText('Email'), email);
  await user.type(screen.getByLabelText('Password'), password);
  await user.click(screen.getByRole('button', { name: 'Create account' }));
}

describe('SignUpPage', () => {
  it('shows the password rules with the password field', () => {
    renderAt('/sign-up');

    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription(
      'At least 12 characters, with upper and lower case letters, digits and symbols.',
    );
  });

  it('signs a shopper confirmed at once in, and goes to next', async () => {
    const session = renderAt('/sign-up?next=%2Fcheckout');

    await signUp();

    expect(await screen.findByText('at /checkout')).toBeInTheDocument();
    expect(session.signUp).toHaveBeenCalledWith('new@example.com', 'Correct-horse-1');
    expect(session.signIn).toHaveBeenCalledWith('new@example.com', 'Correct-horse-1');
  });

  it('sends a shopper who must confirm to the confirmation page, with the email and next', async () => {
    const session = new FakeSession();
    session.signUp.mockResolvedValueOnce({ confirmed: false });
    renderAt('/sign-up?next=%2Fcheckout', session);

    await signUp();

    expect(
      await screen.findByText('at /confirm-sign-up?email=new%40example.com&next=%2Fcheckout'),
    ).toBeInTheDocument();
    expect(session.signIn).not.toHaveBeenCalled();
  });

  it('shows why the account could not be created', async () => {
    const session = new FakeSession();
    session.signUp.mockRejectedValueOnce(new AuthError('user-exists'));
    renderAt('/sign-up', session);

    await signUp();

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'An account with this email address already exists.',
    );
    expect(screen.getByRole('button', { name: 'Create account' })).toBeEnabled();
  });
});
