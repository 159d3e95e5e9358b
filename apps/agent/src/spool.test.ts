import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { INITIATING_REFERENCE, InitiatingReferences } from '@vigil/protocol';
import { INITIATING_COLUMN_NAMES } from '@vigil/sensors';
import { describe, expect, it } from 'vitest';
import { SEGMENT, Spool, segmentNdjson } from './spool.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'vigil-spool-'));
const rowsOf = (file: string) => gunzipSync(readFileSync(file)).toString().trim().split('\n');
/** The NDJSON in the open segment (one gzip member per flush). */
const openText = (dir: string) => segmentNdjson(readFileSync(join(dir, SEGMENT))).toString();

/** The InitiatingProcess* columns of a process, in the sensors' order, as one shared object (as the sensors spread). */
const initiator = (id: string, commandLine: string) =>
  Object.fromEntries(
    INITIATING_COLUMN_NAMES.map((c) => [
      c,
      c === 'InitiatingProcessUniqueId' ? id : c === 'InitiatingProcessCommandLine' ? commandLine : `${c} of ${id}`,
    ]),
  );
/** The rows of a batch file as the server reads them: each line parsed, its references resolved within the batch. */
const resolvedRows = (file: string) => {
  const refs = new InitiatingReferences();
  return rowsOf(file).map((line) => {
    const row = JSON.parse(line) as Record<string, unknown>;
    expect(refs.resolve(row)).toBeUndefined();
    return row;
  });
};

