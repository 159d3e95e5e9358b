import { closeSync, openSync, readlinkSync, readSync, type Stats } from 'node:fs';
import { posix } from 'node:path';
import {
  additionalFields,
  bpftraceFileProgram,
  COLLECTOR_FILE_COUNTERS,
  type CollectorFileCounters,
  type CollectorFileRow,
  type EventNotes,
  type FileEvent,
  FileLinePairer,
  type FileLook,
  fileEventRow,
  initiatingColumns,
  parseFileLine,
  watchPrefixes,
} from '@vigil/sensors';
import type { AgentContext } from './agent-context.js';
import { BoundedMap } from './bounded-map.js';
import { BpftraceChild } from './bpftrace-child.js';
import type { FilePartEvent, ProbeSource, SharedPart } from './ebpf-parts.js';
import { DRAIN_MS, ensureTracefs, hasBpftrace, ORDERED_REORDER_MS } from './ebpf-source.js';
import type { FileHashes } from './file-hasher.js';
import { FilePending, type FileRowRequest, fileRowRequest } from './file-pending.js';
import { type CachedInitiator, hashedInitiator, InFlight, type Initiator, InitiatorCache } from './initiator.js';
import { statOf } from './stat-of.js';
import { WakeTimer } from './wake-timer.js';

/** The trees the file sensor watches by default. */
export const DEFAULT_FILE_WATCH_PATHS: readonly string[] = [
  '/etc',
  '/tmp',
  '/usr/bin',
  '/usr/local/bin',
  '/root/.ssh',
  '/home',
];

/** Counters of the file sensor. */
export interface FileStats {
  lines: number;
  events: number;
  rows: number;
  merged: number;
  hashed: number;
  outsideWatch: number;
  unresolved: number;
  lostEvents: number;
  lateLines: number;
  /** Times the eBPF program died and was started again. */
  ebpfRestarts: number;
  /** Paths whose row waits for the writes to settle. */
  pendingPaths: number;
  /** Rows emitted before their writes settled because too many paths were pending. */
  forcedEarly: number;
  /** Stats of pending paths to see whether their writes settled. */
  settleChecks: number;
  /** FileModified rows for write-opens the kernel folded, reported when the writes stopped. */
  trailingRows: number;
  /** Watches of folded writes ended by a delete. */
  foldedIntoDelete: number;
  /** Processes read from /proc (the others came from the initiator cache). */
  initiatorReads: number;
  /** Waiting or watched paths reported from vigil-collector's settle looks (it stats and hashes them). */
  sourceLooks: number;
  /** Rows vigil-collector made (--file-rows: it does the whole file path, the agent adds the writer). */
  sourceRows: number;
}

interface Arrived {
  /** The event's kernel time (CLOCK_MONOTONIC ns), the order of the reorder queue. */
  readonly ns: bigint;
  readonly e: FileEvent;
  /** Absolute paths, resolved on arrival (the second one for a rename's target). */
  readonly abs: string;
  readonly abs2: string | undefined;
  readonly who: CachedInitiator;
  readonly timeMs: number;
  /**
   * A rename's target as it was on arrival: a file renamed then soon deleted is gone when the event is handled
   * (after the reorder window), and writes folded before the rename are reported with this.
   */
  readonly renamed: Stats | undefined;
}

/** What posix.normalize changes in an absolute path: `//`, a `.` or `..` segment. */
const NOT_NORMAL = /\/\/|\/\.\.?(\/|$)/;

/** posix.normalize of an absolute path, without its walk and copy for the usual path that is normal already. */
export function normalAbsolute(path: string): string {
  return NOT_NORMAL.test(path) ? posix.normalize(path) : path;
}
/** Extensions of the files hashed as scripts whatever their mode (vigil-collector's settle looks get them too). */
export const SCRIPT_EXTENSIONS: readonly string[] = [
  'sh',
  'bash',
  'zsh',
  'ksh',
  'py',
  'pl',
  'rb',
  'php',
  'js',
  'mjs',
  'cjs',
  'lua',
  'tcl',
  'awk',
  'service',
  'timer',
  'desktop',
  'so',
  'elf',
  'bin',
  'run',
];
const SCRIPT_EXT = new RegExp(`\\.(${SCRIPT_EXTENSIONS.join('|')})$`, 'i');
const MAX_HASH_BYTES = 64 * 1024 * 1024;
/** Map entries bpftrace allows: the fold map holds one per file and writer within a minute (beyond: no folding). */
export const FILE_MAP_KEYS = 8192;
/** Lines waiting in the reorder window beyond this are handled at once (the window is a nicety, memory is not). */
const MAX_QUEUED = 20_000;

