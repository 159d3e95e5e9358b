import { Worker } from 'node:worker_threads';
import { type BatchWrite, isNdjson, rowCountOf } from '@vigil/storage';
import { type Finding, SERVER_TABLES } from './detect-sigma.js';

/** A stored batch for the worker: per table, its rows as NDJSON text (the sender's own text where it is the row). */
export interface SigmaRequest {
  readonly id: number;
  readonly tables: readonly (readonly [string, Uint8Array | string])[];
}

/** The worker's answer: the detections found, or why evaluation failed. */
export type SigmaResponse =
  | { readonly id: number; readonly found: readonly Finding[] }
  | { readonly id: number; readonly error: string };

interface Waiting {
  readonly rows: number;
  resolve(found: readonly Finding[]): void;
  reject(e: Error): void;
}

/** The worker's module: under vitest the sources run as .ts, so the worker runs from the build output (tsc -b). */
function workerUrl(): URL {
  const here = import.meta.url;
  return here.endsWith('.ts') ? new URL('../dist/detect-worker.js', here) : new URL('./detect-worker.js', here);
}

/** NDJSON of each table of a batch that detection evaluates: the batch's own bytes, or its rows serialized. */
function tableTexts(batch: BatchWrite): [string, Uint8Array | string][] {
  const out: [string, Uint8Array | string][] = [];
  for (const [table, rows] of batch.tables) {
    if (SERVER_TABLES.has(table) || rowCountOf(rows) === 0) continue;
    out.push([table, isNdjson(rows) ? rows.ndjson : rows.map((r) => JSON.stringify(r)).join('\n')]);
  }
  return out;
}

/**
 * Sigma evaluation of one tenant in a worker thread, so that it runs beside ingestion instead of on the event
 * loop that parses, validates and acknowledges batches. Batches are evaluated in the order they are given (the
 * commit order); `backlogRows` tells how far detection is behind, so that ingestion can push back.
 */
export class SigmaOffload {
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly waiting = new Map<number, Waiting>();
  /** Rows sent to the worker and not evaluated yet. */
  backlogRows = 0;
  /** Callers waiting for the backlog to shrink (see `below`). */
  private readonly roomWaiters = new Set<{ rows: number; done(ok: boolean): void }>();

  constructor(private readonly rulesRoot: string) {}

  /** Evaluates a stored batch; resolves with the detections to raise, in row order. */
  evaluate(batch: BatchWrite): Promise<readonly Finding[]> {
    const tables = tableTexts(batch);
    if (tables.length === 0) return Promise.resolve([]);
    const rows = tables.reduce((n, [t]) => n + rowCountOf(batch.tables.get(t) ?? []), 0);
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { rows, resolve, reject });
      this.backlogRows += rows;
      worker.ref();
      // The batch is stored: NDJSON buffers that own their memory (as decoded batches' do) move to the worker
      // instead of being copied; slices of shared memory (Buffer's pool) are copied.
      const moved = tables.flatMap(([, t]) =>
        typeof t !== 'string' && t.byteOffset === 0 && t.byteLength === t.buffer.byteLength
          ? [t.buffer as ArrayBuffer]
          : [],
      );
      worker.postMessage({ id, tables } satisfies SigmaRequest, [...new Set(moved)]);
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(workerUrl(), { workerData: { rulesRoot: this.rulesRoot } });
    worker.on('message', (r: SigmaResponse) => this.answer(r));
    const fail = (e: Error) => {
      if (this.worker === worker) this.worker = undefined;
      this.failAll(e);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the detection worker exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }

  /** Resolves true as soon as fewer than `rows` rows wait for evaluation, or false after `ms` milliseconds. */
  below(rows: number, ms: number): Promise<boolean> {
    if (this.backlogRows < rows) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = {
        rows,
        done: (ok: boolean) => {
          clearTimeout(timer);
          this.roomWaiters.delete(waiter);
          resolve(ok);
        },
      };
      const timer = setTimeout(() => waiter.done(false), ms);
      this.roomWaiters.add(waiter);
    });
  }

  private wakeWaiters(): void {
    for (const w of this.roomWaiters) if (this.backlogRows < w.rows) w.done(true);
  }

  private answer(r: SigmaResponse): void {
    const w = this.waiting.get(r.id);
    if (!w) return;
    this.waiting.delete(r.id);
    this.backlogRows -= w.rows;
    this.wakeWaiters();
    // An idle worker must not keep the process alive.
    if (this.waiting.size === 0) this.worker?.unref();
    if ('error' in r) w.reject(new Error(`Sigma evaluation failed: ${r.error}`));
    else w.resolve(r.found);
  }

  private failAll(e: Error): void {
    for (const w of this.waiting.values()) w.reject(e);
    this.waiting.clear();
    this.backlogRows = 0;
    this.wakeWaiters();
  }

  /** Stops the worker; batches still waiting are failed (callers drain first). */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) {
      worker.removeAllListeners('exit');
      await worker.terminate();
    }
    this.failAll(new Error('the detection worker was stopped'));
  }
}
