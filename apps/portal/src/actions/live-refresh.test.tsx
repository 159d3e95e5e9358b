import { act, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MachineAction } from '../api/action-types';
import { pollIntervalMs } from '../common/use-polling';
import { DevicePage } from '../devices/device-page';
import { fakeFetch, machines } from '../test-support/fake-api';
import { renderSignedIn } from '../test-support/render-signed-in';
import { sampleAction } from '../test-support/sample-action';
import { ActionCenterPage } from './action-center-page';
import { ActionPage } from './action-page';

/** A server whose actions the test moves along; counts the action-list and action reads. */
function server(initial: MachineAction[]) {
  let actions = initial;
  let isolationState = 'IsolationPending';
  const fake = fakeFetch({
    'GET /api/machineactions': () => ({ status: 200, body: { value: actions, total: actions.length } }),
    'GET /api/machineactions/ma-1': () => ({ status: 200, body: actions[0] }),
    'GET /api/auditlog': () => ({ status: 200, body: { value: [], total: 0 } }),
    'GET /api/machines/id-1': () => ({ status: 200, body: { ...machines(1)[0], isolationState } }),
    'POST /api/advancedqueries/run': () => ({ status: 200, body: { Schema: [], Results: [], Truncated: false } }),
  });
  const reads = (path: string) => fake.calls.filter((c) => c.method === 'GET' && c.path === path).length;
  return {
    fake,
    reads,
    set(next: MachineAction[], isolation = isolationState) {
      actions = next;
      isolationState = isolation;
    },
  };
}

const tick = () => act(() => vi.advanceTimersByTimeAsync(pollIntervalMs));

describe('live refresh of response actions', () => {
  beforeEach(() => vi.useFakeTimers({ shouldAdvanceTime: true }));
  afterEach(() => vi.useRealTimers());

  it('polls the Pending tab every 5 s while it shows an active action, and stops when none is left', async () => {
    const s = server([sampleAction(), sampleAction({ id: 'ma-2', status: 'InProgress', title: 'Live response' })]);
    renderSignedIn(<ActionCenterPage tab="pending" page={1} />, s.fake.fetch);
    const table = await screen.findByRole('table', { name: 'Pending actions' });
    expect(s.reads('/api/machineactions')).toBe(1);
    await tick();
    expect(s.reads('/api/machineactions')).toBe(2);
    // The table stays while it refreshes (no loading flash).
    expect(table.isConnected).toBe(true);
    s.set([sampleAction({ id: 'ma-2', status: 'InProgress', title: 'Live response' })]);
    await tick();
    expect(s.reads('/api/machineactions')).toBe(3);
    expect(within(table).getAllByRole('row')).toHaveLength(2);
    s.set([]);
    await tick();
    expect(await screen.findByText('No action is waiting.')).toBeTruthy();
    const settled = s.reads('/api/machineactions');
    await tick();
    await tick();
    expect(s.reads('/api/machineactions')).toBe(settled);
  });

  it('does not poll the history tab, where nothing can change', async () => {
    const s = server([sampleAction({ status: 'Succeeded' })]);
    renderSignedIn(<ActionCenterPage tab="history" page={1} />, s.fake.fetch);
    await screen.findByRole('table', { name: 'Action history' });
    await tick();
    await tick();
    expect(s.reads('/api/machineactions')).toBe(1);
  });

  it('stops polling when the page is left', async () => {
    const s = server([sampleAction()]);
    const view = renderSignedIn(<ActionCenterPage tab="pending" page={1} />, s.fake.fetch);
    await screen.findByRole('table', { name: 'Pending actions' });
    view.unmount();
    await tick();
    await tick();
    expect(s.reads('/api/machineactions')).toBe(1);
  });

  it("watches the device's action history until the isolation succeeds, then shows the device isolated", async () => {
    const s = server([sampleAction()]);
    renderSignedIn(<DevicePage id="id-1" />, s.fake.fetch);
    const history = await screen.findByRole('table', { name: 'Device actions' });
    expect(within(history).getByText('Pending')).toBeTruthy();
    const heading = await screen.findByRole('heading', { name: 'host-001' });
    expect(within(heading.parentElement as HTMLElement).getByText('Isolation pending')).toBeTruthy();
    s.set([sampleAction({ status: 'InProgress' })]);
    await tick();
    expect(await within(history).findByText('InProgress')).toBeTruthy();
    s.set([sampleAction({ status: 'Succeeded' })], 'Isolated');
    await tick();
    expect(await within(history).findByText('Succeeded')).toBeTruthy();
    // The finished isolation reloads the device: the header and the toolbar now say Isolated.
    expect((await within(heading.parentElement as HTMLElement).findByText('Isolated')).className).toBe(
      'badge isolated',
    );
    const bar = screen.getByRole('toolbar', { name: 'Response actions' });
    expect(within(bar).getByRole('button', { name: 'Release from isolation' })).toBeTruthy();
    const reads = s.reads('/api/machineactions');
    await tick();
    await tick();
    expect(s.reads('/api/machineactions')).toBe(reads);
  });

  it('watches an action page until the action finishes', async () => {
    const s = server([sampleAction({ type: 'LiveResponse', title: 'Live response on host-001', params: {} })]);
    renderSignedIn(<ActionPage id="ma-1" />, s.fake.fetch);
    const heading = await screen.findByRole('heading', { name: 'Live response on host-001' });
    s.set([
      sampleAction({ type: 'LiveResponse', title: 'Live response on host-001', params: {}, status: 'Succeeded' }),
    ]);
    await tick();
    expect(await within(heading.parentElement as HTMLElement).findByText('Succeeded')).toBeTruthy();
    const reads = s.reads('/api/machineactions/ma-1');
    await tick();
    expect(s.reads('/api/machineactions/ma-1')).toBe(reads);
    fireEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    await screen.findByRole('heading', { name: 'Live response on host-001' });
    expect(s.reads('/api/machineactions/ma-1')).toBe(reads + 1);
  });
});
