import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { type BootClock, type BpfProcessEvent, bpftraceProcessProgram, parseBpftraceLine } from '@vigil/sensors';
import { readCmdline, readExe } from './proc-fs.js';
import type { ExecObservation, ProcessSensor } from './process-sensor.js';

type ExecEvent = Extract<BpfProcessEvent, { kind: 'exec' }>;
type Queued =
  | { ns: bigint; kind: 'fork'; ppid: number; pid: number; startNs: bigint }
  | { ns: bigint; kind: 'exit'; pid: number }
  | { ns: bigint; kind: 'exec'; obs: ExecObservation };

interface PendingExec {
  readonly event: ExecEvent;
  readonly procCommandLine: string | undefined;
  readonly procExe: string | undefined;
  readonly arrivedAt: number;
  imageName?: string;
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
 * Process events from eBPF tracepoints through bpftrace (-f json). Events come from per-CPU buffers, so a
 * child's exec can be read before its fork: they are held for `reorderMs` and handled in kernel-time order.
 * The command line is read from /proc the moment an exec arrives; if the process is already gone, the
 * arguments the probe copied are used.
 */
export class EbpfProcessSource {
  private child: ChildProcess | undefined;
  private readonly queue: Queued[] = [];
  private readonly pending = new Map<number, PendingExec>();
  private timer: NodeJS.Timeout | undefined;
  lines = 0;
  lost = 0;
  /** Events read after later ones were already handled (the reorder window was too short for them). */
  late = 0;
  restarts = 0;
  private stopping = false;
  private lastNs = 0n;

  constructor(
    private readonly sensor: ProcessSensor,
    private readonly clock: BootClock,
    private readonly log: (line: string) => void,
    private readonly reorderMs = 1000,
  ) {}

  /** Starts bpftrace and resolves once its probes are attached (rejects when they cannot be). */
  async start(timeoutMs = 30_000): Promise<void> {
    this.timer ??= setInterval(() => this.drain(false), 25);
    await this.spawnBpftrace(timeoutMs);
  }

  private spawnBpftrace(timeoutMs: number): Promise<void> {
    const child = spawn('bpftrace', ['-f', 'json', '-e', bpftraceProcessProgram], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, BPFTRACE_STRLEN: '200' },
    });
    this.child = child;
    let stderr = '';
    let attached = false;
    child.stderr?.on('data', (b: Buffer) => {
      // bpftrace warns about RLIMIT_MEMLOCK even where the kernel accounts BPF memory by cgroup (5.11+).
      const text = b
        .toString()
        .split('\n')
        .filter((l) => !l.includes('RLIMIT_MEMLOCK'))
        .join('\n');
      stderr = (stderr + text).slice(-4000);
    });
    return new Promise((resolve, reject) => {
      const why = (what: string) => `${what}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`;
      const t = setTimeout(() => reject(new Error(why('bpftrace did not attach its probes in time'))), timeoutMs);
      child.on('error', (e) => reject(new Error(why(String(e)))));
      child.on('exit', (code) => {
        clearTimeout(t);
        if (!attached) return reject(new Error(why(`bpftrace exited with ${code}`)));
        if (this.stopping) return;
        // bpftrace died under a running agent: say so and start it again (events in between are missed).
        this.restarts++;
        this.log(why(`bpftrace exited with ${code}; restarting it`));
        setTimeout(() => {
          if (!this.stopping) this.spawnBpftrace(timeoutMs).catch((e: unknown) => this.log(String(e)));
        }, 1000);
      });
      createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
        this.lines++;
        const e = parseBpftraceLine(line);
        if (e?.kind === 'attached') {
          attached = true;
          clearTimeout(t);
          resolve();
        } else if (e) this.arrive(e);
      });
    });
  }

  private arrive(e: BpfProcessEvent): void {
    switch (e.kind) {
      case 'exec':
        // Read /proc now: a short-lived process may be gone in a millisecond.
        this.pending.set(e.pid, {
          event: e,
          procCommandLine: readCmdline(e.pid),
          procExe: readExe(e.pid),
          arrivedAt: Date.now(),
        });
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
        this.queueExec(p, e.argv, e.length > 200);
        return;
      }
      case 'fork':
        this.queue.push({ ns: e.ns, kind: 'fork', ppid: e.ppid, pid: e.pid, startNs: e.ns + e.bootOffsetNs });
        return;
      case 'exit':
        this.queue.push({ ns: e.ns, kind: 'exit', pid: e.pid });
        return;
      case 'lost':
        // The perf buffer overflowed: the kernel dropped events before bpftrace read them.
        this.lost += e.events;
        this.log(`bpftrace lost ${e.events} events (${this.lost} in all)`);
        return;
      default:
        return;
    }
  }

  private queueExec(p: PendingExec, argv: readonly string[] | undefined, truncated: boolean): void {
    const e = p.event;
    const obs: ExecObservation = {
      pid: e.pid,
      ppid: e.realParent,
      uid: e.uid,
      startTicks: this.clock.ticksFromNs(e.startNs),
      filename: e.filename,
      ...(p.procCommandLine !== undefined ? { procCommandLine: p.procCommandLine } : {}),
      ...(p.procExe !== undefined ? { procExe: p.procExe } : {}),
      ...(p.imageName !== undefined ? { imageName: p.imageName } : {}),
      ...(argv ? { argv, argvTruncated: truncated } : {}),
      timeMs: p.arrivedAt,
    };
    this.queue.push({ ns: e.ns, kind: 'exec', obs });
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
    this.queue.sort((a, b) => (a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : 0));
    let n = 0;
    while (n < this.queue.length && (all || (this.queue[n] as Queued).ns <= horizon)) n++;
    for (const q of this.queue.splice(0, n)) {
      if (q.ns < this.lastNs) this.late++;
      else this.lastNs = q.ns;
      if (q.kind === 'fork') this.sensor.onFork(q.ppid, q.pid, this.clock.ticksFromNs(q.startNs));
      else if (q.kind === 'exit') this.sensor.onExit(q.pid);
      else this.sensor.onExec(q.obs);
    }
  }

  /** Stops bpftrace and handles what is queued. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGINT');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    this.drain(true);
  }
}