describe('Spool', () => {
  it('sends the InitiatingProcess* columns of a process once per batch, later rows refer to them', () => {
    const dir = fresh();
    const s = new Spool(dir, { maxBytes: 1 << 30, batchMaxRows: 1000 }, 'refs');
    const a = initiator('7-100', 'bash -c x');
    const b = initiator('8-200', 'python3 y.py');
    const aExec = initiator('7-100', 'curl http://x'); // the same process after an exec
    const aLong = initiator('7-100', `rm ${'f '.repeat(40_000)}`); // fits no block the row could start in
    const row = (n: number, i: Record<string, string>) => ({ Table: 'DeviceFileEvents', FileName: `f${n}`, ...i });
    const rows = [
      row(0, a),
      row(1, a),
      row(2, b),
      row(3, aExec),
      row(4, aExec),
      { Table: 'DeviceFileEvents', FileName: 'pad', pad: 'x'.repeat(60_000) },
      row(5, aLong),
      row(6, aLong),
      row(7, b),
      // A run that cannot be kept (an object) is written whole: the server takes it as the last of its process...
      row(8, { ...aLong, InitiatingProcessFileName: { odd: true } as never }),
      // ...so the run kept before is written in full again.
      row(9, aLong),
      // Another InitiatingProcess* column (a reference would stand for it too), after the run or before it.
      { ...row(10, aLong), InitiatingProcessAccountDomain: 'x' },
      { InitiatingProcessAccountDomain: 'x', ...row(11, aLong) },
      row(12, aLong),
      row(13, aLong),
      { InitiatingProcessAccountDomain: 'y', ...row(14, aLong) },
    ];
    for (const r of rows) s.appendRow(r);
    const [batch, ...more] = s.seal();
    expect(more).toEqual([]);
    const lines = rowsOf(batch?.file as string);
    const referring = lines.map((l) => INITIATING_REFERENCE in JSON.parse(l));
    // 1: the row refers to an earlier row's columns (rows 0-4, pad, 5-14 above)
    expect(referring.map(Number).join('')).toBe('0100100110000010');
    expect(resolvedRows(batch?.file as string)).toEqual(rows);
    // A new batch holds them in full again.
    s.appendRow(row(15, b));
    expect(rowsOf(s.seal()[0]?.file as string)[0]).not.toContain(INITIATING_REFERENCE);
    s.close();
  });

  it('makes each batch cut from a larger segment stand alone', () => {
    const dir = fresh();
    const s = new Spool(dir, { maxBytes: 1 << 30, batchMaxRows: 2 }, 'cut');
    const a = initiator('7-100', 'bash -c x');
    const b = initiator('8-200', 'python3 y.py');
    const rows = [a, a, a, b, a, b].map((i, n) => ({ Table: 'DeviceFileEvents', FileName: `f${n}`, ...i }));
    for (const r of rows) s.appendRow(r);
    const made = s.seal();
    expect(made.map((m) => m.rows)).toEqual([2, 2, 2]);
    expect(made.flatMap((m) => resolvedRows(m.file))).toEqual(rows);
    expect(made.map((m) => rowsOf(m.file).map((l) => INITIATING_REFERENCE in JSON.parse(l)))).toEqual([
      [false, true],
      [false, false],
      [false, false],
    ]);
    s.close();
  });

  it('appends, flushes and seals rows into gzip batches with fixed ids, oldest first', () => {
    const dir = fresh();
    const s = new Spool(dir, { maxBytes: 1 << 20, batchMaxRows: 2 }, 'inst');
    for (const a of [1, 2, 3]) s.appendRow({ a });
    s.flush();
    expect(openText(dir)).toBe('{"a":1}\n{"a":2}\n{"a":3}\n');
    const made = s.seal();
    expect(made.map((b) => [b.batchId, b.rows])).toEqual([
      ['inst.1', 2],
      ['inst.2', 1],
    ]);
    expect(rowsOf(made[0]?.file as string)).toEqual(['{"a":1}', '{"a":2}']);
    expect(s.oldest()?.batchId).toBe('inst.1');
    s.remove(made[0] as never);
    expect(s.oldest()?.batchId).toBe('inst.2');
    s.close();
  });

  it('bounds what it holds in memory: writes queued rows past 4 MiB, cuts batches at 8 MiB', () => {
    const dir = fresh();
    const s = new Spool(dir, { maxBytes: 1 << 30, batchMaxRows: 1000 }, 'big');
    const row = (i: number) => ({ i, pad: 'x'.repeat(3 * 1024 * 1024) });
    s.appendRow(row(1));
    expect(openText(dir)).toBe('');
    s.appendRow(row(2));
    expect(openText(dir).split('\n')).toHaveLength(3);
    s.appendRow(row(3));
    const made = s.seal();
    expect(made.map((b) => b.rows)).toEqual([2, 1]);
    expect(rowsOf(made[1]?.file as string)).toEqual([JSON.stringify(row(3))]);
    s.close();
  });

  it('writes row objects as JSON lines across blocks, a row larger than a block included', () => {
    const dir = fresh();
    const s = new Spool(dir, { maxBytes: 1 << 30, batchMaxRows: 1000 }, 'obj');
    const rows = [
      ...Array.from({ length: 50 }, (_, i) => ({ i, text: `row ${i} ${'é'.repeat(i * 500)}`, skip: undefined })),
      { big: 'x'.repeat(300_000), quote: '"' },
      { after: true },
    ];
    for (const r of rows) s.appendRow(r);
    const made = s.seal();
    expect(made.map((b) => b.rows)).toEqual([52]);
    expect(rowsOf(made[0]?.file as string)).toEqual(rows.map((r) => JSON.stringify(r)));
    s.close();
  });

  it('reuses its blocks and seal buffer across flushes and seals without mixing rows of different seals', () => {
    const dir = fresh();
    const s = new Spool(dir, { maxBytes: 1 << 30, batchMaxRows: 100_000 }, 'reuse');
    const sealed: string[][] = [];
    const expected: string[][] = [];
    // A large seal, then smaller ones: a kept buffer must not hand back bytes of the earlier, longer segment.
    for (const [n, width] of [
      [3000, 900],
      [40, 50],
      [7, 10],
    ] as const) {
      const rows = Array.from({ length: n }, (_, i) => ({ n, i, text: `${'é'.repeat(i % 3)}${'x'.repeat(width)}` }));
      for (const [i, r] of rows.entries()) {
        s.appendRow(r);
        if (i % 500 === 499) s.flush();
      }
      expected.push(rows.map((r) => JSON.stringify(r)));
      for (const b of s.seal()) sealed.push(rowsOf(b.file));
    }
    expect(sealed).toEqual(expected);
    s.close();
  });

  it('is due for sealing at batchMaxRows rows or at 4 MiB, whichever comes first', () => {
    const byRows = new Spool(fresh(), { maxBytes: 1 << 30, batchMaxRows: 3 }, 'r');
    byRows.appendRow({ a: 1 });
    byRows.appendRow({ a: 2 });
    expect(byRows.due).toBe(false);
    byRows.appendRow({ a: 3 });
    expect(byRows.due).toBe(true);
    byRows.close();
    const byBytes = new Spool(fresh(), { maxBytes: 1 << 30, batchMaxRows: 100_000 }, 'b');
    for (let i = 0; i < 3; i++) byBytes.appendRow({ i, pad: 'x'.repeat(1024 * 1024) });
    byBytes.flush();
    expect(byBytes.due).toBe(false);
    byBytes.appendRow({ i: 4, pad: 'x'.repeat(1024 * 1024) });
    expect(byBytes.due).toBe(true);
    expect(byBytes.seal().map((b) => b.rows)).toEqual([4]);
    expect(byBytes.due).toBe(false);
    byBytes.close();
  });

  it('calls onDue as a row makes the segment due, so a burst is sealed in pieces as it comes', () => {
    const made: number[] = [];
    const s: Spool = new Spool(
      fresh(),
      { maxBytes: 1 << 30, batchMaxRows: 100_000, onDue: () => made.push(...s.seal().map((b) => b.rows)) },
      'burst',
    );
    // 5,000 rows of 4 KiB (an `rm` of 5,000 files): 20 MiB, sealed every 4 MiB (1,020 rows of 4,113 bytes).
    for (let i = 0; i < 5000; i++) s.appendRow({ i, cmd: 'x'.repeat(4096) });
    expect(made).toEqual([1020, 1020, 1020, 1020]);
    expect(s.openRows).toBe(920);
    s.close();
  });

  it('seals a segment by renaming it: its gzip members are the batch', () => {
    const dir = fresh();
    const s = new Spool(dir, { maxBytes: 1 << 20, batchMaxRows: 100 }, 'r');
    s.appendRow({ m: 1 });
    s.flush();
    s.appendRow({ m: 2 });
    s.flush();
    const segment = readFileSync(join(dir, SEGMENT));
    const [batch] = s.seal();
    expect(readFileSync(batch?.file as string).equals(segment)).toBe(true);
    expect(batch).toMatchObject({ rows: 2, bytes: segment.length });
    expect(rowsOf(batch?.file as string)).toEqual(['{"m":1}', '{"m":2}']);
    expect(openText(dir)).toBe('');
    s.close();
  });

  it('recovers after a crash: the open segment is sealed (minus a torn flush), batches keep their ids', () => {
    const dir = fresh();
    const s = new Spool(dir, { maxBytes: 1 << 20, batchMaxRows: 100 }, 'one');
    s.appendRow({ x: 1 });
    s.seal();
    s.appendRow({ x: 2 });
    s.appendRow({ x: 3 });
    s.flush();
    // Simulated crash: the process dies without closing, in the middle of writing the next flush's member.
    const torn = gzipSync('{"x":4}\n{"x":5}\n', { level: 1 });
    writeFileSync(join(dir, SEGMENT), torn.subarray(0, torn.length - 5), { flag: 'a' });
    const again = new Spool(dir, { maxBytes: 1 << 20, batchMaxRows: 100 }, 'two');
    expect(again.list().map((b) => b.batchId)).toEqual(['one.1', 'two.2']);
    expect(rowsOf(again.list()[1]?.file as string)).toEqual(['{"x":2}', '{"x":3}']);
    again.close();
  });

  it('recovers the plain NDJSON segment of an earlier version (minus a torn line)', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'open.ndjson'), '{"x":2}\n{"x":3}\n{"x":');
    const s = new Spool(dir, { maxBytes: 1 << 20, batchMaxRows: 100 }, 'up');
    expect(s.list().map((b) => [b.batchId, b.rows])).toEqual([['up.1', 2]]);
    expect(rowsOf(s.list()[0]?.file as string)).toEqual(['{"x":2}', '{"x":3}']);
    expect(readdirSync(dir).filter((n) => n.startsWith('open.ndjson'))).toEqual([SEGMENT]);
    s.close();
  });

  it('finishes a seal interrupted after the segment was renamed, with the id it had', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'sealing-7-old.7.ndjson'), '{"y":1}\n');
    const s = new Spool(dir, { maxBytes: 1 << 20, batchMaxRows: 100 }, 'new');
    expect(s.list().map((b) => b.batchId)).toEqual(['old.7']);
    expect(readdirSync(dir).filter((n) => n.startsWith('sealing'))).toEqual([]);
    s.appendRow({ y: 2 });
    expect(s.seal()[0]?.batchId).toBe('new.8');
    s.close();
  });

  it('drops the oldest batches beyond the cap and says how many rows', () => {
    const dir = fresh();
    const s = new Spool(dir, { maxBytes: 400, batchMaxRows: 1000 }, 'c');
    for (let i = 0; i < 10; i++) {
      for (let j = 0; j < 20; j++) s.appendRow({ i, j, pad: Math.random().toString(36) });
      s.seal();
    }
    const drop = s.enforceCap();
    expect(drop.batches).toBeGreaterThan(0);
    expect(drop.rows).toBe(drop.batches * 20);
    expect(s.sizeBytes()).toBeLessThanOrEqual(400);
    expect(s.list().at(-1)?.batchId).toBe('c.10');
    s.close();
  });
});

