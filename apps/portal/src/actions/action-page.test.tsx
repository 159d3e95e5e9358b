import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeFetch } from '../test-support/fake-api';
import { renderSignedIn } from '../test-support/render-signed-in';
import { sampleAction } from '../test-support/sample-action';
import { ActionPage } from './action-page';

describe('ActionPage', () => {
  afterEach(() => vi.restoreAllMocks());

  it('shows the action, its history and (for admins) its audit log, and cancels it while pending', async () => {
    let action = sampleAction();
    const fake = fakeFetch({
      'GET /api/machineactions/ma-1': () => ({ status: 200, body: action }),
      'GET /api/auditlog': (_b, _h, url) => ({
        status: 200,
        body: {
          value: [
            {
              id: 'au-1',
              time: '2026-11-28T10:00:00.000Z',
              actor: 'alice',
              action: 'MachineAction.Create',
              target: url.searchParams.get('target'),
              details: { type: 'Isolate' },
            },
          ],
          total: 1,
        },
      }),
      'POST /api/machineactions/ma-1/cancel': (body) => {
        const comment = (body as { Comment: string }).Comment;
        action = sampleAction({
          status: 'Cancelled',
          cancellationRequestor: 'alice',
          cancellationComment: comment,
          cancellationDateTimeUtc: '2026-11-28T10:05:00.000Z',
          history: [...action.history, { status: 'Cancelled', time: '2026-11-28T10:05:00.000Z', by: 'alice', comment }],
        });
        return { status: 200, body: action };
      },
    });
    renderSignedIn(<ActionPage id="ma-1" />, fake.fetch, 'admin');
    expect(await screen.findByRole('heading', { name: 'Isolate host-001' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'host-001' }).getAttribute('href')).toBe('#/devices/id-1');
    expect(screen.getByRole('list', { name: 'Action history' }).textContent).toContain('by alice — “contain it”');
    const audit = await screen.findByRole('table', { name: 'Audit log' });
    expect(audit.textContent).toContain('MachineAction.Create');
    expect(fake.calls.find((c) => c.path === '/api/auditlog')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Cancel action' }));
    const dialog = screen.getByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText(/Comment/), { target: { value: 'wrong host' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel action' }));
    await within(dialog).findByText('Cancelled');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Close' }));
    await waitFor(() =>
      expect(screen.getByRole('list', { name: 'Action history' }).textContent).toContain('“wrong host”'),
    );
    expect(screen.queryByRole('button', { name: 'Cancel action' })).toBeNull();
  });

  it('downloads the investigation package through the API and shows live-response output', async () => {
    const pkg = sampleAction({
      id: 'ma-2',
      type: 'CollectInvestigationPackage',
      title: 'Collect investigation package from host-001',
      status: 'Succeeded',
    });
    const fake = fakeFetch({
      'GET /api/machineactions/ma-2': () => ({ status: 200, body: pkg }),
      'GET /api/machineactions/ma-2/getPackageUri': () => ({
        status: 200,
        body: { value: '/api/machineactions/ma-2/package' },
      }),
      'GET /api/machineactions/ma-2/package': () => ({ status: 200, body: 'archive' }),
    });
    const created = vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:pkg');
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    const clicked = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    renderSignedIn(<ActionPage id="ma-2" />, fake.fetch);
    fireEvent.click(await screen.findByRole('button', { name: 'Download investigation package' }));
    await waitFor(() => expect(clicked).toHaveBeenCalled());
    expect(created).toHaveBeenCalled();
    expect(fake.calls.map((c) => c.path)).toContain('/api/machineactions/ma-2/package');
    expect(fake.calls.find((c) => c.path === '/api/machineactions/ma-2/package')?.auth).toBe('Bearer t');
    expect(
      screen.getByText("The tenant's audit log is for admins; the history above is the action's own."),
    ).toBeTruthy();
  });

  it('lists live-response commands with their output and errors', async () => {
    const lr = sampleAction({
      id: 'ma-3',
      type: 'LiveResponse',
      title: 'Live response on host-001',
      status: 'Failed',
      errorMessage: 'a command failed',
      commands: [
        {
          index: 0,
          command: { type: 'Processes', params: [] },
          commandStatus: 'Completed',
          errors: [],
          output: [{ pid: 1, name: 'systemd' }],
        },
        {
          index: 1,
          command: { type: 'Dir', params: [{ key: 'Path', value: '/nope' }] },
          commandStatus: 'Failed',
          errors: ['ENOENT: /nope'],
        },
      ],
    });
    renderSignedIn(
      <ActionPage id="ma-3" />,
      fakeFetch({ 'GET /api/machineactions/ma-3': () => ({ status: 200, body: lr }) }).fetch,
    );
    const list = await screen.findByRole('list', { name: 'Live response commands' });
    expect(list.textContent).toContain('systemd');
    expect(list.textContent).toContain('Path=/nope · Failed');
    expect(list.textContent).toContain('ENOENT: /nope');
    expect(screen.getByText('a command failed')).toBeTruthy();
  });
  it('restores the file of a succeeded quarantine with a comment; other actions offer no restore', async () => {
    const sha = 'f'.repeat(64);
    const restores: unknown[] = [];
    const quarantine = sampleAction({
      type: 'StopAndQuarantineFile',
      title: 'Stop and quarantine /tmp/x/dropper on host-001',
      status: 'Succeeded',
      params: { path: '/tmp/x/dropper' },
      result: { sha256: sha, originalPath: '/tmp/x/dropper', size: 12 },
    });
    const fake = fakeFetch({
      'GET /api/machineactions/ma-1': () => ({ status: 200, body: quarantine }),
      'GET /api/machineactions/ma-2': () => ({ status: 200, body: { ...quarantine, id: 'ma-2', status: 'Failed' } }),
      'POST /api/machines/id-1/unquarantine': (body) => {
        restores.push(body);
        return { status: 201, body: sampleAction({ id: 'ma-3', type: 'RestoreQuarantinedFile', title: 'Restore' }) };
      },
    });
    const view = renderSignedIn(<ActionPage id="ma-1" />, fake.fetch);
    fireEvent.click(await screen.findByRole('button', { name: 'Restore file' }));
    const dialog = screen.getByRole('dialog', { name: 'Restore /tmp/x/dropper' });
    fireEvent.change(within(dialog).getByLabelText(/Comment/), { target: { value: 'benign' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Restore file' }));
    expect((await within(dialog).findByRole('link', { name: 'Restore' })).getAttribute('href')).toBe('#/actions/ma-3');
    expect(restores).toEqual([{ Comment: 'benign', Sha256: sha }]);
    view.unmount();

    renderSignedIn(<ActionPage id="ma-2" />, fake.fetch);
    await screen.findByRole('heading', { name: 'Stop and quarantine /tmp/x/dropper on host-001' });
    expect(screen.queryByRole('button', { name: 'Restore file' })).toBeNull();
    renderSignedIn(<ActionPage id="ma-1" />, fake.fetch, 'viewer');
    await screen.findAllByRole('heading', { name: 'Stop and quarantine /tmp/x/dropper on host-001' });
    expect(screen.queryByRole('button', { name: 'Restore file' })).toBeNull();
  });
});
