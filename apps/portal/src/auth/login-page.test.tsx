import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../api/api-client';
import { fakeFetch } from '../test-support/fake-api';
import { LoginPage } from './login-page';

function fill(user: string, password: string) {
  fireEvent.change(screen.getByLabelText('User name'), { target: { value: user } });
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: password } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('LoginPage', () => {
  it('signs in with tenant, user name and password', async () => {
    const login = { token: 'vgs_t', tenant: 'acme', username: 'alice', role: 'analyst', expiresAt: null };
    const fake = fakeFetch({ 'POST /api/auth/login': () => ({ status: 200, body: login }) });
    const onLogin = vi.fn();
    render(<LoginPage api={new ApiClient({ fetch: fake.fetch })} onLogin={onLogin} />);
    fireEvent.change(screen.getByLabelText('Tenant'), { target: { value: 'acme' } });
    fill('alice', 'secret');
    await waitFor(() => expect(onLogin).toHaveBeenCalledWith(login));
    expect(fake.calls[0]?.body).toEqual({ tenant: 'acme', username: 'alice', password: 'secret' });
  });

  it('says so when the password is wrong, and lets the user try again', async () => {
    const fake = fakeFetch({
      'POST /api/auth/login': () => ({ status: 401, body: { error: { code: 'AUTH_INVALID', message: 'wrong' } } }),
    });
    render(<LoginPage api={new ApiClient({ fetch: fake.fetch })} onLogin={vi.fn()} />);
    fill('alice', 'nope');
    expect(await screen.findByRole('alert')).toHaveProperty('textContent', 'Wrong tenant, user name or password.');
    expect(screen.getByRole('button', { name: 'Sign in' })).toHaveProperty('disabled', false);
  });

  it('shows why the user was sent back', () => {
    render(<LoginPage api={new ApiClient()} notice="Your session has ended" onLogin={vi.fn()} />);
    expect(screen.getByText('Your session has ended')).toBeTruthy();
  });
});
