import {
  BootClock,
  type BpfProcessEvent,
  CollectorReader,
  captureHasLooks,
  captureRounds,
  ProcessTree,
} from '@vigil/sensors';
import type { AgentContext } from './agent-context.js';
import { COLLECTOR_POLL_MS, collectorRounds } from './collector.js';
import { type FilePartEvent, type PartHub, SharedPart } from './ebpf-parts.js';
import { EbpfProcessSource } from './ebpf-source.js';
import { FileHasher } from './file-hasher.js';
import { FileSensor, type FileStats } from './file-sensor.js';
import { readBootTimeMs } from './proc-fs.js';
import { ProcessSensor, type ProcessSensorStats } from './process-sensor.js';
import { Spool } from './spool.js';
import { Telemetry } from './telemetry.js';
import { DEFAULT_BATCH_MAX_AGE_MS, DEFAULT_FLUSH_MS, spoolFlushTimer } from './transport.js';
import { UserNames } from './user-names.js';

/** How a capture is replayed. */
export interface ReplayOptions {
  /** The spool's directory (created; rows are written there as the agent writes them, and nothing uploads them). */
  readonly spoolDir: string;
  /** The file sensor's watched trees. */
  readonly watchPaths: readonly string[];
  /** The image-hash cache: one shared by several replays is warm, as a running agent's is. */
  readonly hasher?: FileHasher;
  /**
   * Bytes handed to the record reader at a time: vigil-collector writes a round every 200 ms (COLLECTOR_POLL_MS),
   * about 32 KB in the agent benchmark.
   */
  readonly chunkBytes?: number;
  /** Chunks between drains of the sensors (the agent drains every 200 ms: once a collector round). */
  readonly chunksPerDrain?: number;
  /** Drains between writes of the spool (the agent writes it every 500 ms). */
  readonly drainsPerFlush?: number;
  /**
   * The file sensor's settle time in a fast replay without the collector's looks (default 0: a written file is
   * looked at the next drain). A longer one leaves written files waiting until a delete, a rename or the end of the
   * replay reports them, as vigil-collector's own replay (--replay) does.
   */
  readonly settleMs?: number;
  /** Messages of the sensors (none by default). */
  readonly log?: (line: string) => void;
  /**
   * Hands the records over at the pace they were captured instead of as fast as they can be handled: a round of
   * COLLECTOR_POLL_MS of kernel time every COLLECTOR_POLL_MS, as vigil-collector writes them. The sensors' own
   * timers drain them, written files wait the file sensor's settle time, and the spool is written every
   * DEFAULT_FLUSH_MS and sealed when due or old, as in the agent (chunkBytes, chunksPerDrain and drainsPerFlush do
   * not apply). A replay takes as long as the capture did.
   */
  readonly paced?: boolean;
}

/** What a replay made. */
export interface ReplayResult {
  readonly records: number;
  readonly rows: number;
  readonly rowsByTable: Readonly<Record<string, number>>;
  readonly invalidRows: number;
  readonly process: ProcessSensorStats;
  readonly files: FileStats;
}

/** The replay's stand-in for the collector process: its records are already there, settle looks included if any. */
function captureHub(capture: Buffer): PartHub {
  return { restarts: 0, ordered: true, looks: captureHasLooks(capture), partStopped: () => Promise.resolve() };
}

/**
 * Replays a capture of vigil-collector's output (its stdout saved to a file) through the agent's event path, wired
 * as `vigil agent` wires it: records decoded, the process and file sensors with their process tree and hashing,
 * rows checked and written into a spool (gzip members, fsync), and no upload. Events are handled as fast as they
 * can be, not at the pace they came (each drain in its own turn of the event loop, as the agent's timers run them):
 * a written file is looked at once, at the next drain (no settle wait; with the collector's settle looks in the
 * capture, those report it), and paths and processes are those of the capture (a file the capture wrote must exist
 * again to be hashed; processes of the capture are found in its exec records, not in /proc). For measuring the event
 * path's CPU apart from the workload that made the events (`npm run bench -- agent-replay`) and for tests that need
 * no root.
 */
