import { act, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AuthError } from '../auth/cognito-session';
import { FakeSession } from '../testing/fake-session';
import { renderPage } from '../testing/render-page';
import { SignInPage } from './sign-in-page';

function renderAt(url: string, session?: FakeSession): FakeSession {
  return renderPage(<SignInPage />, { url, session }).session;
}

async function signIn(email = 'ada@example.com', password = 'Correct-horse-1') {
  const user = userEvent.setup();
  await user.type(screen.getByLabelText('Email'), email);
  await user.type(screen.getByLabelText('Password'), password);
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('SignInPage', () => {
  it('signs in with the email and password typed, and goes to next', async () => {
    const session = renderAt('/sign-in?next=%2Forders%3Fpage%3D2');

    await signIn();

    expect(await screen.findByText('at /orders?page=2')).toBeInTheDocument();
    expect(session.signIn).toHaveBeenCalledWith('ada@example.com', 'Correct-horse-1');
  });

  it('goes to the home page when there is no next', async () => {
    renderAt('/sign-in');

    await signIn();

    expect(await screen.findByText('at /')).toBeInTheDocument();
  });

  it.each(['//evil.example', '/\\evil.example', 'https://evil.example/', '/\t/evil.example'])(
    'refuses to leave the site for next=%j, and goes home',
    async (next) => {
      renderAt(`/sign-in?next=${encodeURIComponent(next)}`);

      await signIn();

      expect(await screen.findByText('at /')).toBeInTheDocument();
    },
  );

  it('shows why signing in failed, and lets the shopper try again', async () => {
    const session = new FakeSession();
    session.signIn.mockRejectedValueOnce(new AuthError('invalid-credentials'));
    renderAt('/sign-in', session);

    await signIn();

    expect(await screen.findByRole('alert')).toHaveTextContent('Incorrect email or password.');
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeEnabled();
  });

  it('disables the button while signing in', async () => {
    const session = new FakeSession();
    session.signIn.mockReturnValueOnce(new Promise(() => {}));
    renderAt('/sign-in', session);

    await signIn();

    expect(screen.getByRole('button', { name: 'Signing in…' })).toBeDisabled();
  });

  it('sends a shopper whose email is not confirmed to the confirmation page, with the email and next', async () => {
    const session = new FakeSession();
    session.signIn.mockRejectedValueOnce(new AuthError('not-confirmed'));
    renderAt('/sign-in?next=%2Fcheckout', session);

    await signIn('new@example.com');

    expect(
      await screen.findByText('at /confirm-sign-up?email=new%40example.com&next=%2Fcheckout'),
    ).toBeInTheDocument();
  });

  it('goes on to next when the shopper signs in in another tab', async () => {
    const session = renderAt('/sign-in?next=%2Fcheckout');

    act(() => session.setUser({ userId: 'u-1', email: 'ada@example.com', groups: [], isAdmin: false }));

    expect(await screen.findByText('at /checkout')).toBeInTheDocument();
  });

  it('fills in the email and says the account is confirmed, coming from the confirmation page', () => {
    renderAt('/sign-in?email=new%40example.com&confirmed=1');

    expect(screen.getByLabelText('Email')).toHaveValue('new@example.com');
    expect(screen.getByRole('status')).toHaveTextContent('Your email address is confirmed.');
  });

  it('links to the sign-up page, keeping next', () => {
    renderAt('/sign-in?next=%2Fcheckout');

    expect(screen.getByRole('link', { name: 'Create an account' })).toHaveAttribute(
      'href',
      '/sign-up?next=%2Fcheckout',
    );
  });
});
