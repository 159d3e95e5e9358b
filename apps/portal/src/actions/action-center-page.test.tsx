import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { useRoute } from '../router/use-route';
import { fakeFetch } from '../test-support/fake-api';
import { renderSignedIn } from '../test-support/render-signed-in';
import { sampleAction } from '../test-support/sample-action';
import { ActionCenterPage } from './action-center-page';

function Routed() {
  const route = useRoute();
  return route.kind === 'actions' ? <ActionCenterPage key={route.tab} tab={route.tab} page={route.page} /> : null;
}

describe('ActionCenterPage', () => {
  it('lists pending actions, cancels one with a comment, and pages through the server', async () => {
    const urls: string[] = [];
    let pending = [
      sampleAction(),
      sampleAction({ id: 'ma-2', title: 'Live response on host-002', type: 'LiveResponse', status: 'InProgress' }),
    ];
    const cancels: unknown[] = [];
    const fake = fakeFetch({
      'GET /api/machineactions': () => ({ status: 200, body: { value: pending, total: 30 } }),
      'POST /api/machineactions/ma-1/cancel': (body) => {
        cancels.push(body);
        pending = pending.filter((a) => a.id !== 'ma-1');
        return { status: 200, body: sampleAction({ status: 'Cancelled' }) };
      },
    });
    window.location.hash = '#/actions';
    renderSignedIn(<Routed />, (input, init) => {
      urls.push(String(input));
      return fake.fetch(input, init);
    });
    const table = await screen.findByRole('table', { name: 'Pending actions' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows[0]?.textContent).toContain('Isolate host-001');
    expect(rows[0]?.textContent).toContain('Pending');
    expect(rows[1]?.textContent).toContain('InProgress');
    expect(within(rows[1] as HTMLElement).queryByRole('button', { name: /Cancel/ })).toBeNull();
    expect(
      within(rows[0] as HTMLElement)
        .getByRole('link', { name: 'host-001' })
        .getAttribute('href'),
    ).toBe('#/devices/id-1');
    expect(urls.at(-1)).toBe('/api/machineactions?status=Pending%2CInProgress&%24top=25&%24skip=0');

    fireEvent.click(screen.getByRole('button', { name: 'Cancel Isolate host-001' }));
    const dialog = screen.getByRole('dialog', { name: 'Cancel “Isolate host-001”' });
    const confirm = within(dialog).getByRole('button', { name: 'Cancel action' });
    expect(confirm).toHaveProperty('disabled', true);
    fireEvent.change(within(dialog).getByLabelText(/Comment/), { target: { value: 'false alarm' } });
    fireEvent.click(confirm);
    expect(await within(dialog).findByText('Cancelled')).toBeTruthy();
    expect(cancels).toEqual([{ Comment: 'false alarm' }]);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Cancel Isolate host-001' })).toBeNull());

    fireEvent.click(screen.getByRole('button', { name: 'Next ›' }));
    await waitFor(() =>
      expect(urls.at(-1)).toBe('/api/machineactions?status=Pending%2CInProgress&%24top=25&%24skip=25'),
    );
    expect(window.location.hash).toBe('#/actions?page=2');
  });

  it('shows finished actions in the history, filtered by state and type, without cancel', async () => {
    const urls: string[] = [];
    const fake = fakeFetch({
      'GET /api/machineactions': () => ({
        status: 200,
        body: { value: [sampleAction({ status: 'Failed', errorMessage: 'no iptables' })], total: 1 },
      }),
    });
    window.location.hash = '#/actions?tab=history';
    renderSignedIn(<Routed />, (input, init) => {
      urls.push(String(input));
      return fake.fetch(input, init);
    });
    const table = await screen.findByRole('table', { name: 'Action history' });
    expect(within(table).queryByRole('button', { name: /Cancel/ })).toBeNull();
    expect(urls.at(-1)).toBe('/api/machineactions?status=Succeeded%2CFailed%2CTimeOut%2CCancelled&%24top=25&%24skip=0');
    fireEvent.change(screen.getByLabelText('Status'), { target: { value: 'Failed' } });
    await waitFor(() => expect(urls.at(-1)).toBe('/api/machineactions?status=Failed&%24top=25&%24skip=0'));
    fireEvent.change(screen.getByLabelText('Action type'), { target: { value: 'Isolate' } });
    await waitFor(() => expect(urls.at(-1)).toBe('/api/machineactions?status=Failed&type=Isolate&%24top=25&%24skip=0'));
  });

  it('offers no cancel to a viewer and shows a load error', async () => {
    let fail = true;
    const fake = fakeFetch({
      'GET /api/machineactions': () =>
        fail
          ? { status: 503, body: { error: { code: 'UNAVAILABLE', message: 'try later' } } }
          : { status: 200, body: { value: [sampleAction()], total: 1 } },
    });
    window.location.hash = '#/actions';
    renderSignedIn(<Routed />, fake.fetch, 'viewer');
    expect((await screen.findByRole('alert')).textContent).toContain('UNAVAILABLE');
    fail = false;
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await screen.findByRole('table', { name: 'Pending actions' });
    expect(screen.queryByRole('button', { name: /^Cancel/ })).toBeNull();
  });
});
