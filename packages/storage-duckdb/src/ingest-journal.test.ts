import { appendFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tables } from '@vigil/schema';
import { afterEach, describe, expect, it } from 'vitest';
import { DuckdbTelemetryStore } from './duckdb-telemetry-store.js';
import { IngestJournal } from './ingest-journal.js';

const lines = (key: string, n: number) =>
  Buffer.from(
    Array.from(
      { length: n },
      (_, i) => `${JSON.stringify({ Timestamp: '2026-11-01T00:00:00Z', DeviceId: 'd', FileName: `${key}-${i}` })}\n`,
    ).join(''),
  );

describe('IngestJournal', () => {
  const dirs: string[] = [];
  const fresh = () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-journal-'));
    dirs.push(dir);
    return { db: join(dir, 't.duckdb'), journal: join(dir, 'journal') };
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const open = (p: { db: string; journal: string }) =>
    DuckdbTelemetryStore.open({ file: p.db, journalDir: p.journal, tables });
  const names = async (s: DuckdbTelemetryStore) =>
    (await s.query('SELECT FileName FROM DeviceProcessEvents ORDER BY FileName')).rows.map((r) => r[0]);

  it('loads what a crashed run left, without the torn tail of an append that never finished', async () => {
    const p = fresh();
    const j = IngestJournal.open(p.journal);
    await j.append([{ key: 'a', rows: 2 }], new Map([['DeviceProcessEvents', [lines('a', 2)]]]));
    await j.append([{ key: 'b', rows: 1 }], new Map([['DeviceProcessEvents', [lines('b', 1)]]]));
    await j.close();
    // The crash: half a row and half a manifest line were written, never synced into the manifest.
    const seg = join(p.journal, readdirSync(p.journal)[0] ?? '');
    appendFileSync(join(seg, 'DeviceProcessEvents.ndjson'), '{"Timestamp":"2026-11-01T00:00:00Z","FileNa');
    appendFileSync(join(seg, 'DeviceNetworkEvents.ndjson'), '{"Timestamp":"2026-11-01T00:00:00Z"}\n');
    appendFileSync(join(seg, 'batches.ndjson'), '{"batches":[{"key":"c","ro');

    const s = await open(p);
    try {
      expect(await names(s)).toEqual(['a-0', 'a-1', 'b-0']);
      expect(await s.hasBatch('b')).toBe(true);
      expect(await s.hasBatch('c')).toBe(false);
      expect(readdirSync(p.journal)).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('drops a segment whose load committed before the crash, instead of storing it twice', async () => {
    const p = fresh();
    const first = await open(p);
    await first.writeBatches([
      { key: 'a', rowCount: 2, tables: new Map([['DeviceProcessEvents', { ndjson: lines('a', 2), rows: 2 }]]) },
    ]);
    await first.close();
    // The crash came after the load's commit and before the segment was deleted.
    const j = IngestJournal.open(p.journal);
    await j.append([{ key: 'a', rows: 2 }], new Map([['DeviceProcessEvents', [lines('a', 2)]]]));
    await j.close();

    const s = await open(p);
    try {
      expect(await names(s)).toEqual(['a-0', 'a-1']);
      expect(readdirSync(p.journal)).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('acknowledges a batch once it is in the journal; a read loads the journal first', async () => {
    const p = fresh();
    const s = await open(p);
    try {
      const batch = {
        key: 'k',
        rowCount: 3,
        tables: new Map([['DeviceProcessEvents', { ndjson: lines('k', 3), rows: 3 }]]),
      };
      expect(await s.writeBatches([batch])).toEqual({ stored: ['k'], duplicates: [] });
      // Known at once, whether or not the background load has taken it yet.
      expect(await s.hasBatch('k')).toBe(true);
      expect(await s.writeBatches([batch])).toEqual({ stored: [], duplicates: ['k'] });
      expect(await names(s)).toEqual(['k-0', 'k-1', 'k-2']);
      expect(existsSync(p.journal) && readdirSync(p.journal)).toEqual([]);
      expect(await s.writeBatches([batch])).toEqual({ stored: [], duplicates: ['k'] });
    } finally {
      await s.close();
    }
  });

  it('keeps reads complete and batches unique while background loads and loads for reads run side by side', async () => {
    const p = fresh();
    const s = await DuckdbTelemetryStore.open({ file: p.db, journalDir: p.journal, tables, segmentRows: 20 });
    try {
      const batch = (i: number) => ({
        key: `b${i}`,
        rowCount: 7,
        tables: new Map([['DeviceProcessEvents', { ndjson: lines(`b${String(i).padStart(3, '0')}`, 7), rows: 7 }]]),
      });
      const acked: number[] = [];
      const reads: Promise<void>[] = [];
      for (let i = 0; i < 60; i++) {
        const writes = [0, 1, 2].map((k) => s.writeBatches([batch(i * 3 + k)]).then(() => acked.push(i * 3 + k)));
        if (i % 5 === 0) {
          // Every batch acknowledged before a read starts is in what it reads.
          const before = [...acked];
          reads.push(
            s.query('SELECT count(*) FROM DeviceProcessEvents').then((r) => {
              expect(Number(r.rows[0]?.[0])).toBeGreaterThanOrEqual(before.length * 7);
            }),
          );
        }
        await Promise.all(writes);
      }
      await Promise.all(reads);
      // Resent batches (some loaded, some maybe still in the journal) are not stored again.
      const again = await s.writeBatches([batch(0), batch(90), batch(179)]);
      expect(again.stored).toEqual([]);
      const r = await s.query('SELECT count(*), count(DISTINCT FileName) FROM DeviceProcessEvents');
      expect(r.rows[0]?.map(Number)).toEqual([180 * 7, 180 * 7]);
    } finally {
      await s.close();
    }
    expect(readdirSync(p.journal)).toEqual([]);
  });
});
