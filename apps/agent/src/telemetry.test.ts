import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileEventRow, initiatingColumns, type ProcessInfo, processCreatedRow } from '@vigil/sensors';
import { describe, expect, it } from 'vitest';
import { SEGMENT, Spool, segmentNdjson } from './spool.js';
import { Telemetry } from './telemetry.js';

/** The NDJSON lines a Telemetry writes through `write`, without their ReportId (each Telemetry counts its own). */
function written(write: (t: Telemetry) => void): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-telemetry-'));
  const spool = new Spool(dir, { maxBytes: 1 << 26, batchMaxRows: 100_000 }, 't');
  const logs: string[] = [];
  write(new Telemetry(spool, (l) => logs.push(l)));
  spool.flush();
  const lines = segmentNdjson(readFileSync(join(dir, SEGMENT)))
    .toString()
    .trim()
    .split('\n');
  spool.close();
  return [...lines.map((l) => l.replace(/,"ReportId":\d+/, '')), ...logs];
}

const shell: ProcessInfo = {
  pid: 400,
  ppid: 1,
  startTicks: 100,
  creationTime: '2026-12-01T06:00:00.000Z',
  path: '/usr/bin/bash',
  commandLine: 'bash -c "for i in 1 2; do true; done"',
  uid: 0,
  accountName: 'root',
  fileSize: 1_234_567,
  sha1: 'a'.repeat(40),
  sha256: 'b'.repeat(64),
  md5: 'c'.repeat(32),
};
const init: ProcessInfo = { ...shell, pid: 1, ppid: 0, startTicks: 1, path: '/usr/lib/systemd/systemd' };
const child = (changes: Partial<ProcessInfo>): ProcessInfo => ({
  ...shell,
  pid: 401,
  ppid: 400,
  startTicks: 101,
  ...changes,
});

