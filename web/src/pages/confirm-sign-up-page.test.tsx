import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AuthError } from '../auth/cognito-session';
import { FakeSession } from '../testing/fake-session';
import { renderPage } from '../testing/render-page';
import { ConfirmSignUpPage } from './confirm-sign-up-page';

function renderAt(url: string, session?: FakeSession): FakeSession {
  return renderPage(<ConfirmSignUpPage />, { url, session }).session;
}

describe('ConfirmSignUpPage', () => {
  it('confirms the email with the code, then goes to sign in, keeping the email and next', async () => {
    const session = renderAt('/confirm-sign-up?email=new%40example.com&next=%2Fcheckout');
    const user = userEvent.setup();

    await user.type(screen.getByLabelText('Code'), '123456');
    await user.click(screen.getByRole('button', { name: 'Confirm' }));

    expect(
      await screen.findByText('at /sign-in?email=new%40example.com&next=%2Fcheckout&confirmed=1'),
    ).toBeInTheDocument();
    expect(session.confirmSignUp).toHaveBeenCalledWith('new@example.com', '123456');
  });

  it('shows why the code was refused', async () => {
    const session = new FakeSession();
    session.confirmSignUp.mockRejectedValueOnce(new AuthError('expired-code'));
    renderAt('/confirm-sign-up?email=new%40example.com', session);
    const user = userEvent.setup();

    await user.type(screen.getByLabelText('Code'), '123456');
    await user.click(screen.getByRole('button', { name: 'Confirm' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('That code has expired. Ask for a new one.');
  });

  it('sends a new code on request, and says so', async () => {
    const session = renderAt('/confirm-sign-up?email=new%40example.com');

    await userEvent.setup().click(screen.getByRole('button', { name: 'Send a new code' }));

    expect(await screen.findByRole('status')).toHaveTextContent('We sent a new code to new@example.com.');
    expect(session.resendConfirmationCode).toHaveBeenCalledWith('new@example.com');
  });

  it('asks for the email when the link had none', () => {
    renderAt('/confirm-sign-up');

    expect(screen.getByLabelText('Email')).toHaveValue('');
    expect(screen.getByRole('button', { name: 'Send a new code' })).toBeDisabled();
  });
});
