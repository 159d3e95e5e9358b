import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tables } from '@vigil/schema';
import type { BatchWrite, WriteOutcome } from '@vigil/storage';
import { DuckdbTelemetryStore } from '@vigil/storage-duckdb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IngestQueue } from './ingest-queue.js';

const batch = (key: string, n = 2): BatchWrite => ({
  key,
  rowCount: n,
  tables: new Map([
    [
      'DeviceProcessEvents',
      Array.from({ length: n }, (_, i) => ({ Timestamp: '2026-11-01T00:00:00.000000Z', ReportId: i, FileName: key })),
    ],
  ]),
});

describe('IngestQueue on a DuckDB store', () => {
  let dir: string;
  let store: DuckdbTelemetryStore;
  let gate: Promise<void> | undefined;
  let release: () => void = () => undefined;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-queue-'));
    store = await DuckdbTelemetryStore.open({ file: join(dir, 't.duckdb'), journalDir: join(dir, 'journal'), tables });
    // Hold writes until the test releases them, so that the queue fills up.
    const write = store.writeBatches.bind(store);
    store.writeBatches = async (b: readonly BatchWrite[]): Promise<WriteOutcome> => {
      if (gate) await gate;
      return write(b);
    };
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const count = async () => Number((await store.query('SELECT count(*) FROM DeviceProcessEvents')).rows[0]?.[0]);

  it('answers 429 with Retry-After when full, and accepts again once drained', async () => {
    gate = new Promise((r) => {
      release = r;
    });
    const q = new IngestQueue(store, { maxQueuedBatches: 2, maxQueuedRows: 1000 });
    const a = q.submit(batch('a'));
    const b = q.submit(batch('b'));
    await expect(q.submit(batch('c'))).rejects.toMatchObject({ code: 'INGEST_QUEUE_FULL', status: 429, retryAfter: 1 });
    expect(q.depth()).toBe(2);
    release();
    gate = undefined;
    await Promise.all([a, b]);
    expect(q.depth()).toBe(0);
    expect((await q.submit(batch('c'))).duplicate).toBe(false);
    expect(await count()).toBe(6);
  });

  it('refuses a batch over the row budget but always accepts one into an empty queue', async () => {
    const q = new IngestQueue(store, { maxQueuedBatches: 10, maxQueuedRows: 3 });
    expect((await q.submit(batch('big', 5))).rowCount).toBe(5);
    gate = new Promise((r) => {
      release = r;
    });
    const first = q.submit(batch('x', 2));
    await expect(q.submit(batch('y', 2))).rejects.toMatchObject({ code: 'INGEST_QUEUE_FULL' });
    release();
    await first;
  });

  it('stores a key once: concurrent and later resubmissions are duplicates', async () => {
    const q = new IngestQueue(store, { maxQueuedBatches: 10, maxQueuedRows: 1000 });
    const [one, two] = await Promise.all([q.submit(batch('k')), q.submit(batch('k'))]);
    expect([one.duplicate, two.duplicate].sort()).toEqual([false, true]);
    expect((await q.submit(batch('k'))).duplicate).toBe(true);
    expect(await count()).toBe(2);
  });

  it('groups waiting batches into one write and resolves each', async () => {
    gate = new Promise((r) => {
      release = r;
    });
    const q = new IngestQueue(store, { maxQueuedBatches: 100, maxQueuedRows: 10_000 });
    const all = Array.from({ length: 20 }, (_, i) => q.submit(batch(`g${i}`)));
    release();
    gate = undefined;
    const outcomes = await Promise.all(all);
    expect(outcomes.every((o) => !o.duplicate)).toBe(true);
    expect(await count()).toBe(40);
  });

  it('waits for queued batches on close', async () => {
    const q = new IngestQueue(store, { maxQueuedBatches: 100, maxQueuedRows: 10_000 });
    const p = q.submit(batch('last'));
    await q.close();
    await p;
    expect(await count()).toBe(2);
    await expect(q.submit(batch('after'))).rejects.toMatchObject({ code: 'INGEST_SHUTTING_DOWN', status: 503 });
  });
});
