import { closeSync, openSync, readlinkSync, readSync, statSync } from 'node:fs';
import { posix } from 'node:path';
import {
  bpftraceFileProgram,
  type FileEvent,
  type FileLine,
  FileLinePairer,
  fileEventRow,
  parseFileLine,
  watchPrefixes,
} from '@vigil/sensors';
import type { AgentContext } from './agent-context.js';
import { BpftraceChild } from './bpftrace-child.js';
import { ensureTracefs, hasBpftrace } from './ebpf-source.js';
import type { FileHashes } from './file-hasher.js';
import { findInitiator, InFlight, type Initiator, withImageHashes } from './initiator.js';

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
  bpftraceRestarts: number;
  /** Paths whose row waits for the writes to settle. */
  pendingPaths: number;
}

type Action = 'FileCreated' | 'FileModified' | 'FileDeleted' | 'FileRenamed';

interface Arrived {
  readonly line: FileLine;
  /** Absolute path (path lines). */
  readonly abs?: string;
  readonly who?: Initiator;
  readonly timeMs: number;
}

interface Pending {
  readonly action: Action;
  readonly path: string;
  readonly who: Initiator;
  readonly timeMs: number;
  readonly timer: NodeJS.Timeout;
}

const SCRIPT_EXT = /\.(sh|bash|zsh|ksh|py|pl|rb|php|js|mjs|cjs|lua|tcl|awk|service|timer|desktop|so|elf|bin|run)$/i;
const MAX_HASH_BYTES = 64 * 1024 * 1024;