describe('segmentNdjson', () => {
  const members = ['{"a":1}\n', '{"a":2}\n{"a":3}\n', '{"a":4}\n'].map((t) => gzipSync(t, { level: 1 }));
  const whole = Buffer.concat(members);

  it('reads plain NDJSON as it is and gzip members as one text', () => {
    expect(segmentNdjson(Buffer.from('{"p":1}\n')).toString()).toBe('{"p":1}\n');
    expect(segmentNdjson(whole).toString()).toBe('{"a":1}\n{"a":2}\n{"a":3}\n{"a":4}\n');
  });

  it('keeps the whole members when the last one is cut short or followed by zeros', () => {
    for (let cut = 1; cut < (members[2] as Buffer).length; cut += 3)
      expect(segmentNdjson(whole.subarray(0, whole.length - cut)).toString()).toBe('{"a":1}\n{"a":2}\n{"a":3}\n');
    expect(segmentNdjson(Buffer.concat([whole, Buffer.alloc(100)])).toString()).toBe(
      '{"a":1}\n{"a":2}\n{"a":3}\n{"a":4}\n',
    );
  });

  it('stops at a member whose checksum does not match (bytes that were never written whole)', () => {
    const bad = Buffer.from(members[1] as Buffer);
    bad.writeUInt8((bad.readUInt8(bad.length - 8) ^ 1) & 0xff, bad.length - 8);
    expect(segmentNdjson(Buffer.concat([members[0] as Buffer, bad, members[2] as Buffer])).toString()).toBe(
      '{"a":1}\n',
    );
  });
});
