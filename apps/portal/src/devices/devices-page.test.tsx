import { fireEvent, render, screen, within } from '@testing-library/react';
import type { ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../api/api-client';
import { AuthContext } from '../auth/auth-context';
import { fakeFetch, machines } from '../test-support/fake-api';
import { DevicesPage, filterDevices } from './devices-page';

function withApi(fetchImpl: typeof fetch, children: ReactNode) {
  const session = { token: 't', tenant: 'default', username: 'a', role: 'viewer', expiresAt: null };
  const api = new ApiClient({ token: 't', fetch: fetchImpl });
  return <AuthContext.Provider value={{ session, api, signOut: () => {} }}>{children}</AuthContext.Provider>;
}

describe('DevicesPage', () => {
  it('shows a loading state, then a page of 25 devices with their columns', async () => {
    const fake = fakeFetch({ 'GET /api/machines': () => ({ status: 200, body: { value: machines(60) } }) });
    render(withApi(fake.fetch, <DevicesPage page={1} />));
    expect(screen.getByRole('status').textContent).toContain('Loading devices');
    const table = await screen.findByRole('table', { name: 'Devices' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(25);
    expect(rows[0]?.textContent).toContain('host-001');
    expect(rows[0]?.textContent).toContain('Linux');
    expect(rows[0]?.textContent).toContain('2026-11-28 12:00:00 UTC');
    expect(rows[2]?.textContent).toContain('Offboarded');
    expect(screen.getByText('1–25 of 60 · page 1 of 3')).toBeTruthy();
  });

  it('shows health and isolation, the isolated device standing out, and filters by health', async () => {
    const fake = fakeFetch({ 'GET /api/machines': () => ({ status: 200, body: { value: machines(30) } }) });
    render(withApi(fake.fetch, <DevicesPage page={1} />));
    const table = await screen.findByRole('table', { name: 'Devices' });
    const headers = within(table)
      .getAllByRole('columnheader')
      .map((h) => h.textContent);
    expect(headers).toContain('Health');
    expect(headers).toContain('Isolation');
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows[0]?.textContent).toContain('Active');
    expect(rows[0]?.textContent).toContain('Not isolated');
    const isolated = within(rows[1] as HTMLElement).getByText('Isolated');
    expect(isolated.className).toBe('badge isolated');
    expect(rows[3]?.textContent).toContain('Isolation pending');
    expect(rows[6]?.textContent).toContain('Impaired communication');

    fireEvent.change(screen.getByLabelText('Health'), { target: { value: 'Inactive' } });
    const inactive = within(table).getAllByRole('row').slice(1);
    // host-003 (offboarded) and every fifth device: 5, 10, 15, 20, 25, 30.
    expect(inactive.map((r) => within(r).getByRole('link').textContent)).toEqual([
      'host-003',
      'host-005',
      'host-010',
      'host-015',
      'host-020',
      'host-025',
      'host-030',
    ]);
    fireEvent.change(screen.getByLabelText('Health'), { target: { value: 'ImpairedCommunication' } });
    expect(
      within(table)
        .getAllByRole('row')
        .slice(1)
        .map((r) => within(r).getByRole('link').textContent),
    ).toEqual(['host-007', 'host-014', 'host-021', 'host-028']);
    fireEvent.change(screen.getByLabelText('Search devices'), { target: { value: 'nothing-like-this' } });
    expect(await screen.findByText('No device matches the search and health filter.')).toBeTruthy();
  });

  it('shows the last page of a deep link', async () => {
    const fake = fakeFetch({ 'GET /api/machines': () => ({ status: 200, body: { value: machines(60) } }) });
    render(withApi(fake.fetch, <DevicesPage page={3} />));
    const table = await screen.findByRole('table', { name: 'Devices' });
    expect(within(table).getAllByRole('row')).toHaveLength(11);
    expect(screen.getByRole('button', { name: 'Next ›' })).toHaveProperty('disabled', true);
  });

  it('shows the error with a retry that loads again', async () => {
    let fail = true;
    const fake = fakeFetch({
      'GET /api/machines': () =>
        fail
          ? { status: 500, body: { error: { code: 'INTERNAL', message: 'boom' } } }
          : { status: 200, body: { value: machines(1) } },
    });
    render(withApi(fake.fetch, <DevicesPage page={1} />));
    expect((await screen.findByRole('alert')).textContent).toContain('INTERNAL: boom');
    fail = false;
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByRole('link', { name: 'host-001' })).toBeTruthy();
  });

  it('says when no device has enrolled', async () => {
    const fake = fakeFetch({ 'GET /api/machines': () => ({ status: 200, body: { value: [] } }) });
    render(withApi(fake.fetch, <DevicesPage page={1} />));
    expect(await screen.findByText(/No device has enrolled yet/)).toBeTruthy();
  });

  it('searches name, id and OS', () => {
    const list = machines(12);
    expect(filterDevices(list, 'HOST-01').map((m) => m.computerDnsName)).toEqual(['host-010', 'host-011', 'host-012']);
    expect(filterDevices(list, 'windows')).toHaveLength(6);
    expect(filterDevices(list, 'id-7')).toHaveLength(1);
    expect(filterDevices(list, 'linux', 'Inactive').map((m) => m.computerDnsName)).toEqual(['host-003', 'host-005']);
  });
});
