import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { MachineAction } from '../api/action-types';
import { fakeFetch, machines } from '../test-support/fake-api';
import { renderSignedIn } from '../test-support/render-signed-in';
import { sampleAction } from '../test-support/sample-action';
import { DevicePage } from './device-page';

const fileRow = {
  EventTable: 'DeviceFileEvents',
  Timestamp: '2026-11-28T10:00:00.000Z',
  ActionType: 'FileCreated',
  FileName: 'dropper',
  FolderPath: '/tmp/x/dropper',
  SHA256: 'b'.repeat(64),
};
const networkRow = { EventTable: 'DeviceNetworkEvents', Timestamp: '2026-11-28T09:00:00.000Z', RemoteIP: '10.0.0.1' };

/** A device and the actions queued on it, as the server answers them. */
function deviceServer(isolationState = 'NotIsolated') {
  const actions: MachineAction[] = [];
  const bodies: Record<string, unknown[]> = {};
  const queue = (route: string, type: MachineAction['type']) => (body: unknown) => {
    bodies[route] = [...(bodies[route] ?? []), body];
    const a = sampleAction({ id: `ma-${actions.length + 1}`, type, title: `${type} host-001` });
    actions.unshift(a);
    return { status: 201, body: a };
  };
  const fake = fakeFetch({
    'GET /api/machines/id-1': () => ({ status: 200, body: { ...machines(1)[0], isolationState } }),
    'GET /api/machineactions': () => ({ status: 200, body: { value: actions, total: actions.length } }),
    'POST /api/advancedqueries/run': () => ({
      status: 200,
      body: { Schema: [], Results: [fileRow, networkRow], Truncated: false },
    }),
    'POST /api/machines/id-1/isolate': queue('isolate', 'Isolate'),
    'POST /api/machines/id-1/unisolate': queue('unisolate', 'Unisolate'),
    'POST /api/machines/id-1/collectInvestigationPackage': queue('collect', 'CollectInvestigationPackage'),
    'POST /api/machines/id-1/runLiveResponse': queue('live', 'LiveResponse'),
    'POST /api/machines/id-1/quarantine': queue('quarantine', 'StopAndQuarantineFile'),
  });
  return { fake, bodies };
}

async function confirmWith(comment: string, button: string) {
  const dialog = screen.getByRole('dialog');
  fireEvent.change(within(dialog).getByLabelText(/Comment/), { target: { value: comment } });
  fireEvent.click(within(dialog).getByRole('button', { name: button }));
  await within(dialog).findByText('Pending');
  fireEvent.click(within(dialog).getByRole('button', { name: 'Close' }));
}

