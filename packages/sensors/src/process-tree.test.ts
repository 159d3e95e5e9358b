import { describe, expect, it } from 'vitest';
import { additionalFields, processCreatedRow } from './process-row.js';
import { type ProcessInfo, ProcessTree } from './process-tree.js';

const proc = (pid: number, ppid: number, startTicks: number, path: string, commandLine = path): ProcessInfo => ({
  pid,
  ppid,
  startTicks,
  creationTime: new Date(startTicks * 10).toISOString(),
  path,
  commandLine,
  uid: 0,
  accountName: 'root',
});

describe('ProcessTree', () => {
  it('gives a forked child its parent image until it execs, and keeps the fork-time parent', () => {
    const t = new ProcessTree();
    t.set(proc(10, 1, 100, '/usr/bin/bash', 'bash -i'));
    const child = t.fork(10, 11, 105, 'x');
    expect(child).toMatchObject({ pid: 11, ppid: 10, path: '/usr/bin/bash', commandLine: 'bash -i' });
    expect(t.live(11)?.ppid).toBe(10);
    t.set(proc(11, 10, 105, '/usr/bin/true'));
    const p = t.get(11) as ProcessInfo;
    expect(t.parentOf(p)?.commandLine).toBe('bash -i');
  });

  it('keeps exited processes for a while so late children still find their parent, then forgets them', () => {
    const t = new ProcessTree({ keepExitedMs: 1000 });
    t.set(proc(10, 1, 100, '/usr/bin/sh'));
    t.exit(10, 5000);
    expect(t.live(10)).toBeUndefined();
    expect(t.get(10)).toBeDefined();
    t.prune(5500);
    expect(t.get(10)).toBeDefined();
    t.prune(6001);
    expect(t.get(10)).toBeUndefined();
  });

  it('gives an entry its image hashes as a copy, only for the same process and image, keeping its exit', () => {
    const t = new ProcessTree({ keepExitedMs: 1000 });
    const h = { sha1: 'a'.repeat(40), sha256: 'b'.repeat(64), md5: 'c'.repeat(32), fileSize: 7 };
    const sh = proc(10, 1, 100, '/usr/bin/sh');
    t.set(sh);
    t.exit(10, 5000);
    const hashed = t.addHashes(sh, h);
    expect(t.get(10)).toMatchObject({ pid: 10, path: '/usr/bin/sh', ...h });
    // The entry was sh itself: what it answers is the new entry (one object for all who wait on the hashes).
    expect(hashed).toBe(t.get(10));
    expect(sh.sha1).toBeUndefined();
    expect(t.live(10)).toBeUndefined();
    t.prune(6001);
    expect(t.get(10)).toBeUndefined();
    // Another image (an exec since) or another process with the pid is left as it is.
    t.set(proc(11, 1, 100, '/usr/bin/true'));
    t.addHashes(proc(11, 1, 100, '/usr/bin/sh'), h);
    const other = proc(11, 1, 90, '/usr/bin/true');
    expect(t.addHashes(other, h)).toMatchObject({ ...other, ...h });
    expect(t.get(11)?.sha1).toBeUndefined();
  });

  it('prunes by exit order, keeps a reused pid, and drops the oldest exited beyond maxEntries', () => {
    const t = new ProcessTree({ keepExitedMs: 1000, maxEntries: 3 });
    for (const pid of [1, 2, 3]) t.set(proc(pid, 0, pid, '/usr/bin/x'));
    t.exit(1, 100);
    t.exit(2, 200);
    t.set(proc(2, 0, 50, '/usr/bin/reused'));
    t.set(proc(4, 0, 60, '/usr/bin/y'));
    expect(t.prune(300)).toBe(1);
    expect(t.get(1)).toBeUndefined();
    expect(t.get(2)?.path).toBe('/usr/bin/reused');
    expect(t.prune(5000)).toBe(0);
    expect(t.size).toBe(3);
  });

  it('does not take a later process that reused the pid as the parent', () => {
    const t = new ProcessTree();
    t.set(proc(10, 1, 500, '/usr/bin/newer'));
    expect(t.parentOf(proc(11, 10, 400, '/usr/bin/true'))).toBeUndefined();
  });

  it('builds DeviceProcessEvents rows with the Initiating* lineage', () => {
    const gp = proc(1, 0, 1, '/usr/lib/systemd/systemd');
    const parent = { ...proc(10, 1, 100, '/usr/bin/dash', 'sh -c x marker'), sha1: 'ab' };
    const child = { ...proc(11, 10, 105, '/usr/bin/true'), sha1: 'cd', fileSize: 10 };
    const row = processCreatedRow('2026-01-01T00:00:00Z', child, parent, gp, { source: 'ebpf' });
    expect(row).toMatchObject({
      Table: 'DeviceProcessEvents',
      ActionType: 'ProcessCreated',
      FileName: 'true',
      FolderPath: '/usr/bin/true',
      SHA1: 'cd',
      ProcessId: 11,
      InitiatingProcessId: 10,
      InitiatingProcessFileName: 'dash',
      InitiatingProcessCommandLine: 'sh -c x marker',
      InitiatingProcessSHA1: 'ab',
      InitiatingProcessParentId: 1,
      InitiatingProcessParentFileName: 'systemd',
      ProcessUniqueId: '11-105',
      InitiatingProcessUniqueId: '10-100',
    });
    expect(JSON.parse(row.AdditionalFields as string)).toMatchObject({ source: 'ebpf' });
  });

  it('keeps the AdditionalFields of a notes object, per uid, and spells out a cut command line', () => {
    const parent = proc(10, 1, 100, '/usr/bin/dash', 'sh -c x');
    const notes = { source: 'ebpf', commandLineFrom: 'event' } as const;
    const fields = (uid: number, p = parent) =>
      processCreatedRow('2026-01-01T00:00:00Z', { ...proc(11, 10, 105, '/usr/bin/true'), uid }, p, undefined, notes)
        .AdditionalFields as string;
    expect(JSON.parse(fields(0))).toEqual({ source: 'ebpf', commandLineFrom: 'event', Uid: 0 });
    expect(JSON.parse(fields(1000))).toEqual({ source: 'ebpf', commandLineFrom: 'event', Uid: 1000 });
    expect(fields(1000)).toBe(fields(1000));
    expect(JSON.parse(fields(0))).toEqual({ source: 'ebpf', commandLineFrom: 'event', Uid: 0 });
    expect(JSON.parse(fields(5, proc(10, 1, 100, '/usr/bin/dash', 'x'.repeat(5000))))).toEqual({
      source: 'ebpf',
      commandLineFrom: 'event',
      Uid: 5,
      initiatingCommandLineLength: 5000,
    });
    const other = { source: 'audit' };
    expect(JSON.parse(additionalFields(other, parent))).toEqual({ source: 'audit' });
    // An initiator with a long command line: its JSON is kept for the rows after (the same string), and another
    // length makes its own.
    const rm = proc(20, 1, 100, '/usr/bin/rm', 'y'.repeat(6000));
    const rm2 = proc(21, 1, 100, '/usr/bin/rm', 'z'.repeat(7000));
    expect(additionalFields(other, rm)).toBe(additionalFields(other, rm));
    expect(JSON.parse(additionalFields(other, rm2))).toEqual({ source: 'audit', initiatingCommandLineLength: 7000 });
    expect(JSON.parse(additionalFields(other, rm))).toEqual({ source: 'audit', initiatingCommandLineLength: 6000 });
  });
});
