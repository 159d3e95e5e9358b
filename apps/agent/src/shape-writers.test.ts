import { InitiatingReferences, RowValidator } from '@vigil/protocol';
import { tables } from '@vigil/schema';
import { fileEventRow, networkEventRow, processCreatedRow } from '@vigil/sensors';
import { describe, expect, it } from 'vitest';
import type { BatchRuns } from './json-row.js';
import { ShapeWriters, UNHANDLED } from './shape-writers.js';
import { nodeProcess } from './test-support.js';

const MAX = 1024 * 1024;
const validator = new RowValidator(tables, { maxFieldBytes: MAX, writer: 'sensor' });

const proc = nodeProcess;
const init = proc(1, '/sbin/init');
const shell = proc(10, 'bash -c "for f in *; do echo $f; done"');
const wide = proc(11, 'écho ünïcödé 日本語', { accountName: 'jürgen' });
const time = '2026-11-30T05:00:00.123Z';
const hashes = { sha1: 'a'.repeat(40), sha256: 'b'.repeat(64), md5: 'c'.repeat(32), fileSize: 14 };

/** Rows as the sensors build them, plus others of other tables and shapes; all valid and left unchanged by the validator. */
function sensorRows(): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [
    processCreatedRow(time, proc(20, '/bin/true'), shell, init, { source: 'ebpf', commandLineFrom: 'event' }),
    processCreatedRow(time, wide, shell, undefined, { source: 'ebpf', commandLineFrom: 'proc' }),
    fileEventRow(time, 'FileCreated', '/tmp/w/f1.sh', hashes, undefined, shell, init, { source: 'ebpf' }),
    fileEventRow(time, 'FileRenamed', '/tmp/w/g.sh', undefined, '/tmp/w/f1.sh', wide, undefined, { source: 'ebpf' }),
    fileEventRow(time, 'FileDeleted', '/tmp/w/"quoted"\n.sh', undefined, undefined, undefined, undefined, {
      source: 'ebpf',
    }),
    networkEventRow(
      time,
      {
        actionType: 'ConnectionSuccess',
        protocol: 'Tcp',
        remoteIp: '10.0.0.1',
        remotePort: 443,
        localIp: '10.0.0.2',
        localPort: 50000,
      },
      shell,
      init,
      { source: 'ebpf' },
    ),
    {
      Table: 'DeviceLogonEvents',
      Timestamp: time,
      ActionType: 'LogonSuccess',
      AccountName: 'root',
      IsLocalAdmin: true,
    },
    { Table: 'DeviceInfo', Timestamp: '2028-02-29T00:00:00Z', DeviceName: 'h', OSBuild: 6, IsAzureADJoined: false },
    { Table: 'DeviceEvents', Timestamp: time, ActionType: 'X', AdditionalFields: '{"a":"\\u0001"}', FileSize: 0 },
  ];
  for (const [i, r] of rows.entries()) r.ReportId = 1000 + i;
  return rows;
}

function writeAll(writers: ShapeWriters, rows: readonly object[], batch?: BatchRuns): string[] {
  const out = Buffer.alloc(1 << 20);
  return rows.map((row) => {
    const end = writers.write(row, out, 3, batch);
    expect(end, JSON.stringify(row)).toBeGreaterThan(3);
    return out.toString('utf8', 3, end);
  });
}