export async function replayCapture(capture: Buffer, o: ReplayOptions): Promise<ReplayResult> {
  const log = o.log ?? (() => undefined);
  const spool: Spool = new Spool(
    o.spoolDir,
    { maxBytes: 1 << 30, batchMaxRows: 5000, onDue: () => spool.seal(), onOpen: () => flushTimer?.wake() },
    'replay',
  );
  // Paced: written and sealed on the agent's timer (see createTransport), the timers lined up with the rounds.
  const rounds = collectorRounds();
  rounds.driven = o.paced === true;
  const flushTimer = o.paced
    ? spoolFlushTimer(
        spool,
        DEFAULT_FLUSH_MS,
        DEFAULT_BATCH_MAX_AGE_MS,
        () => spool.seal(),
        (e) => {
          throw e;
        },
        rounds,
      )
    : undefined;
  const telemetry = new Telemetry(spool, log);
  const ctx: AgentContext = {
    tree: new ProcessTree(),
    clock: new BootClock(readBootTimeMs()),
    users: new UserNames(),
    hasher: o.hasher ?? new FileHasher(),
    telemetry,
    log,
    procPollMs: 100,
    lateInitiatorMs: 0,
    rounds,
  };
  const hub = captureHub(capture);
  const proc = new SharedPart<BpfProcessEvent>('process', hub);
  const file = new SharedPart<FilePartEvent>('file', hub);
  const sensor = new ProcessSensor('ebpf', ctx.tree, ctx.clock, ctx.users, ctx.hasher, telemetry);
  const source = new EbpfProcessSource(sensor, ctx.clock, log, proc, rounds);
  // Fast, the sensor looks at a written file at the next drain, unless the capture holds the collector's looks: the
  // sensor then waits for them, as in the agent (its own looks are for overdue ones, by the wall clock).
  const files =
    o.paced || hub.looks ? new FileSensor(ctx, o.watchPaths) : new FileSensor(ctx, o.watchPaths, o.settleMs ?? 0);
  await files.start(file);
  const reader = new CollectorReader({
    process: (e) => proc.deliver(e),
    file: (e) => file.deliver(e),
    look: (l) => file.deliver(l),
    fileRow: (r) => file.deliver(r),
    network: () => undefined,
    attached: () => undefined,
    lost: () => undefined,
    invalid: (why) => log(`replay: ${why}`),
  });
  const chunk = o.chunkBytes ?? 32_768;
  const perDrain = o.chunksPerDrain ?? 1;
  const perFlush = o.drainsPerFlush ?? 2;
  let chunks = 0;
  let drains = 0;
  try {
    if (o.paced)
      for (const round of captureRounds(capture, COLLECTOR_POLL_MS)) {
        await new Promise((r) => setTimeout(r, COLLECTOR_POLL_MS));
        if (round.length > 0) {
          reader.push(round);
          rounds.tick();
        }
      }
    else
      for (let at = 0; at < capture.length; at += chunk) {
        reader.push(capture.subarray(at, Math.min(capture.length, at + chunk)));
        if (++chunks % perDrain !== 0) continue;
        source.drain(false);
        files.drain(false);
        if (++drains % perFlush === 0) spool.flush();
        // Each drain in its own turn of the event loop, as the agent's timers run them: a hash being streamed (a
        // large image) or a process looked up again completes between drains, instead of every later row waiting
        // on its promise until the whole capture has been handled.
        await new Promise((r) => setImmediate(r));
      }
    await source.stop();
    await sensor.settle();
    await files.stop();
    spool.seal();
  } finally {
    flushTimer?.stop();
    spool.close();
  }
  return {
    records: reader.records,
    rows: telemetry.stats.rows,
    rowsByTable: { ...telemetry.stats.rowsByTable },
    invalidRows: telemetry.stats.invalidRows,
    process: { ...sensor.stats },
    files: files.counters(),
  };
}
