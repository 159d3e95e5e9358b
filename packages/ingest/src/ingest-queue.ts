import { VigilError } from '@vigil/base';
import type { BatchWrite, TelemetryStore } from '@vigil/storage';

/** What happened to a submitted batch. */
export interface SubmitOutcome {
  readonly key: string;
  /** True when the batch had been stored before and was not stored again. */
  readonly duplicate: boolean;
  readonly rowCount: number;
}

interface Pending {
  readonly batch: BatchWrite;
  readonly promise: Promise<SubmitOutcome>;
  resolve(o: SubmitOutcome): void;
  reject(e: unknown): void;
}

/** Limits of one queue. */
export interface QueueLimits {
  readonly maxQueuedBatches: number;
  readonly maxQueuedRows: number;
}

/** The most rows written in one transaction when batches are grouped. */
const GROUP_ROWS = 250_000;

/**
 * The write queue of one tenant. Batches wait here until one writer stores them, several per transaction; a
 * submitter's promise resolves only once its batch is durable. A full queue refuses new batches with 429.
 */
export class IngestQueue {
  private readonly waiting: Pending[] = [];
  private readonly byKey = new Map<string, Pending>();
  private queuedRows = 0;
  private draining: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly store: TelemetryStore,
    private readonly limits: QueueLimits,
    private readonly onStored: (batch: BatchWrite) => void = () => undefined,
  ) {}

  /** Batches waiting or being written. */
  depth(): number {
    return this.byKey.size;
  }

  /** Queues a batch; resolves once it is stored (or known to be stored before). */
  submit(batch: BatchWrite): Promise<SubmitOutcome> {
    const same = this.byKey.get(batch.key);
    if (same) return same.promise.then((o) => ({ ...o, duplicate: true }));
    if (this.closed)
      return Promise.reject(
        new VigilError('INGEST_SHUTTING_DOWN', 'the server is stopping', { status: 503, retryAfter: 5 }),
      );
    if (
      this.byKey.size > 0 &&
      (this.byKey.size >= this.limits.maxQueuedBatches || this.queuedRows + batch.rowCount > this.limits.maxQueuedRows)
    ) {
      return Promise.reject(
        new VigilError('INGEST_QUEUE_FULL', `the ingest queue is full (${this.byKey.size} batches waiting)`, {
          status: 429,
          retryAfter: 1,
          hint: 'retry the same batch later',
        }),
      );
    }
    let resolve!: (o: SubmitOutcome) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<SubmitOutcome>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const p: Pending = { batch, promise, resolve, reject };
    this.waiting.push(p);
    this.byKey.set(batch.key, p);
    this.queuedRows += batch.rowCount;
    this.kick();
    return promise;
  }

  private kick(): void {
    if (this.draining) return;
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
      if (this.waiting.length > 0) this.kick();
    });
  }

  private async drain(): Promise<void> {
    while (this.waiting.length > 0) {
      const group: Pending[] = [];
      let rows = 0;
      while (
        this.waiting.length > 0 &&
        (group.length === 0 || rows + (this.waiting[0]?.batch.rowCount ?? 0) <= GROUP_ROWS)
      ) {
        const p = this.waiting.shift() as Pending;
        rows += p.batch.rowCount;
        group.push(p);
      }
      await this.writeGroup(group);
    }
  }

  private async writeGroup(group: readonly Pending[]): Promise<void> {
    try {
      const outcome = await this.store.writeBatches(group.map((p) => p.batch));
      const dup = new Set(outcome.duplicates);
      for (const p of group) {
        if (!dup.has(p.batch.key)) this.onStored(p.batch);
        this.settle(p, () =>
          p.resolve({ key: p.batch.key, duplicate: dup.has(p.batch.key), rowCount: p.batch.rowCount }),
        );
      }
    } catch (e) {
      if (group.length > 1) {
        // One bad batch must not fail the others: write them one by one to find it.
        for (const p of group) await this.writeGroup([p]);
        return;
      }
      for (const p of group) this.settle(p, () => p.reject(e));
    }
  }

  private settle(p: Pending, fn: () => void): void {
    this.byKey.delete(p.batch.key);
    this.queuedRows -= p.batch.rowCount;
    fn();
  }

  /** Waits until every batch queued so far is written. */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  /** Refuses new batches and waits until every queued batch is written. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.draining) await this.draining;
  }
}
