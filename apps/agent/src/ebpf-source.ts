import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import {
  type BootClock,
  type BpfProcessEvent,
  bpftraceProcessProgram,
  type ExecArgs,
  type LeafProcess,
  parseBpftraceLine,
} from '@vigil/sensors';
import { BpftraceChild } from './bpftrace-child.js';
import type { ProbeSource, SharedPart } from './ebpf-parts.js';
import { readCmdline, readExe } from './proc-fs.js';
import type { ExecObservation, ProcessSensor } from './process-sensor.js';
import { type Rounds, WakeTimer } from './wake-timer.js';

type ExecEvent = Extract<BpfProcessEvent, { kind: 'exec' }>;
type Queued =
  | { ns: bigint; kind: 'fork'; ppid: number; pid: number; startNs: bigint }
  | { ns: bigint; kind: 'exit'; pid: number }
  | { ns: bigint; kind: 'exec'; obs: ExecObservation }
  | LeafProcess;

interface PendingExec {
  readonly event: ExecEvent;
  readonly arrivedAt: number;
  imageName: string | undefined;
}

/**
 * How long the eBPF process source holds bpftrace's events to handle them in kernel-time order (its per-CPU buffers
 * are read one after another): the process tree knows a new process only this long (and one drain) after its exec.
 * Sensors that find no process for an event look again after it (see AgentContext.lateInitiatorMs).
 */
export const PROCESS_REORDER_MS = 1000;
/**
 * The same for vigil-collector, whose records come from one ring buffer in the order they were reserved: they are
 * held only to batch the work. Held for a second, the events of a burst outlived V8's young generation and were
 * copied and promoted to the old one (a third of the agent's GC work in the benchmark).
 */
export const ORDERED_REORDER_MS = 100;
/**
 * How often the eBPF sensors handle the events held past their reorder window, while they hold some: an event waits
 * from its reorder window to that plus DRAIN_MS. Each drain wakes the agent, and a wake-up costs more than the work
 * of a few events (140-190 µs of CPU for a Node process asleep 10 ms or more, on the benchmark's VMs; each slice
 * also starts with caches a busy workload emptied): drains every 25 ms (process) and 50 ms (file) cost about 0.1 s
 * more CPU in the agent benchmark than every 100 ms, and every 100 ms (with the collector's rounds of 50 ms) cost
 * warm runs 0.88 / 0.73 / 0.90 / 0.89 s against 0.74 / 0.69 / 0.73 / 0.83 s at 200 ms (COLLECTOR_POLL_MS too).
 */
export const DRAIN_MS = 200;
/** When a sensor looks again for a process that was gone from /proc and not yet in the process tree. */
export function lateInitiatorMs(reorderMs: number): number {
  return reorderMs + 300;
}

/** Mounts tracefs when it is missing (root only); bpftrace's tracepoints need it. */
export function ensureTracefs(): boolean {
  if (existsSync('/sys/kernel/tracing/events')) return true;
  if (process.getuid?.() !== 0) return false;
  spawnSync('mount', ['-t', 'tracefs', 'nodev', '/sys/kernel/tracing'], { stdio: 'ignore' });
  return existsSync('/sys/kernel/tracing/events');
}