/** True for files worth hashing: executables (mode +x or ELF), scripts (#! or a script extension). */
export function isExecutableOrScript(path: string, stats?: Stats): boolean {
  const st = stats ?? statOf(path);
  if (!st?.isFile() || st.size > MAX_HASH_BYTES) return false;
  if ((st.mode & 0o111) !== 0 || SCRIPT_EXT.test(path)) return true;
  try {
    const fd = openSync(path, 'r');
    try {
      const b = Buffer.alloc(4);
      const n = readSync(fd, b, 0, 4, 0);
      return (n >= 2 && b[0] === 0x23 && b[1] === 0x21) || (n === 4 && b.readUInt32BE(0) === 0x7f454c46);
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

/**
 * DeviceFileEvents for the watched trees: files created, modified (opened for writing), renamed and deleted,
 * with the writing process. Source: eBPF syscall tracepoints through vigil-collector or bpftrace (see
 * bpftraceFileProgram, which the collector's file programs follow: the kernel
 * filters the watched prefixes and folds one process's rewrites of a file within `foldMs`). A reported write is a
 * row once it settles (see FilePending): a new file is FileCreated, not also FileModified, its hashes are of the
 * written content, and writes the kernel folded are one more FileModified when they stop. With vigil-collector's
 * --file-rows the collector does all of this in C, by these rules (file-rows.test.ts holds it to them), and this
 * sensor only completes its rows with their writer (collectorRow).
 */
export class FileSensor {
  readonly stats: FileStats = {
    lines: 0,
    events: 0,
    rows: 0,
    merged: 0,
    hashed: 0,
    outsideWatch: 0,
    unresolved: 0,
    lostEvents: 0,
    lateLines: 0,
    ebpfRestarts: 0,
    pendingPaths: 0,
    forcedEarly: 0,
    settleChecks: 0,
    trailingRows: 0,
    foldedIntoDelete: 0,
    initiatorReads: 0,
    sourceLooks: 0,
    sourceRows: 0,
  };
  kind: 'ebpf' | undefined;
  readonly notes: string[] = [];
  readonly prefixes: readonly string[];
  private bpf: ProbeSource | undefined;
  /** Events and the source's settle looks, handled in kernel-time order after the reorder window. */
  private readonly queue: (Arrived | FileLook)[] = [];
  private readonly pairer = new FileLinePairer();
  private readonly pending: FilePending;
  private readonly lastHashes = new BoundedMap<string, FileHashes>(10_000);
  private readonly initiators: InitiatorCache;
  private readonly inFlight = new InFlight();
  /** The notes of rows, by where the initiator came from: one object each (additionalFields keeps their JSON). */
  private readonly rowNotes = new Map<Initiator['from'], EventNotes>();
  /**
   * Drains the queue and sweeps pending paths every DRAIN_MS while either holds something; while only paths wait
   * (to settle, or watched for folded writes), it sleeps until the first of them is due.
   */
  private readonly timer: WakeTimer;
  private lastNs = 0n;
  /**
   * How long events are held to handle them in kernel-time order: 250 ms for bpftrace's per-CPU buffers, less for
   * vigil-collector's single ring buffer (ORDERED_REORDER_MS), set by start().
   */
  private reorderMs = 250;

  constructor(
    private readonly ctx: AgentContext,
    watchPaths: readonly string[] = DEFAULT_FILE_WATCH_PATHS,
    readonly settleMs = 500,
    readonly foldMs = 5000,
  ) {
    this.prefixes = watchPrefixes(watchPaths.map((p) => posix.resolve(p)));
    this.initiators = new InitiatorCache(ctx);
    this.timer = new WakeTimer(
      () => (this.queue.length > 0 ? DRAIN_MS : Math.max(DRAIN_MS, this.pending.nextDueMs() - Date.now())),
      () => this.drain(false),
      () => this.queue.length > 0 || this.pending.size > 0,
      // Run early by a round, never late: a file renamed and then deleted 300 ms later is looked at before.
      { rounds: ctx.rounds, onTime: true },
    );
    this.pending = new FilePending(settleMs, 10 * settleMs, foldMs, 20_000, (r) => this.emit(r));
  }

  /** The bpftrace program of this sensor. */
  program(): string {
    return bpftraceFileProgram(this.prefixes, process.pid, this.foldMs * 1_000_000);
  }

  /**
   * Takes its part of the shared eBPF program (vigil-collector or bpftrace), else starts its own bpftrace; the sensor
   * stays off (with a note) when neither can run.
   */
  async start(shared?: SharedPart<FilePartEvent>): Promise<boolean> {
    if (shared) {
      shared.bind((e) => this.onParsed(e));
      this.bpf = shared;
      this.kind = 'ebpf';
      if (shared.ordered) this.reorderMs = ORDERED_REORDER_MS;
      // vigil-collector looks at written paths (stat and hashes, in C): this sensor looks only when one is overdue,
      // after the longest the collector takes (maxPendingMs, plus its last wait of 4 settleMs) and a second.
      if (shared.looks) this.pending.lookedBySource(14 * this.settleMs + 1000);
    } else if (!hasBpftrace()) this.notes.push('ebpf: bpftrace is not installed or the agent is not root');
    else if (!ensureTracefs()) this.notes.push('ebpf: tracefs is not mounted at /sys/kernel/tracing');
    else {
      const bpf = new BpftraceChild({
        name: 'file',
        program: this.program(),
        strlen: 200,
        mapKeysMax: FILE_MAP_KEYS,
        log: this.ctx.log,
        isAttached: (line) => parseFileLine(line)?.kind === 'attached',
        onLine: (line) => this.onLine(line),
      });
      try {
        await bpf.start();
        this.bpf = bpf;
        this.kind = 'ebpf';
      } catch (e) {
        this.notes.push(`ebpf: ${e instanceof Error ? e.message : String(e)}`);
        await bpf.stop();
      }
    }
    for (const n of this.notes) this.ctx.log(`file source: ${n}`);
    this.ctx.log(`file source: ${this.kind ?? 'none'} (watching ${this.prefixes.join(' ')})`);
    return this.kind !== undefined;
  }

  private watched(path: string): boolean {
    for (const p of this.prefixes) if (path.startsWith(p)) return true;
    return false;
  }

  /** Resolves a path the way the process saw it: relative to its cwd or to the directory descriptor. */
  private absolute(pid: number, dfd: number, path: string): string | undefined {
    if (path.startsWith('/')) return normalAbsolute(path);
    try {
      const base = readlinkSync(dfd === -100 ? `/proc/${pid}/cwd` : `/proc/${pid}/fd/${dfd}`);
      return posix.resolve(base, path);
    } catch {
      return undefined;
    }
  }

  onLine(line: string): void {
    this.onParsed(parseFileLine(line));
  }

  /** A line or record of the file program (a rename from vigil-collector is already whole), or a settle look. */
  onParsed(l: FilePartEvent | undefined): void {
    this.stats.lines++;
    if (!l) return;
    if (l.kind === 'look') {
      // After the events before it (a write-open read in the same chunk waits out the reorder window first).
      this.queue.push(l);
      this.timer.wake();
      return;
    }
    if (l.kind === 'lost') {
      this.stats.lostEvents += l.events;
      this.ctx.log(`eBPF file sensor: ${l.events} events lost (${this.stats.lostEvents} in all)`);
      return;
    }
    if (l.kind === 'writer') {
      this.initiator(l.pid, l.startNs, l.execId);
      return;
    }
    if (l.kind === 'row') {
      this.collectorRow(l);
      return;
    }
    if (l.kind === 'counters') {
      this.collectorCounters(l);
      return;
    }
    if (l.kind === 'attached' || l.kind === 'other') return;
    const e = this.pairer.push(l);
    if (e) this.arrive(e);
  }

  /** Resolves paths and the process now, while the process (its cwd, its descriptors) is still there. */
  private arrive(e: FileEvent): void {
    const abs = this.absolute(e.pid, e.dfd, e.path);
    const abs2 = e.kind === 'rename' ? this.absolute(e.pid, e.newDfd, e.newPath) : undefined;
    if (abs === undefined || (e.kind === 'rename' && abs2 === undefined)) {
      this.stats.unresolved++;
      return;
    }
    if (!this.watched(abs) && !(abs2 !== undefined && this.watched(abs2))) {
      this.stats.outsideWatch++;
      return;
    }
    const who = this.initiator(e.pid, e.startNs, e.execId);
    const renamed = abs2 !== undefined ? statOf(abs2) : undefined;
    this.queue.push({ ns: e.ns, e, abs, abs2, who, timeMs: Date.now(), renamed });
    // Woken once queued: woken before, with only paths waiting, it slept until the first of them was due (seconds).
    this.timer.wake();
    if (this.queue.length > MAX_QUEUED) this.drain(true, false);
  }

  /** The process behind a file event (from the cache, else read now, while it runs). */
  private initiator(pid: number, startNs: bigint, execId: number): CachedInitiator {
    const misses = this.initiators.misses;
    const who = this.initiators.get(pid, startNs, execId);
    this.stats.initiatorReads += this.initiators.misses - misses;
    return who;
  }

  /**
   * A row vigil-collector made (--file-rows), completed with its writer: the collector named the writer with a
   * record of its own when it first saw it, so it was looked up then, as arrive() looks it up.
   */
  private collectorRow(r: CollectorFileRow): void {
    this.stats.sourceRows++;
    const who = hashedInitiator(this.ctx, this.initiator(r.pid, r.startNs, r.execId));
    if (!(who instanceof Promise)) {
      this.writeCollectorRow(r, who);
      return;
    }
    this.inFlight.add(
      who.then((w) => this.writeCollectorRow(r, w)),
      (e) => this.ctx.log(`file row failed: ${String(e)}`),
    );
  }

  private writeCollectorRow(r: CollectorFileRow, w: Initiator): void {
    const notes = this.notesOf(w.from);
    this.ctx.telemetry.emitFileRow(
      r.timeMs,
      r.json,
      initiatingColumns(w.proc, w.parent),
      additionalFields(notes, w.proc),
    );
    this.stats.rows++;
  }

  /**
   * The collector's counters (--file-rows: its file path counts what this sensor's would), since it started; those of
   * collectors before a restart are kept in `sourceEarlier`.
   */
  private sourceNow: CollectorFileCounters | undefined;
  private readonly sourceEarlier = Object.fromEntries(COLLECTOR_FILE_COUNTERS.map((k) => [k, 0])) as Record<
    (typeof COLLECTOR_FILE_COUNTERS)[number],
    number
  >;

  private collectorCounters(c: CollectorFileCounters): void {
    const last = this.sourceNow;
    // A count that went down is a new collector (restarted): the last one's counts are kept.
    if (last && COLLECTOR_FILE_COUNTERS.some((k) => c[k] < last[k]))
      for (const k of COLLECTOR_FILE_COUNTERS) this.sourceEarlier[k] += last[k];
    this.sourceNow = c;
  }

  /** The notes of rows, by where the initiator came from: one object each (additionalFields keeps their JSON). */
  private notesOf(from: Initiator['from']): EventNotes {
    let notes = this.rowNotes.get(from);
    if (notes === undefined) {
      notes = { source: this.kind ?? 'ebpf', initiatorFrom: from };
      this.rowNotes.set(from, notes);
    }
    return notes;
  }

  /** Handles events older than the reorder window in kernel-time order (all of them when flushing). */
  drain(all: boolean, release = all): void {
    if (this.queue.length > 0) {
      const horizon = process.hrtime.bigint() - BigInt(this.reorderMs) * 1_000_000n;
      this.queue.sort((a, b) => (a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : 0));
      let n = 0;
      while (n < this.queue.length && (all || (this.queue[n]?.ns ?? 0n) <= horizon)) n++;
      const now = Date.now();
      for (const a of this.queue.splice(0, n)) {
        if (!('e' in a)) {
          this.pending.looked(a, now);
          continue;
        }
        if (a.ns < this.lastNs) this.stats.lateLines++;
        else this.lastNs = a.ns;
        this.onEvent(a);
      }
    }
    this.pending.sweep(Date.now(), release);
  }

  private onEvent(a: Arrived): void {
    const e = a.e;
    this.stats.events++;
    if (e.kind === 'open') {
      if (!this.watched(a.abs)) return;
      if (this.pending.touch(a.abs, e.created ? 'FileCreated' : 'FileModified', a.who, a.timeMs)) this.stats.merged++;
      return;
    }
    if (e.kind === 'unlink') {
      this.pending.release(a.abs);
      this.emit(fileRowRequest('FileDeleted', a.abs, a.who, a.timeMs));
      return;
    }
    const newPath = a.abs2 as string;
    this.pending.release(a.abs, newPath, a.renamed);
    this.emit(fileRowRequest('FileRenamed', newPath, a.who, a.timeMs, undefined, undefined, a.abs));
  }

  private fileHashes(r: FileRowRequest): FileHashes | Promise<FileHashes | undefined> | undefined {
    if (r.action === 'FileDeleted') {
      const h = this.lastHashes.get(r.path);
      this.lastHashes.delete(r.path);
      return h;
    }
    const remember = (h: FileHashes | undefined) => {
      if (!h) return h;
      this.stats.hashed++;
      if (r.previous) this.lastHashes.delete(r.previous);
      this.lastHashes.set(r.path, h);
      return h;
    };
    // What vigil-collector's look found: its hashes, or not a file to hash. A large file, or one it could not
    // hash, is looked at and hashed here.
    const looked = r.looked;
    if (looked?.hashes) return remember(looked.hashes);
    if (looked?.hashable === false) return undefined;
    const path = r.hashPath ?? r.path;
    const st = r.stats ?? statOf(path);
    if (!st || !isExecutableOrScript(path, st)) return r.previous ? this.lastHashes.get(r.previous) : undefined;
    const h = this.ctx.hasher.hashNow(path, st);
    return h instanceof Promise ? h.then(remember) : remember(h);
  }

  /** Builds the row now when hashes are known, else once they are. */
  private emit(r: FileRowRequest): void {
    const time = this.ctx.telemetry.at(r.timeMs);
    const h = this.fileHashes(r);
    const who = hashedInitiator(this.ctx, r.who);
    const write = (hashes: FileHashes | undefined, w: Initiator) => {
      const notes = this.notesOf(w.from);
      this.ctx.telemetry.emit([fileEventRow(time, r.action, r.path, hashes, r.previous, w.proc, w.parent, notes)]);
      this.stats.rows++;
    };
    if (!(h instanceof Promise) && !(who instanceof Promise)) {
      write(h, who);
      return;
    }
    this.inFlight.add(
      Promise.all([h, who]).then(([hh, ww]) => write(hh, ww)),
      (e) => this.ctx.log(`file row failed: ${String(e)}`),
    );
  }

  counters(): FileStats {
    if (this.bpf) this.stats.ebpfRestarts = this.bpf.restarts;
    this.stats.pendingPaths = this.pending.size;
    Object.assign(this.stats, this.pending.stats);
    const all = { ...this.stats };
    const now = this.sourceNow;
    if (now) {
      all.pendingPaths += now.pendingPaths;
      for (const k of COLLECTOR_FILE_COUNTERS) all[k] += this.sourceEarlier[k] + now[k];
    }
    return all;
  }

  /** Handles everything queued and waits for rows still being built. */
  async flush(): Promise<void> {
    this.drain(true);
    await this.inFlight.settle();
  }

  async stop(): Promise<void> {
    this.timer.stop();
    await this.bpf?.stop();
    await this.flush();
  }
}