describe('ShapeWriters', () => {
  it('writes rows the validator leaves unchanged as JSON.stringify does, again once compiled', () => {
    const writers = new ShapeWriters(tables, MAX, 'sensor');
    for (let round = 0; round < 3; round++) {
      const rows = sensorRows();
      for (const row of rows) {
        const checked = validator.validateInPlace(structuredClone(row));
        expect('code' in checked ? checked : checked.changed).toBe(false);
      }
      expect(writeAll(writers, rows)).toEqual(rows.map((r) => JSON.stringify(r)));
    }
  });

  it('leaves to the validator every row it would change or refuse', () => {
    const writers = new ShapeWriters(tables, MAX, 'sensor');
    const [base] = sensorRows() as [Record<string, unknown>];
    const changed: [string, Record<string, unknown>][] = [
      ['a null', { ...base, SHA1: null }],
      ['a key that is not a column', { ...base, NoSuchColumn: 'x' }],
      ['a datetime to normalize', { ...base, Timestamp: '2026-11-30 05:00:00' }],
      ['a datetime that is not one', { ...base, ProcessCreationTime: '2026-02-30T00:00:00Z' }],
      ['no time', { ...base, Timestamp: undefined }],
      ['a fraction in a long column', { ...base, ProcessId: 1.5 }],
      ['a long as text', { ...base, FileSize: '12' }],
      ['a number in a string column', { ...base, FileName: 7 }],
      ['a string over the limit', { ...base, ProcessCommandLine: 'é'.repeat(MAX / 2 + 1) }],
      ['a string that may be over the limit', { ...base, ProcessCommandLine: 'x'.repeat(MAX / 3 + 1) }],
      ['a bad value in the InitiatingProcess* run', { ...base, InitiatingProcessId: 'one' }],
      ['a bad datetime in the run', { ...base, InitiatingProcessCreationTime: 'yesterday' }],
      ['a table sensors may not write', { Table: 'AlertInfo', Timestamp: time, Title: 'x' }],
      ['an unknown table', { Table: 'NoSuchTable', Timestamp: time }],
      ['a boolean as text', { Table: 'DeviceLogonEvents', Timestamp: time, IsLocalAdmin: 'true' }],
      ['an int out of range', { Table: 'DeviceFileEvents', Timestamp: time, RequestSourcePort: 2 ** 31 }],
      ['an object in a dynamic column', { Table: 'VigilRawEvents', Timestamp: time, Fields: { a: 1 } }],
      ['Table not first', { Timestamp: time, Table: 'DeviceEvents', ActionType: 'X' }],
      ['another prototype', Object.assign(Object.create({}), base)],
    ];
    const out = Buffer.alloc(1 << 22);
    for (const [why, row] of changed) {
      const checked = validator.validateInPlace(structuredClone(row));
      // Refused or changed by the validator, or left to it all the same (rare shapes and values).
      const leftAlone = [
        'a long as text',
        'a string that may be over the limit',
        'an object in a dynamic column',
        'Table not first',
        'another prototype',
      ].includes(why);
      expect('code' in checked || checked.changed || leftAlone, why).toBe(true);
      expect(writers.write(row, out, 0), why).toBe(UNHANDLED);
      // The same shape with valid values is written: UNHANDLED is the values' doing.
      expect(writers.write(base, out, 0), why).toBeGreaterThan(0);
    }
  });

  it('writes only what the validator leaves unchanged, whatever the values (random rows)', () => {
    const writers = new ShapeWriters(tables, MAX, 'sensor');
    const pool: unknown[] = [
      undefined,
      null,
      '',
      'plain',
      'é',
      '\u0000',
      time,
      '2026-11-30',
      '2026-11-30T05:00:00.1234567Z',
      0,
      -1,
      2 ** 31,
      2 ** 53,
      1.5,
      Number.NaN,
      true,
      false,
      '42',
      { a: 1 },
    ];
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    const templates = sensorRows();
    const out = Buffer.alloc(1 << 20);
    let handled = 0;
    for (let i = 0; i < 4000; i++) {
      const row = { ...(templates[random(templates.length)] as Record<string, unknown>) };
      for (let k = 0; k < 1 + random(2); k++) {
        const keys = Object.keys(row).filter((key) => key !== 'Table');
        row[keys[random(keys.length)] as string] = pool[random(pool.length)];
      }
      const end = writers.write(row, out, 0);
      if (end === UNHANDLED) continue;
      handled++;
      const checked = validator.validateInPlace(structuredClone(row));
      expect('code' in checked ? checked : checked.changed, JSON.stringify(row)).toBe(false);
      expect(out.toString('utf8', 0, end)).toBe(JSON.stringify(row));
    }
    expect(handled).toBeGreaterThan(1000);
  });

  it('refers to InitiatingProcess* runs the batch holds, as writeJsonRow does, and the server resolves them', () => {
    const writers = new ShapeWriters(tables, MAX, 'sensor');
    const rows: Record<string, unknown>[] = [];
    for (let i = 0; i < 6; i++) {
      const who = i % 3 === 2 ? wide : shell;
      rows.push(fileEventRow(time, 'FileCreated', `/tmp/w/f${i}.sh`, hashes, undefined, who, init, { source: 'ebpf' }));
    }
    // A row with another InitiatingProcess* column: written in full, and the rows after it do not refer to the run
    // kept before (the server takes that row's columns for the process).
    rows.push({
      ...fileEventRow(time, 'FileDeleted', '/tmp/w/f0.sh', undefined, undefined, shell, init, { source: 'ebpf' }),
      InitiatingProcessAccountDomain: 'example',
    });
    rows.push(fileEventRow(time, 'FileDeleted', '/tmp/w/f1.sh', undefined, undefined, shell, init, { source: 'ebpf' }));
    rows.push(fileEventRow(time, 'FileDeleted', '/tmp/w/f2.sh', undefined, undefined, shell, init, { source: 'ebpf' }));
    const batch: BatchRuns = new Map();
    const lines = writeAll(writers, rows, batch);
    const refers = lines.map((l) => l.includes('"@InitiatingProcess"'));
    expect(refers).toEqual([false, true, false, true, true, true, false, false, true]);
    const refs = new InitiatingReferences();
    const resolved = lines.map((l) => {
      const row = JSON.parse(l) as Record<string, unknown>;
      expect(refs.resolve(row)).toBeUndefined();
      return row;
    });
    expect(resolved).toEqual(rows.map((r) => JSON.parse(JSON.stringify(r))));
  });

  it('says when the row does not fit, whatever the room left', () => {
    const writers = new ShapeWriters(tables, MAX, 'sensor');
    const [row] = sensorRows() as [Record<string, unknown>];
    const size = Buffer.byteLength(JSON.stringify(row));
    for (let room = 0; room <= size + 1; room++) {
      const out = Buffer.alloc(room);
      const end = writers.write(row, out, 0);
      if (end >= 0) expect(out.toString('utf8', 0, end)).toBe(JSON.stringify(row));
      else expect(end).toBe(-1);
    }
    expect(writers.write(row, Buffer.alloc(size * 3 + 100), 0)).toBe(size);
  });
});
