import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { MachineAction } from '../api/action-types';
import { fakeFetch, machines } from '../test-support/fake-api';
import { renderSignedIn } from '../test-support/render-signed-in';
import { sampleAction } from '../test-support/sample-action';
import { DevicePage } from './device-page';

const sha = (c: string) => c.repeat(64);
const rows = [
  { EventTable: 'DeviceFileEvents', Timestamp: '2026-11-28T10:03:00Z', FolderPath: '/tmp/x/dropper', SHA256: sha('b') },
  {
    EventTable: 'DeviceProcessEvents',
    Timestamp: '2026-11-28T10:02:00Z',
    FolderPath: '/tmp/x/miner',
    SHA256: sha('c'),
  },
  { EventTable: 'DeviceImageLoadEvents', Timestamp: '2026-11-28T10:01:00Z', FolderPath: '/usr/lib/libx.so' },
  { EventTable: 'DeviceProcessEvents', Timestamp: '2026-11-28T10:00:00Z', FolderPath: '/usr/bin/bash' },
];

function server(initial: MachineAction[]) {
  let actions = initial;
  const bodies: Record<string, unknown[]> = {};
  const queue = (route: string, type: MachineAction['type']) => (body: unknown) => {
    bodies[route] = [...(bodies[route] ?? []), body];
    const a = sampleAction({ id: `ma-${actions.length + 1}`, type, title: `${type} host-001`, params: {} });
    actions = [
      { ...a, params: type === 'RestoreQuarantinedFile' ? { sha256: (body as { Sha256: string }).Sha256 } : {} },
      ...actions,
    ];
    return { status: 201, body: a };
  };
  const fake = fakeFetch({
    'GET /api/machines/id-1': () => ({ status: 200, body: machines(1)[0] }),
    'GET /api/machineactions': (_b, _h, url) => {
      const types = url.searchParams.get('type')?.split(',');
      const value = actions.filter((a) => !types || types.includes(a.type));
      return { status: 200, body: { value, total: value.length } };
    },
    'POST /api/advancedqueries/run': () => ({ status: 200, body: { Schema: [], Results: rows, Truncated: false } }),
    'POST /api/machines/id-1/quarantine': queue('quarantine', 'StopAndQuarantineFile'),
    'POST /api/machines/id-1/unquarantine': queue('unquarantine', 'RestoreQuarantinedFile'),
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

const quarantined = (id: string, c: string, path: string, at: string) =>
  sampleAction({
    id,
    type: 'StopAndQuarantineFile',
    title: `Quarantine ${path}`,
    status: 'Succeeded',
    lastUpdateDateTimeUtc: at,
    params: { path, sha256: sha(c) },
    result: { sha256: sha(c), originalPath: path, size: 10 },
  });

describe('quarantine and restore on the device page', () => {
  it('offers quarantine on file events (the file) and process starts (the image) only, with the SHA-256', async () => {
    const { fake, bodies } = server([]);
    renderSignedIn(<DevicePage id="id-1" />, fake.fetch);
    const table = await screen.findByRole('table', { name: 'Device events' });
    const [file, process, imageLoad, noHash] = within(table).getAllByRole('row').slice(1) as HTMLElement[];
    expect(within(file as HTMLElement).getByRole('button', { name: 'Quarantine /tmp/x/dropper' }).textContent).toBe(
      'Quarantine',
    );
    expect(within(imageLoad as HTMLElement).queryByRole('button')).toBeNull();
    expect(within(noHash as HTMLElement).getByRole('button', { name: 'Quarantine /usr/bin/bash' })).toBeTruthy();
    const image = within(process as HTMLElement).getByRole('button', { name: 'Quarantine /tmp/x/miner' });
    expect(image.textContent).toBe('Quarantine image');
    fireEvent.click(image);
    expect(screen.getByRole('dialog', { name: 'Stop and quarantine process image' }).textContent).toContain(
      'only if its SHA-256 still matches',
    );
    await confirmWith('miner', 'Quarantine');
    fireEvent.click(within(noHash as HTMLElement).getByRole('button', { name: 'Quarantine /usr/bin/bash' }));
    await confirmWith('no hash', 'Quarantine');
    expect(bodies.quarantine).toEqual([
      { Comment: 'miner', Path: '/tmp/x/miner', Sha256: sha('c') },
      { Comment: 'no hash', Path: '/usr/bin/bash' },
    ]);
  });

  it('lists the files still in quarantine and restores one with a comment', async () => {
    const { fake, bodies } = server([
      quarantined('q-2', 'b', '/tmp/x/dropper', '2026-11-28T11:00:00.000Z'),
      sampleAction({
        id: 'r-1',
        type: 'RestoreQuarantinedFile',
        status: 'Succeeded',
        lastUpdateDateTimeUtc: '2026-11-28T10:30:00.000Z',
        params: { sha256: sha('d') },
      }),
      quarantined('q-1', 'd', '/tmp/x/restored', '2026-11-28T10:00:00.000Z'),
      { ...quarantined('q-0', 'e', '/tmp/x/failed', '2026-11-28T09:00:00.000Z'), status: 'Failed', result: {} },
    ]);
    renderSignedIn(<DevicePage id="id-1" />, fake.fetch);
    const list = await screen.findByRole('table', { name: 'Quarantined files' });
    const entries = within(list).getAllByRole('row').slice(1);
    expect(entries).toHaveLength(1);
    expect(entries[0]?.textContent).toContain('/tmp/x/dropper');
    expect(entries[0]?.textContent).toContain('bbbbbbbbbbbbbbbb…');
    expect(
      within(entries[0] as HTMLElement)
        .getByRole('link')
        .getAttribute('href'),
    ).toBe('#/actions/q-2');

    fireEvent.click(within(list).getByRole('button', { name: 'Restore /tmp/x/dropper' }));
    expect(screen.getByRole('dialog', { name: 'Restore /tmp/x/dropper' }).textContent).toContain(sha('b'));
    await confirmWith('false positive', 'Restore file');
    expect(bodies.unquarantine).toEqual([{ Comment: 'false positive', Sha256: sha('b') }]);
    // The restore is queued: the file stays listed, its restore pending, until the restore succeeds.
    expect(await within(list).findByText('Restore pending')).toBeTruthy();
    expect(within(list).queryByRole('button', { name: /Restore/ })).toBeNull();
  });

  it('says when nothing is in quarantine and gives a viewer no Restore', async () => {
    const { fake } = server([quarantined('q-1', 'b', '/tmp/x/dropper', '2026-11-28T11:00:00.000Z')]);
    renderSignedIn(<DevicePage id="id-1" />, fake.fetch, 'viewer');
    const list = await screen.findByRole('table', { name: 'Quarantined files' });
    expect(within(list).queryByRole('button')).toBeNull();

    const empty = server([]);
    renderSignedIn(<DevicePage id="id-1" />, empty.fake.fetch);
    expect(await screen.findByText('No file of this device is in quarantine.')).toBeTruthy();
  });
});
