import { INITIATING_COLUMN_NAMES, initiatingColumns } from '@vigil/sensors';
import { describe, expect, it } from 'vitest';
import { writeJsonRow } from './json-row.js';
import { nodeProcess } from './test-support.js';

const rows: object[] = [
  {},
  { Table: 'DeviceProcessEvents', Timestamp: '2026-11-29T10:00:00.123Z', ProcessId: 42, FileSize: undefined },
  { a: 'quote " and backslash \\ and tab \t and newline \n', b: '\u0000\u001f\u007f', c: 'café ünïcödé 日本語 🙂' },
  { lone: '\ud800 and \udfff', emoji: '\ud83d\ude42', nul: null, t: true, f: false },
  { n: [0, -0, 1.5, 1e21, 1e-7, -123456789012, Number.NaN, Number.POSITIVE_INFINITY] },
  { nested: { x: [1, 'two', { three: null }], y: undefined }, date: new Date(0), fn: () => 1 },
  { '0': 'index key', 'weird "key"': 1, ünï: 2, AdditionalFields: JSON.stringify({ source: 'ebpf', Uid: 0 }) },
  { x: { toJSON: () => undefined }, y: 1 },
  { long: 'x'.repeat(100_000) },
  {
    controls: Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join(''),
    del: '\u007f',
    mixed: 'a"b\\c\td then é after escapes',
    quotes: '"'.repeat(50_000),
    cmd: 'bash -c "echo \\"$HOME\\"" && printf \'%s\\n\' done',
  },
];

describe('writeJsonRow', () => {
  it.each(rows.map((r, i) => [i, r] as const))('writes JSON.stringify of row %i, byte for byte', (_, row) => {
    const out = Buffer.alloc(1 << 20);
    const end = writeJsonRow(row, out, 7);
    expect(out.toString('utf8', 7, end)).toBe(JSON.stringify(row));
  });

  it('writes long strings that come back on many rows (copied once escaped) the same way', () => {
    const plain = `rm -rf ${Array.from({ length: 300 }, (_, i) => `/tmp/work/f${i}.sh`).join(' ')}`;
    const escaped = `sh -c "${'x\\'.repeat(200)}"\t`;
    const wide = `é${'y'.repeat(400)}`;
    const others = Array.from({ length: 6 }, (_, i) => `${i}`.repeat(300));
    const out = Buffer.alloc(1 << 16);
    // Seen, remembered, then copied.
    for (let round = 0; round < 3; round++) {
      const row = { a: plain, b: escaped, c: 'short' };
      const end = writeJsonRow(row, out, 0);
      expect(out.toString('utf8', 0, end)).toBe(JSON.stringify(row));
    }
    // More long strings than are remembered, and equal strings that are other objects.
    for (let round = 0; round < 4; round++) {
      for (const row of [
        { a: plain, b: escaped },
        { a: escaped, c: wide, d: plain },
        { e: others[round], f: plain, g: others[round + 1] },
        { h: `${plain}`.slice(0), i: escaped.slice(1) },
      ]) {
        const end = writeJsonRow(row, out, 3);
        expect(out.toString('utf8', 3, end)).toBe(JSON.stringify(row));
      }
    }
    // A copy that no longer fits is refused like any other value.
    const row = { a: plain };
    const size = Buffer.byteLength(JSON.stringify(row));
    expect(writeJsonRow(row, Buffer.alloc(size - 10), 0)).toBe(-1);
  });

  it('says when the row does not fit, whatever the room left', () => {
    const row = rows[2] as object;
    const size = Buffer.byteLength(JSON.stringify(row));
    for (let room = 0; room <= size + 1; room++) {
      const out = Buffer.alloc(room);
      const end = writeJsonRow(row, out, 0);
      // A fit needs one byte beyond the JSON (the newline); a guess on the safe side may refuse a near fit.
      if (end >= 0) expect(out.toString('utf8', 0, end)).toBe(JSON.stringify(row));
      else expect(room).toBeLessThanOrEqual(size + 1 + 3 * 60);
    }
    expect(writeJsonRow(row, Buffer.alloc(size * 3 + 100), 0)).toBe(size);
  });

  it('copies the InitiatingProcess* columns of rows that share them, and writes every other row as JSON.stringify', () => {
    const proc = nodeProcess;
    const node = initiatingColumns(proc(10, 'node -e "write files"'), proc(1, '/sbin/init'));
    const rm = initiatingColumns(proc(11, `rm -rf ${'/tmp/f.sh '.repeat(600)}`), undefined);
    const wide = initiatingColumns(proc(12, 'écho ünïcödé'), undefined);
    const none = initiatingColumns(undefined, undefined);
    const escapes = initiatingColumns(proc(13, '\u0001'.repeat(5000)), undefined); // 24 KB of JSON once escaped
    const row = (columns: object, i: number) => ({
      Table: 'DeviceFileEvents',
      FileName: `f${i}.sh`,
      ...columns,
      ReportId: i,
    });
    const [first, ...rest] = INITIATING_COLUMN_NAMES;
    const reordered = (columns: Record<string, unknown>, names: readonly string[]) =>
      Object.fromEntries(names.map((k) => [k, k in columns ? columns[k] : 'another column']));
    let phase = 0;
    const changing = { toJSON: () => `phase ${phase}` };
    const cases: object[] = [];
    for (let i = 0; i < 4; i++)
      cases.push(
        row(node, i),
        // Same values as the run just kept, in another order, or with another column among them.
        row(reordered({ ...node }, [...rest, first as string]), i),
        reordered({ ...node }, [...rest, first as string]), // ends with the run's first column
        row(reordered({ ...node }, [first as string, ...rest.toReversed()]), i),
        row(reordered({ ...node }, [first as string, 'Other', ...rest]), i),
        row(rm, i),
        { ...node, Table: 'DeviceProcessEvents' }, // the run first
        { Table: 'DeviceProcessEvents', ...node }, // the run last
        row(wide, i),
        row(escapes, i),
        row(none, i),
        row({ ...node, InitiatingProcessId: 99 }, i), // one value differs
        // Not kept: an object (its JSON may change from one row to the next).
        row({ ...node, InitiatingProcessSHA1: changing }, i),
        row({ ...node, InitiatingProcessSHA1: changing }, i),
        { ...row(node, i), [first as string]: 'changed after the spread' },
        Object.fromEntries(Object.entries(row(node, i)).slice(0, 5)), // the run cut short
        Object.assign(Object.create({ inherited: 1 }), row(node, i)),
      );
    // More distinct runs than are kept, in turns.
    for (let i = 0; i < 12; i++) cases.push(row(initiatingColumns(proc(20 + (i % 6), `sh -c ${i % 6}`), undefined), i));
    const out = Buffer.alloc(1 << 16);
    for (const [i, r] of cases.entries()) {
      phase = i;
      const end = writeJsonRow(r, out, 5);
      expect(out.toString('utf8', 5, end), `case ${i}`).toBe(JSON.stringify(r));
    }
  });
});