describe('device response actions', () => {
  it('isolates with a comment, shows the pending isolation and the action in the device history', async () => {
    const { fake, bodies } = deviceServer();
    renderSignedIn(<DevicePage id="id-1" />, fake.fetch);
    expect(await screen.findByText('No response action on this device yet.')).toBeTruthy();
    const bar = screen.getByRole('toolbar', { name: 'Response actions' });
    expect(bar.textContent).toContain('Not isolated');
    fireEvent.click(within(bar).getByRole('button', { name: 'Isolate device' }));
    const dialog = screen.getByRole('dialog', { name: 'Isolate host-001' });
    expect(within(dialog).getByRole('button', { name: 'Isolate' })).toHaveProperty('disabled', true);
    await confirmWith('ransomware suspected', 'Isolate');
    expect(bodies.isolate).toEqual([{ Comment: 'ransomware suspected', IsolationType: 'Full' }]);
    expect(bar.textContent).toContain('Isolation pending');
    expect(within(bar).getByRole('button', { name: 'Isolate device' })).toHaveProperty('disabled', true);
    const history = await screen.findByRole('table', { name: 'Device actions' });
    expect(within(history).getByRole('link', { name: 'Isolate host-001' }).getAttribute('href')).toBe('#/actions/ma-1');
  });

  it('offers release for an isolated device, and runs an investigation package and live response', async () => {
    const { fake, bodies } = deviceServer('Isolated');
    renderSignedIn(<DevicePage id="id-1" />, fake.fetch);
    const bar = await screen.findByRole('toolbar', { name: 'Response actions' });
    fireEvent.click(within(bar).getByRole('button', { name: 'Release from isolation' }));
    await confirmWith('clean', 'Release');
    expect(bodies.unisolate).toEqual([{ Comment: 'clean' }]);

    fireEvent.click(within(bar).getByRole('button', { name: 'Collect investigation package' }));
    await confirmWith('evidence', 'Collect');
    expect(bodies.collect).toEqual([{ Comment: 'evidence' }]);

    fireEvent.click(within(bar).getByRole('button', { name: 'Live response' }));
    const dialog = screen.getByRole('dialog', { name: 'Live response on host-001' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add command' }));
    fireEvent.change(within(dialog).getByLabelText('Command 2'), { target: { value: 'GetFile' } });
    fireEvent.change(within(dialog).getByLabelText(/Comment/), { target: { value: 'look' } });
    expect(within(dialog).getByText('Command 2 (GetFile) needs a Path.')).toBeTruthy();
    expect(within(dialog).getByRole('button', { name: 'Run commands' })).toHaveProperty('disabled', true);
    fireEvent.change(within(dialog).getByLabelText('Command 2 Path'), { target: { value: '/etc/passwd' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Run commands' }));
    await within(dialog).findByText('Pending');
    expect(bodies.live).toEqual([
      {
        Comment: 'look',
        Commands: [
          { type: 'Processes', params: [] },
          { type: 'GetFile', params: [{ key: 'Path', value: '/etc/passwd' }] },
        ],
      },
    ]);
  });

  it('quarantines a file from its timeline row and shows the server refusal', async () => {
    const { fake, bodies } = deviceServer();
    renderSignedIn(<DevicePage id="id-1" />, fake.fetch);
    const table = await screen.findByRole('table', { name: 'Device events' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(within(rows[1] as HTMLElement).queryByRole('button', { name: /Quarantine/ })).toBeNull();
    fireEvent.click(within(rows[0] as HTMLElement).getByRole('button', { name: 'Quarantine /tmp/x/dropper' }));
    await confirmWith('malware', 'Quarantine');
    expect(bodies.quarantine).toEqual([{ Comment: 'malware', Path: '/tmp/x/dropper', Sha256: 'b'.repeat(64) }]);
    await screen.findByRole('link', { name: 'StopAndQuarantineFile host-001' });
  });

  it('shows why the server refused an action', async () => {
    const fake = fakeFetch({
      'GET /api/machines/id-1': () => ({ status: 200, body: machines(1)[0] }),
      'GET /api/machineactions': () => ({ status: 200, body: { value: [], total: 0 } }),
      'POST /api/advancedqueries/run': () => ({ status: 200, body: { Schema: [], Results: [], Truncated: false } }),
      'POST /api/machines/id-1/isolate': () => ({
        status: 409,
        body: { error: { code: 'MACHINE_OFFBOARDED', message: 'machine id-1 is offboarded' } },
      }),
    });
    renderSignedIn(<DevicePage id="id-1" />, fake.fetch);
    fireEvent.click(await screen.findByRole('button', { name: 'Isolate device' }));
    const dialog = screen.getByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText(/Comment/), { target: { value: 'x' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Isolate' }));
    expect((await within(dialog).findByRole('alert')).textContent).toContain('MACHINE_OFFBOARDED');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('gives a viewer no response buttons', async () => {
    const { fake } = deviceServer();
    renderSignedIn(<DevicePage id="id-1" />, fake.fetch, 'viewer');
    const bar = await screen.findByRole('toolbar', { name: 'Response actions' });
    expect(bar.textContent).toContain('Response actions need the analyst role.');
    expect(within(bar).queryAllByRole('button')).toHaveLength(0);
    await screen.findByRole('table', { name: 'Device events' });
    expect(screen.queryByRole('button', { name: /Quarantine/ })).toBeNull();
  });
});