/** True for files worth hashing: executables (mode +x or ELF), scripts (#! or a script extension). */
export function isExecutableOrScript(path: string): boolean {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(path);
  } catch {
    return false;
  }
  if (!st.isFile() || st.size > MAX_HASH_BYTES) return false;
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
 * with the writing process. Source: eBPF syscall tracepoints through bpftrace (open/openat/creat with write
 * flags, unlink/unlinkat, rename/renameat/renameat2; FMODE_CREATED tells a new file from an existing one).
 * Writes to one path within `settleMs` are reported once (a new file is FileCreated, not also FileModified);
 * the row waits that long so its hashes are of the written content.
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
    bpftraceRestarts: 0,
    pendingPaths: 0,
  };
  kind: 'ebpf' | undefined;
  readonly notes: string[] = [];
  readonly prefixes: readonly string[];
  private bpf: BpftraceChild | undefined;
  private readonly queue: { ns: bigint; a: Arrived }[] = [];
  private readonly pairer = new FileLinePairer();
  private readonly arrivals = new Map<number, Arrived[]>();
  private readonly pending = new Map<string, Pending>();
  private readonly lastHashes = new Map<string, FileHashes>();
  private readonly inFlight = new InFlight();
  private timer: NodeJS.Timeout | undefined;
  private lastNs = 0n;

  constructor(
    private readonly ctx: AgentContext,
    watchPaths: readonly string[] = DEFAULT_FILE_WATCH_PATHS,
    private readonly settleMs = 500,
    private readonly reorderMs = 250,
  ) {
    this.prefixes = watchPrefixes(watchPaths.map((p) => posix.resolve(p)));
  }

  /** Starts bpftrace; the sensor stays off (with a note) when it cannot run. */
  async start(): Promise<boolean> {
    if (!hasBpftrace()) this.notes.push('ebpf: bpftrace is not installed or the agent is not root');
    else if (!ensureTracefs()) this.notes.push('ebpf: tracefs is not mounted at /sys/kernel/tracing');
    else {
      const bpf = new BpftraceChild({
        name: 'file',
        program: bpftraceFileProgram(this.prefixes, process.pid),
        strlen: 200,
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
    if (this.kind) this.timer = setInterval(() => this.drain(false), 50);
    return this.kind !== undefined;
  }

  private watched(path: string): boolean {
    return this.prefixes.some((p) => path.startsWith(p));
  }

  /** Resolves a path the way the process saw it: relative to its cwd or to the directory descriptor. */
  private absolute(pid: number, dfd: number, path: string): string | undefined {
    if (path.startsWith('/')) return posix.normalize(path);
    try {
      const base = readlinkSync(dfd === -100 ? `/proc/${pid}/cwd` : `/proc/${pid}/fd/${dfd}`);
      return posix.resolve(base, path);
    } catch {
      return undefined;
    }
  }

  onLine(line: string): void {
    this.stats.lines++;
    const l = parseFileLine(line);
    if (!l) return;
    if (l.kind === 'lost') {
      this.stats.lostEvents += l.events;
      this.ctx.log(`bpftrace (file) lost ${l.events} events (${this.stats.lostEvents} in all)`);
      return;
    }
    if (l.kind !== 'path' && l.kind !== 'result') return;
    const timeMs = Date.now();
    if (l.kind === 'path') {
      // Resolve now, while the process (its cwd, its descriptors) is still there.
      const abs = this.absolute(l.pid, l.dfd, l.path);
      if (abs === undefined) this.stats.unresolved++;
      const relevant = abs !== undefined && this.watched(abs);
      const who = relevant && l.tag !== 'n' ? findInitiator(this.ctx, l.pid) : undefined;
      this.queue.push({
        ns: l.ns,
        a: { line: l, ...(abs !== undefined ? { abs } : {}), ...(who ? { who } : {}), timeMs },
      });
    } else {
      this.queue.push({ ns: l.ns, a: { line: l, timeMs } });
    }
  }

  /** Handles lines older than the reorder window, in kernel-time order (all of them when flushing). */
  drain(all: boolean): void {
    if (this.queue.length > 0) {
      const horizon = process.hrtime.bigint() - BigInt(this.reorderMs) * 1_000_000n;
      this.queue.sort((a, b) => (a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : 0));
      let n = 0;
      while (n < this.queue.length && (all || (this.queue[n]?.ns ?? 0n) <= horizon)) n++;
      for (const { ns, a } of this.queue.splice(0, n)) {
        if (ns < this.lastNs) this.stats.lateLines++;
        else this.lastNs = ns;
        this.pair(a);
      }
    }
    if (all) for (const p of [...this.pending.values()]) this.release(p);
  }

  private pair(a: Arrived): void {
    const l = a.line;
    if (l.kind === 'path') {
      const list = l.tag === 'n' ? (this.arrivals.get(l.tid) ?? []) : [];
      list.push(a);
      this.arrivals.set(l.tid, list);
      this.pairer.push(l);
      return;
    }
    const list = this.arrivals.get(l.tid);
    this.arrivals.delete(l.tid);
    const e = this.pairer.push(l);
    if (!e || !list) return;
    const first = list[0];
    const second = list[1];
    if (!first?.abs) return;
    this.onEvent(e, first, second);
  }

  private onEvent(e: FileEvent, first: Arrived, second: Arrived | undefined): void {
    const who = first.who ?? findInitiator(this.ctx, e.pid);
    if (e.kind === 'open') {
      const path = first.abs as string;
      if (!this.watched(path)) {
        this.stats.outsideWatch++;
        return;
      }
      this.stats.events++;
      const action: Action = e.created ? 'FileCreated' : 'FileModified';
      const p = this.pending.get(path);
      if (p) {
        // A file written again within settleMs: one row (FileCreated wins over FileModified).
        this.stats.merged++;
        if (p.action === 'FileCreated' || action === 'FileModified') return;
        clearTimeout(p.timer);
        this.pending.delete(path);
      }
      const pend: Pending = {
        action,
        path,
        who,
        timeMs: first.timeMs,
        timer: setTimeout(() => this.release(pend), this.settleMs),
      };
      this.pending.set(path, pend);
      return;
    }
    if (e.kind === 'unlink') {
      const path = first.abs as string;
      if (!this.watched(path)) {
        this.stats.outsideWatch++;
        return;
      }
      this.stats.events++;
      const p = this.pending.get(path);
      if (p) this.release(p);
      this.emit('FileDeleted', path, undefined, who, first.timeMs);
      return;
    }
    const oldPath = first.abs as string;
    const newPath = second?.abs;
    if (newPath === undefined) {
      this.stats.unresolved++;
      return;
    }
    if (!this.watched(oldPath) && !this.watched(newPath)) {
      this.stats.outsideWatch++;
      return;
    }
    this.stats.events++;
    const p = this.pending.get(oldPath);
    if (p) this.release(p);
    this.emit('FileRenamed', newPath, oldPath, who, first.timeMs);
  }

  private release(p: Pending): void {
    clearTimeout(p.timer);
    if (this.pending.get(p.path) === p) this.pending.delete(p.path);
    this.emit(p.action, p.path, undefined, p.who, p.timeMs);
  }

  private async fileHashes(
    action: Action,
    path: string,
    previous: string | undefined,
  ): Promise<FileHashes | undefined> {
    if (action === 'FileDeleted') {
      const h = this.lastHashes.get(path);
      this.lastHashes.delete(path);
      return h;
    }
    if (!isExecutableOrScript(path)) return previous ? this.lastHashes.get(previous) : undefined;
    const h = await this.ctx.hasher.hash(path);
    if (h) {
      this.stats.hashed++;
      if (previous) this.lastHashes.delete(previous);
      if (this.lastHashes.size >= 10_000) this.lastHashes.delete(this.lastHashes.keys().next().value as string);
      this.lastHashes.set(path, h);
    }
    return h;
  }

  private emit(action: Action, path: string, previous: string | undefined, who: Initiator, timeMs: number): void {
    const time = this.ctx.telemetry.corrected(new Date(timeMs).toISOString());
    this.inFlight.add(
      (async () => {
        const [h, proc, parent] = await Promise.all([
          this.fileHashes(action, path, previous),
          withImageHashes(this.ctx, who.proc),
          who.parent ? withImageHashes(this.ctx, who.parent) : undefined,
        ]);
        const notes = { source: this.kind ?? 'ebpf', initiatorFrom: who.from };
        this.ctx.telemetry.emit([fileEventRow(time, action, path, h, previous, proc, parent, notes)]);
        this.stats.rows++;
      })(),
      (e) => this.ctx.log(`file row failed: ${String(e)}`),
    );
  }

  counters(): FileStats {
    if (this.bpf) this.stats.bpftraceRestarts = this.bpf.restarts;
    this.stats.pendingPaths = this.pending.size;
    return { ...this.stats };
  }

  /** Handles everything queued and waits for rows still being built. */
  async flush(): Promise<void> {
    this.drain(true);
    await this.inFlight.settle();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.bpf?.stop();
    await this.flush();
  }
}
