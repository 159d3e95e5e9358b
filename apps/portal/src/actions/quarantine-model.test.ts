import { describe, expect, it } from 'vitest';
import type { MachineAction } from '../api/action-types';
import { sampleAction } from '../test-support/sample-action';
import { quarantinedFiles, quarantineTargetOf } from './quarantine-model';

const a = 'a'.repeat(64);
const b = 'b'.repeat(64);

describe('quarantine model', () => {
  it.each([
    [{ EventTable: 'DeviceFileEvents', FolderPath: '/tmp/x/dropper', FileName: 'dropper' }, '/tmp/x/dropper', 'file'],
    [{ EventTable: 'DeviceFileEvents', FolderPath: '/tmp/x/d', SHA256: a }, '/tmp/x/d', 'file', a],
    [{ EventTable: 'DeviceFileEvents', FolderPath: '/tmp/x/d', SHA256: 'A'.repeat(64) }, '/tmp/x/d', 'file', a],
    [{ EventTable: 'DeviceFileEvents', FolderPath: '/tmp/x/d', SHA256: 'short' }, '/tmp/x/d', 'file'],
    [{ EventTable: 'DeviceProcessEvents', FolderPath: '/usr/bin/curl', SHA256: b }, '/usr/bin/curl', 'image', b],
    [{ EventTable: 'DeviceFileEvents', FolderPath: '/tmp/x/' }, null],
    [{ EventTable: 'DeviceFileEvents', FolderPath: 'C:\\Windows\\x.exe' }, null],
    [{ EventTable: 'DeviceImageLoadEvents', FolderPath: '/usr/lib/libc.so.6', SHA256: a }, null],
    [{ EventTable: 'DeviceNetworkEvents', FolderPath: '/usr/bin/curl' }, null],
    [{ FolderPath: '/tmp/x/d' }, null],
  ])('the quarantine target of %j', (row, path, kind?, sha256?) => {
    expect(quarantineTargetOf(row)).toEqual(path ? { path, kind, ...(sha256 ? { sha256 } : {}) } : null);
  });

  const quarantine = (id: string, sha: string, at: string, status: MachineAction['status'] = 'Succeeded') =>
    sampleAction({
      id,
      type: 'StopAndQuarantineFile',
      status,
      lastUpdateDateTimeUtc: at,
      params: { path: `/tmp/${id}` },
      ...(status === 'Succeeded' ? { result: { sha256: sha, originalPath: `/tmp/${id}` } } : {}),
    });
  const restore = (id: string, sha: string, at: string, status: MachineAction['status'] = 'Succeeded') =>
    sampleAction({ id, type: 'RestoreQuarantinedFile', status, lastUpdateDateTimeUtc: at, params: { sha256: sha } });

  it('keeps a succeeded quarantine until a later succeeded restore of the same SHA-256', () => {
    const files = quarantinedFiles([
      restore('r-2', b, '2026-11-28T12:00:00Z', 'Pending'),
      quarantine('q-3', a, '2026-11-28T11:00:00Z'),
      restore('r-1', a, '2026-11-28T10:30:00Z'),
      restore('r-0', b, '2026-11-28T10:20:00Z', 'Failed'),
      quarantine('q-2', b, '2026-11-28T10:10:00Z'),
      quarantine('q-1', a, '2026-11-28T10:00:00Z'),
      quarantine('q-x', 'c'.repeat(64), '2026-11-28T09:00:00Z', 'Failed'),
    ]);
    expect(files.map((f) => [f.action.id, f.sha256, f.originalPath, f.restorePending])).toEqual([
      // q-1 was restored by r-1, then quarantined again by q-3.
      ['q-3', a, '/tmp/q-3', false],
      // r-0 failed and r-2 is still pending: the file is still in quarantine, its restore on the way.
      ['q-2', b, '/tmp/q-2', true],
    ]);
  });

  it('drops a file whose restore succeeded last', () => {
    expect(
      quarantinedFiles([restore('r-1', a, '2026-11-28T10:30:00Z'), quarantine('q-1', a, '2026-11-28T10:00:00Z')]),
    ).toEqual([]);
  });
});
