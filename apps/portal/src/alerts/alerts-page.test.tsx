import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../api/types';
import { hrefOf } from '../router/routes';
import { useRoute } from '../router/use-route';
import { fakeFetch, machines } from '../test-support/fake-api';
import { renderSignedIn, sampleAlert } from '../test-support/render-signed-in';
import { AlertsPage } from './alerts-page';

/** The queue as the app mounts it: from the URL, remounted when the URL changes. */
function RoutedAlerts() {
  const route = useRoute();
  return route.kind === 'alerts' ? <AlertsPage key={hrefOf(route)} filters={route.filters} page={route.page} /> : null;
}

const alerts = (n: number, from = 0): Alert[] =>
  Array.from({ length: n }, (_, i) => sampleAlert({ id: `da-${from + i}`, title: `Alert ${from + i}` }));

describe('AlertsPage', () => {
  it('lists alerts, filters and pages through server parameters, and changes the status of a selection', async () => {
    const urls: string[] = [];
    const patched: unknown[] = [];
    const fake = fakeFetch({
      'GET /api/machines': () => ({ status: 200, body: { value: machines(2) } }),
      'GET /api/alerts': () => ({ status: 200, body: { value: alerts(25), total: 30 } }),
      'PATCH /api/alerts/da-0': (body) => {
        patched.push(body);
        return { status: 200, body: sampleAlert({ id: 'da-0', status: 'Resolved' }) };
      },
      'PATCH /api/alerts/da-1': () => ({ status: 403, body: { error: { code: 'FORBIDDEN', message: 'no' } } }),
    });
    const fetchImpl: typeof fetch = (input, init) => {
      urls.push(String(input));
      return fake.fetch(input, init);
    };
    window.location.hash = '#/alerts';
    renderSignedIn(<RoutedAlerts />, fetchImpl);
    const table = await screen.findByRole('table', { name: 'Alerts' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(25);
    expect(rows[0]?.textContent).toContain('Alert 0');
    expect(rows[0]?.textContent).toContain('T1059.004 Unix Shell');
    expect(rows[0]?.textContent).toContain('host-001');
    expect(screen.getByText('1–25 of 30 · page 1 of 2')).toBeTruthy();
    expect(urls.at(-1)).toBe('/api/alerts?%24top=25&%24skip=0');

    fireEvent.click(screen.getByRole('button', { name: 'Next ›' }));
    await waitFor(() => expect(urls.at(-1)).toBe('/api/alerts?%24top=25&%24skip=25'));
    expect(window.location.hash).toBe('#/alerts?page=2');

    await screen.findByRole('table', { name: 'Alerts' });
    fireEvent.change(screen.getByLabelText('Severity'), { target: { value: 'High' } });
    fireEvent.change(screen.getByLabelText('Status'), { target: { value: 'New' } });
    fireEvent.change(screen.getByLabelText('Technique'), { target: { value: 'T1059' } });
    await screen.findByRole('option', { name: 'host-002' });
    fireEvent.change(screen.getByLabelText('Device'), { target: { value: 'id-2' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    await waitFor(() =>
      expect(urls.at(-1)).toBe(
        '/api/alerts?severity=High&status=New&technique=T1059&machineId=id-2&%24top=25&%24skip=0',
      ),
    );
    expect(window.location.hash).toBe('#/alerts?severity=High&status=New&technique=T1059&machineId=id-2');

    await screen.findByRole('table', { name: 'Alerts' });
    fireEvent.click(await screen.findByLabelText('Select Alert 0'));
    fireEvent.click(screen.getByLabelText('Select Alert 1'));
    fireEvent.change(screen.getByLabelText('Set status'), { target: { value: 'Resolved' } });
    fireEvent.click(screen.getByRole('button', { name: 'Change status of selected' }));
    expect(await screen.findByText('1 of 2 alerts set to Resolved.')).toBeTruthy();
    expect(patched).toEqual([{ status: 'Resolved' }]);
    expect((await screen.findByRole('alert')).textContent).toContain('FORBIDDEN');
  });

  it('opens a deep link with its filters and page in the form and the query', async () => {
    const urls: string[] = [];
    const fake = fakeFetch({
      'GET /api/machines': () => ({ status: 200, body: { value: machines(2) } }),
      'GET /api/alerts': () => ({ status: 200, body: { value: [], total: 0 } }),
    });
    window.location.hash = '#/alerts?severity=Medium&status=InProgress&technique=T1003&machineId=id-2&page=3';
    renderSignedIn(<RoutedAlerts />, (input, init) => {
      urls.push(String(input));
      return fake.fetch(input, init);
    });
    expect(await screen.findByText('No alert matches the filters.')).toBeTruthy();
    expect(urls).toContain(
      '/api/alerts?severity=Medium&status=InProgress&technique=T1003&machineId=id-2&%24top=25&%24skip=50',
    );
    expect((screen.getByLabelText('Severity') as HTMLSelectElement).value).toBe('Medium');
    expect((screen.getByLabelText('Technique') as HTMLInputElement).value).toBe('T1003');
    await screen.findByRole('option', { name: 'host-002' });
    expect((screen.getByLabelText('Device') as HTMLSelectElement).value).toBe('id-2');
    fireEvent.click(screen.getByRole('button', { name: 'Clear' }));
    await waitFor(() => expect(window.location.hash).toBe('#/alerts'));
    await waitFor(() => expect(urls.at(-1)).toBe('/api/alerts?%24top=25&%24skip=0'));
  });

  it('says so when there is no alert', async () => {
    const fake = fakeFetch({
      'GET /api/machines': () => ({ status: 200, body: { value: [] } }),
      'GET /api/alerts': () => ({ status: 200, body: { value: [], total: 0 } }),
    });
    renderSignedIn(<AlertsPage />, fake.fetch);
    expect(await screen.findByText('No alert yet.')).toBeTruthy();
  });
});
