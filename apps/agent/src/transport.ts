import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { DeviceIdentity } from './enrollment.js';
import { Spool, type SpooledBatch } from './spool.js';
import { Telemetry } from './telemetry.js';
import { Uploader } from './uploader.js';
import { type Rounds, WakeTimer } from './wake-timer.js';

/** How often queued rows are written to the spool (flushMs), and the age at which it seals a batch (batchMaxAgeMs). */
export const DEFAULT_FLUSH_MS = 500;
export const DEFAULT_BATCH_MAX_AGE_MS = 2000;
/** Rows kept in memory while the disk refuses them, at most (beyond: dropped, counted and reported). */
export const MEMORY_MAX_BYTES = 64 * 1024 * 1024;

/** Settings of the spool and the upload loop. */
export interface TransportOptions {
  readonly server: string;
  readonly spoolMaxBytes: number;
  readonly batchMaxRows: number;
  readonly batchMaxAgeMs: number;
  readonly flushMs: number;
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
  readonly log: (line: string) => void;
  /** Rows kept in memory while the disk refuses them, at most (MEMORY_MAX_BYTES by default). */
  readonly memoryMaxBytes?: number;
  /** vigil-collector's rounds: the flush timer runs in them, after the sensors' drains (see Rounds). */
  readonly rounds?: Rounds;
}

/** Spool, telemetry sink and uploader, wired together. */
export interface Transport {
  readonly spool: Spool;
  readonly telemetry: Telemetry;
  readonly uploader: Uploader;
  /** Seals the open segment, applies the cap and wakes the uploader. */
  seal(): void;
  close(): Promise<void>;
}

/**
 * Writes the spool's queued rows every flushMs while its open segment holds rows (and not at all while it is empty:
 * an idle agent is not woken for it; the spool's onOpen wakes it), and seals the segment when due or older than
 * batchMaxAgeMs. A flush the disk refused goes to `trouble`.
 */
export function spoolFlushTimer(
  spool: Spool,
  flushMs: number,
  batchMaxAgeMs: number,
  seal: () => void,
  trouble: (e: unknown) => void,
  rounds?: Rounds,
): WakeTimer {
  return new WakeTimer(
    flushMs,
    () => {
      if (!spool.tryFlush()) trouble(spool.flushError);
      else if (spool.due || spool.openAgeMs() >= batchMaxAgeMs) seal();
    },
    () => spool.openRows > 0,
    { rounds, last: true },
  );
}

/** Opens the spool in DATA/spool and starts uploading what it holds. */
export function createTransport(dataDir: string, identity: DeviceIdentity, o: TransportOptions): Transport {
  const spool: Spool = new Spool(
    join(dataDir, 'spool'),
    { maxBytes: o.spoolMaxBytes, batchMaxRows: o.batchMaxRows, onDue: () => seal(), onOpen: () => flushTimer.wake() },
    randomBytes(6).toString('hex'),
  );
  const telemetry = new Telemetry(spool, o.log);
  const uploader = new Uploader(o.server, identity.deviceSecret, spool, {
    backoffBaseMs: o.backoffBaseMs,
    backoffMaxMs: o.backoffMaxMs,
    requestTimeoutMs: 60_000,
    log: o.log,
    onSkew: (ms) => telemetry.setSkew(ms),
    onRejected: (batch, status, body) => {
      o.log(`the server refused batch ${batch.batchId} (${batch.rows} rows, HTTP ${status}): ${body.slice(0, 300)}`);
      spool.remove(batch);
      telemetry.reportDrop(1, batch.rows, o.spoolMaxBytes);
    },
  });
  let troubleLoggedAt = Number.NEGATIVE_INFINITY;
  /**
   * The disk refused rows (full, say): the agent goes on, the rows stay queued in memory and each flush tries again.
   * Logged at most once a minute; past memoryMaxBytes of queued rows, they are dropped, counted and reported.
   */
  const spoolTrouble = (e: unknown) => {
    const why = e instanceof Error ? e.message : String(e);
    const now = Date.now();
    if (now - troubleLoggedAt >= 60_000) {
      troubleLoggedAt = now;
      o.log(`spool: cannot write to ${spool.dir} (${why}); ${spool.openRows} rows wait, and are written once it can`);
    }
    if (spool.queuedBytes > (o.memoryMaxBytes ?? MEMORY_MAX_BYTES)) telemetry.reportUnwritten(spool.dropQueued(), why);
  };
  const seal = () => {
    let made: SpooledBatch[] = [];
    try {
      made = spool.seal();
    } catch (e) {
      spoolTrouble(e);
    }
    const drop = spool.enforceCap();
    telemetry.reportDrop(drop.batches, drop.rows, o.spoolMaxBytes);
    if (made.length > 0) uploader.notify();
  };
  /**
   * Writes queued rows to disk, and seals when the segment is due (full) or old. Runs every flushMs while the open
   * segment holds rows (woken by its first row), and not at all while it is empty: an idle agent is not woken for it.
   */
  const flushTimer = spoolFlushTimer(spool, o.flushMs, o.batchMaxAgeMs, seal, spoolTrouble, o.rounds);
  uploader.start();
  return {
    spool,
    telemetry,
    uploader,
    seal,
    close: async () => {
      flushTimer.stop();
      seal();
      await uploader.drained(3000);
      await uploader.stop();
      try {
        spool.close();
      } catch (e) {
        o.log(`spool: ${spool.openRows} rows could not be written before stopping (${String(e)})`);
      }
    },
  };
}
