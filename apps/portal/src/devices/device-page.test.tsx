import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../api/api-client';
import type { HuntResult } from '../api/types';
import { AuthContext } from '../auth/auth-context';
import { fakeFetch, machines } from '../test-support/fake-api';
import { DevicePage } from './device-page';

function events(n: number): HuntResult {
  return {
    Schema: [],
    Results: Array.from({ length: n }, (_, i) => ({
      EventTable: i % 2 ? 'DeviceNetworkEvents' : 'DeviceProcessEvents',
      Timestamp: new Date(Date.UTC(2026, 10, 28) - i * 1000).toISOString(),
      ActionType: i % 2 ? 'ConnectionSuccess' : 'ProcessCreated',
      FileName: i % 2 ? '' : `p${i}`,
      RemoteIP: i % 2 ? `10.0.0.${i}` : '',
      InitiatingProcessFileName: 'bash',
    })),
    Truncated: false,
  };
}

function renderDevice(fetchImpl: typeof fetch) {
  const session = { token: 't', tenant: 'default', username: 'a', role: 'viewer', expiresAt: null };
  const api = new ApiClient({ token: 't', fetch: fetchImpl });
  render(
    <AuthContext.Provider value={{ session, api, signOut: () => {} }}>
      <DevicePage id="id-1" />
    </AuthContext.Provider>,
  );
}

describe('DevicePage', () => {
  it('shows the device and its timeline, pages it and filters it through hunting queries', async () => {
    const fake = fakeFetch({
      'GET /api/machines/id-1': () => ({ status: 200, body: machines(1)[0] }),
      'POST /api/advancedqueries/run': (body) => {
        const query = (body as { Query: string }).Query;
        return { status: 200, body: events(query.includes('RowNumber > 0') ? 51 : 7) };
      },
    });
    renderDevice(fake.fetch);
    expect(await screen.findByRole('heading', { name: 'host-001' })).toBeTruthy();
    const table = await screen.findByRole('table', { name: 'Device events' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(50);
    expect(rows[0]?.textContent).toContain('ProcessEvents');
    expect(rows[1]?.textContent).toContain('10.0.0.1');
    expect(fake.queries()[0]).toContain('| where DeviceId == "id-1"');
    expect(screen.getByRole('link', { name: 'Alerts on this device' }).getAttribute('href')).toBe(
      '#/alerts?machineId=id-1',
    );

    fireEvent.click(screen.getByRole('button', { name: 'Next ›' }));
    expect(await screen.findByText('51–57 · page 2')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Next ›' })).toHaveProperty('disabled', true);

    fireEvent.change(screen.getByLabelText('Event table'), { target: { value: 'DeviceNetworkEvents' } });
    fireEvent.change(screen.getByLabelText('Search events'), { target: { value: '10.0.0.1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    await screen.findByText('1–50 · page 1');
    const last = fake.queries().at(-1);
    expect(last).toMatch(/^union withsource=EventTable DeviceNetworkEvents\n/);
    expect(last).toContain('RemoteIP contains "10.0.0.1"');
  });

  it('shows health and isolation in the header, an isolated device with a badge that stands out', async () => {
    const fake = fakeFetch({
      'GET /api/machines/id-1': () => ({
        status: 200,
        body: { ...machines(1)[0], healthStatus: 'ImpairedCommunication', isolationState: 'Isolated' },
      }),
      'POST /api/advancedqueries/run': () => ({ status: 200, body: events(0) }),
    });
    renderDevice(fake.fetch);
    const heading = await screen.findByRole('heading', { name: 'host-001' });
    const head = heading.parentElement as HTMLElement;
    expect(within(head).getByText('Impaired communication').className).toBe('badge st-pending');
    expect(within(head).getByText('Isolated').className).toBe('badge isolated');
  });

  it('shows a device that does not exist as an error', async () => {
    const fake = fakeFetch({});
    renderDevice(fake.fetch);
    expect((await screen.findByRole('alert')).textContent).toContain('NOT_FOUND');
  });
});