/** True when bpftrace can be run. */
export function hasBpftrace(): boolean {
  return process.getuid?.() === 0 && spawnSync('bpftrace', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * Process events from eBPF tracepoints, through vigil-collector's records (a shared part) or bpftrace (-f json).
 * Events come from per-CPU buffers, so a
 * child's exec can be read before its fork: they are held for `reorderMs` and handled in kernel-time order.
 * The command line comes from the arguments the probe copied; only when they were cut short is /proc read (the
 * moment the event arrives), and /proc/PID/exe only when execve was given a relative path: a short-lived process
 * is usually gone by then, and a failed /proc read costs more than the event.
 */
export class EbpfProcessSource {
  private readonly bpf: ProbeSource;
  private readonly queue: Queued[] = [];
  private readonly pending = new Map<number, PendingExec>();
  /** Drains the queue every DRAIN_MS while it holds events (in vigil-collector's rounds, see Rounds). */
  private readonly timer: WakeTimer;
  lost = 0;
  /** How long events are held to handle them in kernel-time order. */
  readonly reorderMs: number;
  /** Events read after later ones were already handled (the reorder window was too short for them). */
  late = 0;
  private lastNs = 0n;

  constructor(
    private readonly sensor: ProcessSensor,
    private readonly clock: BootClock,
    private readonly log: (line: string) => void,
    shared?: SharedPart<BpfProcessEvent>,
    rounds?: Rounds,
  ) {
    this.timer = new WakeTimer(
      DRAIN_MS,
      () => this.drain(false),
      () => this.queue.length > 0 || this.pending.size > 0,
      { rounds },
    );
    const onLine = (line: string) => {
      const e = parseBpftraceLine(line);
      if (e) this.arrive(e);
    };
    shared?.bind((e) => this.arrive(e));
    this.bpf =
      shared ??
      new BpftraceChild({
        name: 'process',
        program: bpftraceProcessProgram,
        isAttached: (line) => parseBpftraceLine(line)?.kind === 'attached',
        onLine,
        log,
      });
    this.reorderMs = this.bpf.ordered ? ORDERED_REORDER_MS : PROCESS_REORDER_MS;
  }

  /** Lines bpftrace printed (records, from vigil-collector). */
  get lines(): number {
    return this.bpf.lines;
  }

  /** Times the eBPF program died under the running agent and was started again. */
  get restarts(): number {
    return this.bpf.restarts;
  }

  /** Starts the eBPF program (a shared one is already attached); rejects when its probes cannot attach. */
  async start(timeoutMs = 30_000): Promise<void> {
    await this.bpf.start(timeoutMs);
  }

  private arrive(e: BpfProcessEvent): void {
    this.timer.wake();
    switch (e.kind) {
      case 'exec':
        if (e.args) this.execArgs({ event: e, arrivedAt: Date.now(), imageName: e.name }, e.args);
        else this.pending.set(e.pid, { event: e, arrivedAt: Date.now(), imageName: undefined });
        return;
      case 'name': {
        const p = this.pending.get(e.pid);
        if (p) p.imageName = e.name;
        return;
      }
      case 'args': {
        const p = this.pending.get(e.pid);
        if (!p) return;
        this.pending.delete(e.pid);
        this.execArgs(p, e);
        return;
      }
      case 'fork':
        this.enqueue({ ns: e.ns, kind: 'fork', ppid: e.ppid, pid: e.pid, startNs: e.ns + e.bootOffsetNs });
        return;
      case 'exit':
        this.enqueue({ ns: e.ns, kind: 'exit', pid: e.pid });
        return;
      case 'leaf':
        this.enqueue(e);
        return;
      case 'lost':
        // The perf or ring buffer overflowed: the kernel dropped events before they were read.
        this.lost += e.events;
        this.log(`eBPF process sensor: ${e.events} events lost (${this.lost} in all)`);
        return;
      default:
        return;
    }
  }

  /** An exec whose arguments are known: /proc is read at once for what the event lacks, then it is queued. */
  private execArgs(p: PendingExec, args: ExecArgs): void {
    const pid = p.event.pid;
    const truncated = args.length > args.copied;
    const procCommandLine = truncated ? readCmdline(pid) : undefined;
    const procExe = p.event.filename.startsWith('/') ? undefined : readExe(pid);
    this.queueExec(p, args.argv, truncated, procCommandLine, procExe);
  }

  /** Keeps the queue in kernel-time order: events from per-CPU buffers are only a few places out of order. */
  private enqueue(q: Queued): void {
    const queue = this.queue;
    let i = queue.length;
    while (i > 0 && (queue[i - 1] as Queued).ns > q.ns) i--;
    if (i === queue.length) queue.push(q);
    else queue.splice(i, 0, q);
  }

  private queueExec(
    p: PendingExec,
    argv: readonly string[] | undefined,
    truncated: boolean,
    procCommandLine?: string,
    procExe?: string,
  ): void {
    const e = p.event;
    const obs: ExecObservation = {
      pid: e.pid,
      ppid: e.realParent,
      uid: e.uid,
      startTicks: this.clock.ticksFromNs(e.startNs),
      filename: e.filename,
      procCommandLine,
      procExe,
      imageName: p.imageName,
      argv,
      argvTruncated: argv ? truncated : undefined,
      timeMs: p.arrivedAt,
      image: e.image,
    };
    this.enqueue({ ns: e.ns, kind: 'exec', obs });
  }

  /** Handles queued events older than the reorder window (all of them when flushing). */
  drain(all: boolean): void {
    const now = Date.now();
    for (const [pid, p] of this.pending)
      if (all || now - p.arrivedAt > 1000) {
        this.pending.delete(pid);
        this.queueExec(p, undefined, false);
      }
    if (this.queue.length === 0) return;
    const horizon = process.hrtime.bigint() - BigInt(this.reorderMs) * 1_000_000n;
    let n = 0;
    while (n < this.queue.length && (all || (this.queue[n] as Queued).ns <= horizon)) n++;
    for (const q of this.queue.splice(0, n)) {
      if (q.ns < this.lastNs) this.late++;
      else this.lastNs = q.ns;
      if (q.kind === 'fork') this.sensor.onFork(q.ppid, q.pid, this.clock.ticksFromNs(q.startNs));
      else if (q.kind === 'exit') this.sensor.onExit(q.pid);
      else if (q.kind === 'leaf') this.sensor.onLeaf(q);
      else this.sensor.onExec(q.obs);
    }
  }

  /** Stops the eBPF program (or this source's part of it) and handles what is queued. */
  async stop(): Promise<void> {
    this.timer.stop();
    await this.bpf.stop();
    this.drain(true);
  }
}