describe('Telemetry', () => {
  it('stamps ReportId and skew-corrected Timestamps, and refuses rows the server would refuse', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-telemetry-'));
    const spool = new Spool(dir, { maxBytes: 1 << 20, batchMaxRows: 100 }, 't');
    const logs: string[] = [];
    const t = new Telemetry(spool, (l) => logs.push(l));
    t.setSkew(3_600_000);
    const before = Date.now() + 3_600_000;
    t.emit([
      { Table: 'DeviceEvents', ActionType: 'A' },
      { Table: 'DeviceEvents', ActionType: 'B', Timestamp: '2026-01-01T00:00:00Z' },
      { Table: 'DeviceEvents', NoSuchColumn: 1 },
      { Table: 'AlertInfo', Title: 'x' },
      { Table: 'DeviceTvmSoftwareInventory', SoftwareName: 'bash' },
    ]);
    spool.flush();
    const rows = segmentNdjson(readFileSync(join(dir, SEGMENT)))
      .toString()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toHaveLength(3);
    expect(Date.parse(rows[0]?.Timestamp as string)).toBeGreaterThanOrEqual(before - 5);
    expect(rows[1]?.Timestamp).toBe('2026-01-01T00:00:00Z');
    expect((rows[1]?.ReportId as number) - (rows[0]?.ReportId as number)).toBe(1);
    expect(rows[2]).toEqual({ Table: 'DeviceTvmSoftwareInventory', SoftwareName: 'bash' });
    expect(t.stats.invalidRows).toBe(2);
    expect(logs.some((l) => l.includes('INGEST_UNKNOWN_COLUMN'))).toBe(true);
    expect(logs.some((l) => l.includes('INGEST_TABLE_NOT_WRITABLE'))).toBe(true);
    expect(t.corrected('2026-01-01T00:00:00.000Z')).toBe('2026-01-01T01:00:00.000Z');
    spool.close();
  });

  it('writes ProcessCreated rows and collector-made file rows straight into the spool as the generic path writes them', () => {
    const rows: [ProcessInfo, ProcessInfo | undefined, ProcessInfo | undefined][] = [
      [child({ path: '/usr/bin/true', commandLine: 'true --flag' }), shell, init],
      [child({ path: '/usr/bin/true', commandLine: 'true' }), shell, init], // the same run: referred to
      [
        child({ sha1: undefined, sha256: undefined, md5: undefined, fileSize: undefined, commandLine: '' }),
        shell,
        undefined,
      ],
      [child({ path: '', accountName: '', creationTime: '' }), undefined, undefined],
      [child({ path: '/tmp/caf\u00e9 "x"\\y', commandLine: 'caf\u00e9\t\u0001 \u{1f600}', uid: 1000 }), shell, init],
      // Beyond the field limit: left to the generic path, which refuses it as any row.
      [child({ commandLine: 'x'.repeat(400_000) }), shell, init],
      [child({ pid: 402, startTicks: 102, creationTime: 'not a time' }), shell, init],
    ];
    const notes = { source: 'ebpf', commandLineFrom: 'event' } as const;
    const at = '2026-12-01T06:00:01.000Z';
    const generic = written((t) => {
      for (const [p, parent, grand] of rows) t.emit([processCreatedRow(at, p, parent, grand, notes)]);
    });
    const direct = written((t) => {
      for (const [p, parent, grand] of rows) t.emitProcessRow(at, p, parent, grand, notes);
    });
    expect(direct).toEqual(generic);
    expect(generic.filter((l) => l.startsWith('{'))).toHaveLength(6);
    expect(generic.at(-1)).toMatch(/dropped an invalid DeviceProcessEvents row: \S+ .*ProcessCreationTime/);
    expect(generic[1]).toContain('"@InitiatingProcess":"400-100"');

    // A collector's file row: its columns' JSON completed with the writer's run, AdditionalFields and Timestamp.
    const ms = Date.parse(at);
    const notesJson = '{"source":"ebpf","initiatorFrom":"proc"}';
    const fileRow = fileEventRow(
      at,
      'FileCreated',
      '/tmp/a.sh',
      { sha1: 'd'.repeat(40), fileSize: 9 },
      undefined,
      shell,
      init,
      {
        source: 'ebpf',
        initiatorFrom: 'proc',
      },
    );
    const members = Buffer.from(
      '"ActionType":"FileCreated","FileName":"a.sh","FolderPath":"/tmp/a.sh","SHA1":"dddddddddddddddddddddddddddddddddddddddd","FileSize":9,"RequestProtocol":"Local"',
    );
    expect(written((t) => t.emitFileRow(ms, members, initiatingColumns(shell, init), notesJson))).toEqual(
      written((t) => t.emit([fileRow])),
    );
  });

  it("writes a collector-made leaf process row as the generic path writes that process's row", () => {
    const notes = { source: 'ebpf', commandLineFrom: 'event' } as const;
    const at = '2026-12-01T06:00:01.000Z';
    const leaf = (p: ProcessInfo, members: string) => ({
      uid: p.uid,
      members: Buffer.from(members),
      creationTime: p.creationTime,
      accountName: p.accountName,
      uniqueId: `${p.pid}-${p.startTicks}`,
    });
    const p = child({ path: '/usr/bin/true', commandLine: 'true "a b" c\\d', uid: 1000 });
    const members =
      '"FileName":"true","FolderPath":"/usr/bin/true","SHA1":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",' +
      `"SHA256":"${'b'.repeat(64)}","MD5":"${'c'.repeat(32)}","FileSize":1234567,"ProcessId":401,` +
      '"ProcessCommandLine":"true \\"a b\\" c\\\\d"';
    const bare = child({ sha1: undefined, sha256: undefined, md5: undefined, fileSize: undefined, commandLine: '' });
    const bareMembers = '"FileName":"bash","FolderPath":"/usr/bin/bash","ProcessId":401';
    const generic = written((t) => {
      t.emit([processCreatedRow(at, p, shell, init, notes)]);
      t.emit([processCreatedRow(at, bare, shell, undefined, notes)]);
      t.emit([processCreatedRow(at, { ...p, creationTime: 'not a time' }, shell, init, notes)]);
    });
    const direct = written((t) => {
      t.emitLeafRow(at, leaf(p, members), shell, init, notes);
      t.emitLeafRow(at, leaf(bare, bareMembers), shell, undefined, notes);
      t.emitLeafRow(at, leaf({ ...p, creationTime: 'not a time' }, members), shell, init, notes);
    });
    expect(direct).toEqual(generic);
    expect(generic.filter((l) => l.startsWith('{'))).toHaveLength(2);
    expect(generic[0]).toContain('"ProcessCommandLine":"true \\"a b\\" c\\\\d"');
  });

  it('gives a local time in ms as the server sees it, again after the skew changes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-telemetry-'));
    const spool = new Spool(dir, { maxBytes: 1 << 20, batchMaxRows: 100 }, 't');
    const t = new Telemetry(spool, () => {});
    const ms = Date.parse('2026-11-29T22:00:00.123Z');
    expect(t.at(ms)).toBe('2026-11-29T22:00:00.123Z');
    expect(t.at(ms)).toBe('2026-11-29T22:00:00.123Z');
    t.setSkew(-1000);
    expect(t.at(ms)).toBe('2026-11-29T21:59:59.123Z');
    expect(t.at(ms + 1)).toBe('2026-11-29T21:59:59.124Z');
    spool.close();
  });
});
