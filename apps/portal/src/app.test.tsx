import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from './app';
import { fakeFetch, machines, signedIn } from './test-support/fake-api';

describe('App', () => {
  it('asks to sign in, then shows the device inventory and keeps the token for the tab', async () => {
    const fake = fakeFetch({
      'POST /api/auth/login': () => ({
        status: 200,
        body: { token: 'vgs_new', tenant: 'default', username: 'bob', role: 'admin', expiresAt: null },
      }),
      'GET /api/machines': () => ({ status: 200, body: { value: machines(2) } }),
    });
    render(<App fetchImpl={fake.fetch} />);
    fireEvent.change(screen.getByLabelText('User name'), { target: { value: 'bob' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'pw' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('link', { name: 'host-001' })).toBeTruthy();
    expect(JSON.parse(sessionStorage.getItem('vigil.session') ?? '{}').token).toBe('vgs_new');
    expect(fake.calls.at(-1)?.auth).toBe('Bearer vgs_new');
    expect(screen.getByText('bob (admin)')).toBeTruthy();
  });

  it('goes back to the sign-in page when the server answers 401', async () => {
    signedIn('vgs_stale');
    const fake = fakeFetch({
      'GET /api/machines': () => ({ status: 401, body: { error: { code: 'AUTH_INVALID', message: 'expired' } } }),
    });
    render(<App fetchImpl={fake.fetch} />);
    expect(await screen.findByText('Your session has ended; please sign in again.')).toBeTruthy();
    expect(sessionStorage.getItem('vigil.session')).toBeNull();
  });

  it('follows deep links and shows only the pages that exist', async () => {
    signedIn();
    window.location.hash = '#/devices/id-2';
    const list = machines(2);
    const fake = fakeFetch({
      'GET /api/machines/id-2': () => ({ status: 200, body: list[1] }),
      'POST /api/advancedqueries/run': () => ({ status: 200, body: { Schema: [], Results: [], Truncated: false } }),
    });
    render(<App fetchImpl={fake.fetch} />);
    expect(await screen.findByRole('heading', { name: 'host-002' })).toBeTruthy();
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect([...nav.querySelectorAll('a')].map((a) => a.textContent)).toEqual([
      'Alerts',
      'Devices',
      'Advanced hunting',
      'Action center',
      'Rules',
      'Indicators',
    ]);
    expect(nav.querySelector('[aria-current="page"]')?.textContent).toBe('Devices');
    await waitFor(() => expect(screen.getByText('No events match.')).toBeTruthy());
  });

  it('signs out', async () => {
    signedIn();
    const fake = fakeFetch({
      'GET /api/machines': () => ({ status: 200, body: { value: [] } }),
      'POST /api/auth/logout': () => ({ status: 200, body: { ok: true } }),
    });
    render(<App fetchImpl={fake.fetch} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Sign out' }));
    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeTruthy();
    expect(fake.calls.some((c) => c.path === '/api/auth/logout')).toBe(true);
  });
});
