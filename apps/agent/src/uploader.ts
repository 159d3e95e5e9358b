import { readFileSync } from 'node:fs';
import { backoffMs, retryAfterMs, skewFromDate } from './backoff.js';
import { HttpClient } from './http-client.js';
import type { Spool, SpooledBatch } from './spool.js';

/** Settings of the upload loop. */
export interface UploaderOptions {
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
  readonly requestTimeoutMs: number;
  readonly log: (line: string) => void;
  /** Called with the skew (server minus local, ms) whenever a response carries a Date header. */
  readonly onSkew: (skewMs: number) => void;
  /** Called when the server refused a batch for good (400/413): it is set aside, never resent. */
  readonly onRejected: (batch: SpooledBatch, status: number, body: string) => void;
}

/** Counters of the upload loop. */
export interface UploadStats {
  sentBatches: number;
  sentRows: number;
  duplicateBatches: number;
  failedAttempts: number;
  rejectedBatches: number;
  lastError: string;
  lastSuccessAt: string;
}

type Outcome =
  | { kind: 'acked' }
  | { kind: 'retry'; afterMs?: number; error: string }
  | { kind: 'rejected'; status: number; body: string };

/** Sends spooled batches oldest first; deletes each only after the server's acknowledgement. */
export class Uploader {
  readonly stats: UploadStats = {
    sentBatches: 0,
    sentRows: 0,
    duplicateBatches: 0,
    failedAttempts: 0,
    rejectedBatches: 0,
    lastError: '',
    lastSuccessAt: '',
  };
  private attempt = 0;
  private wake: (() => void) | undefined;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private readonly http = new HttpClient();

  constructor(
    private server: string,
    private readonly secret: string,
    private readonly spool: Spool,
    private readonly options: UploaderOptions,
  ) {}

  /** Points the agent at another server URL (the same tenant server moved). */
  setServer(url: string): void {
    this.server = url;
    this.attempt = 0;
    this.notify();
  }

  /** Starts the loop. */
  start(): void {
    this.loop ??= this.run();
  }

  /** Wakes the loop: a batch was sealed. */
  notify(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const batch = this.spool.oldest();
      if (!batch) {
        await this.sleep(60_000);
        continue;
      }
      const outcome = await this.send(batch);
      if (outcome.kind === 'acked') {
        this.spool.remove(batch);
        this.attempt = 0;
        continue;
      }
      if (outcome.kind === 'rejected') {
        this.stats.rejectedBatches++;
        this.options.onRejected(batch, outcome.status, outcome.body);
        continue;
      }
      this.stats.failedAttempts++;
      this.stats.lastError = outcome.error;
      const wait = Math.max(
        outcome.afterMs ?? 0,
        backoffMs(this.attempt++, this.options.backoffBaseMs, this.options.backoffMaxMs),
      );
      if (this.attempt === 1 || this.attempt % 10 === 0) {
        this.options.log(`upload of batch ${batch.batchId} failed (${outcome.error}); retrying in ${wait} ms`);
      }
      await this.sleepUnlessStopped(wait);
    }
  }

  private async sleepUnlessStopped(ms: number): Promise<void> {
    // A wake-up (new batch) must not cut a backoff short, or a down server gets hammered; setServer() may.
    const until = Date.now() + ms;
    while (!this.stopped && Date.now() < until && this.attempt > 0) await this.sleep(until - Date.now());
  }

  private async send(batch: SpooledBatch): Promise<Outcome> {
    let body: Buffer;
    try {
      body = readFileSync(batch.file);
    } catch (e) {
      return { kind: 'rejected', status: 0, body: `unreadable spool file: ${String(e)}` };
    }
    const sentAt = Date.now();
    try {
      const res = await this.http.post(
        new URL('/api/agent/ingest', this.server),
        {
          authorization: `Bearer ${this.secret}`,
          'content-type': 'application/x-ndjson',
          'content-encoding': 'gzip',
          'x-batch-id': batch.batchId,
        },
        body,
        this.options.requestTimeoutMs,
      );
      const text = res.body;
      const skew = skewFromDate(res.header('date') ?? null, sentAt, Date.now());
      if (skew !== undefined) this.options.onSkew(skew);
      if (res.status === 200) {
        const json = JSON.parse(text) as { status?: string };
        this.stats.sentBatches++;
        this.stats.sentRows += batch.rows;
        if (json.status === 'duplicate') this.stats.duplicateBatches++;
        this.stats.lastSuccessAt = new Date().toISOString();
        return { kind: 'acked' };
      }
      if (res.status === 400 || res.status === 413) return { kind: 'rejected', status: res.status, body: text };
      const after = retryAfterMs(res.header('retry-after') ?? null);
      return {
        kind: 'retry',
        ...(after !== undefined ? { afterMs: after } : {}),
        error: `HTTP ${res.status} ${text.slice(0, 200)}`,
      };
    } catch (e) {
      return { kind: 'retry', error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
    }
  }

  /** Stops after the request in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.notify();
    await this.loop;
    this.http.close();
  }

  /** Resolves once the spool holds no batch (or the timeout passes); for shutdown and tests. */
  async drained(timeoutMs: number): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (!this.spool.oldest()) return true;
      await new Promise((r) => setTimeout(r, 50));
    }
    return !this.spool.oldest();
  }
}
