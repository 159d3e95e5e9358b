import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import {
  type BpfControl,
  bpftraceNetworkProgram,
  type EventNotes,
  type NetEvent,
  networkEventRow,
  type ProcNetSocket,
  parseNetworkLine,
  parseProcNet,
} from '@vigil/sensors';
import type { AgentContext } from './agent-context.js';
import { BpftraceChild } from './bpftrace-child.js';
import type { ProbeSource, SharedPart } from './ebpf-parts.js';
import { ensureTracefs, hasBpftrace } from './ebpf-source.js';
import { findInitiator, InFlight, lateInitiator, withImageHashes } from './initiator.js';

/** Which network source to use: auto picks ebpf, else proc. */
export type NetworkSourceKind = 'auto' | 'ebpf' | 'proc';

/** Counters of the network sensor. */
export interface NetworkStats {
  events: number;
  rows: number;
  initiatorFromProc: number;
  initiatorFromTree: number;
  initiatorUnknown: number;
  lostEvents: number;
  /** Records (vigil-collector) or lines (bpftrace) of the network program. */
  ebpfRecords: number;
  /** Times the eBPF program died and was started again. */
  ebpfRestarts: number;
  polls: number;
}

type Connection = Omit<NetEvent, 'kind' | 'ns'>;

/**
 * DeviceNetworkEvents: TCP connects (success and failure), accepts and listens, and UDP connects, with the
 * owning process. Source: eBPF tracepoints through vigil-collector or bpftrace, else polling /proc/net/{tcp,tcp6,udp,udp6} with
 * socket inode → pid mapping (which misses connections shorter than the poll interval).
 */
export class NetworkSensor {
  readonly stats: NetworkStats = {
    events: 0,
    rows: 0,
    initiatorFromProc: 0,
    initiatorFromTree: 0,
    initiatorUnknown: 0,
    lostEvents: 0,
    ebpfRecords: 0,
    ebpfRestarts: 0,
    polls: 0,
  };
  kind: 'ebpf' | 'proc' | undefined;
  readonly notes: string[] = [];
  private bpf: ProbeSource | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new InFlight();
  private known = new Map<number, ProcNetSocket>();

  constructor(
    private readonly ctx: AgentContext,
    private readonly pollMs = 1000,
  ) {}

  /** Starts the best source (or the one asked for) and logs which one; `shared`: its part of a shared bpftrace. */
  async start(kind: NetworkSourceKind = 'auto', shared?: SharedPart<NetEvent | BpfControl>): Promise<void> {
    if (kind !== 'proc') {
      if (await this.tryEbpf(shared)) {
        this.kind = 'ebpf';
      } else if (kind === 'ebpf') {
        throw new Error(`the eBPF network source is not available: ${this.notes.join('; ')}`);
      }
    }
    if (!this.kind) {
      this.kind = 'proc';
      this.poll(true);
      this.timer = setInterval(() => this.poll(false), this.pollMs);
    }
    for (const n of this.notes) this.ctx.log(`network source: ${n}`);
    this.ctx.log(`network source: ${this.kind}`);
  }

  private onEvent(e: NetEvent | BpfControl | undefined): void {
    if (e?.kind === 'net') this.onConnection(e, 'ebpf');
    else if (e?.kind === 'lost') {
      this.stats.lostEvents += e.events;
      this.ctx.log(`eBPF network sensor: ${e.events} events lost (${this.stats.lostEvents} in all)`);
    }
  }

  private async tryEbpf(shared: SharedPart<NetEvent | BpfControl> | undefined): Promise<boolean> {
    if (shared) {
      shared.bind((e) => this.onEvent(e));
      this.bpf = shared;
      return true;
    }
    if (!hasBpftrace()) {
      this.notes.push('ebpf: bpftrace is not installed or the agent is not root');
      return false;
    }
    if (!ensureTracefs()) {
      this.notes.push('ebpf: tracefs is not mounted at /sys/kernel/tracing and could not be mounted');
      return false;
    }
    const bpf = new BpftraceChild({
      name: 'network',
      program: bpftraceNetworkProgram(process.pid),
      strlen: 64,
      log: this.ctx.log,
      isAttached: (line) => parseNetworkLine(line)?.kind === 'attached',
      onLine: (line) => this.onEvent(parseNetworkLine(line)),
    });
    try {
      await bpf.start();
    } catch (e) {
      this.notes.push(`ebpf: ${e instanceof Error ? e.message : String(e)}`);
      await bpf.stop();
      return false;
    }
    this.bpf = bpf;
    return true;
  }

  /**
   * One connection: the owning process is looked up now, the row is emitted once its image is hashed. A process
   * that connected and exited before its event was read (`curl`, a shell's /dev/tcp) is gone from /proc and not yet
   * in the process tree, which learns it once the process source has handled its exec: it is looked up again then.
   */
  onConnection(c: Connection, source: string): void {
    this.stats.events++;
    const first = findInitiator(this.ctx, c.pid);
    const arrivedMs = Date.now();
    const time = this.ctx.telemetry.now();
    this.inFlight.add(
      (async () => {
        const who =
          first.from === 'none' && c.pid > 0
            ? ((await lateInitiator(this.ctx, c.pid, arrivedMs + this.ctx.lateInitiatorMs)) ?? first)
            : first;
        if (who.from === 'proc') this.stats.initiatorFromProc++;
        else if (who.from === 'tree') this.stats.initiatorFromTree++;
        else this.stats.initiatorUnknown++;
        const [proc, parent] = await Promise.all([
          withImageHashes(this.ctx, who.proc),
          who.parent ? withImageHashes(this.ctx, who.parent) : undefined,
        ]);
        const notes = who.proc ? this.sourceNotes(source) : { source, pid: c.pid };
        this.ctx.telemetry.emit([networkEventRow(time, c, proc, parent, notes)]);
        this.stats.rows++;
      })(),
      (e) => this.ctx.log(`network row failed: ${String(e)}`),
    );
  }

  /** The notes of rows whose process is known, one object per source (additionalFields keeps their JSON). */
  private readonly notesBySource = new Map<string, EventNotes>();

  private sourceNotes(source: string): EventNotes {
    let notes = this.notesBySource.get(source);
    if (notes === undefined) {
      notes = { source };
      this.notesBySource.set(source, notes);
    }
    return notes;
  }

  /** One pass over /proc/net: new sockets become rows (the first pass only learns what exists). */
  poll(baseline: boolean): void {
    this.stats.polls++;
    const now = new Map<number, ProcNetSocket & { protocol: 'Tcp' | 'Udp' }>();
    for (const [file, protocol] of [
      ['tcp', 'Tcp'],
      ['tcp6', 'Tcp'],
      ['udp', 'Udp'],
      ['udp6', 'Udp'],
    ] as const) {
      let text: string;
      try {
        text = readFileSync(`/proc/net/${file}`, 'utf8');
      } catch {
        continue;
      }
      for (const s of parseProcNet(text)) if (s.inode > 0) now.set(s.inode, { ...s, protocol });
    }
    const listening = new Set<number>();
    for (const s of now.values()) if (s.protocol === 'Tcp' && s.state === 10) listening.add(s.localPort);
    const fresh = baseline
      ? []
      : [...now.values()].filter(
          (s) =>
            !this.known.has(s.inode) &&
            (s.state === 10 || s.state === 1) &&
            !(s.protocol === 'Udp' && s.remotePort === 0),
        );
    this.known = now;
    if (fresh.length === 0) return;
    const owners = socketOwners(new Set(fresh.map((s) => s.inode)));
    for (const s of fresh) {
      const pid = owners.get(s.inode) ?? 0;
      if (pid === process.pid) continue;
      const actionType =
        s.state === 10
          ? 'ListeningConnectionCreated'
          : s.protocol === 'Tcp' && listening.has(s.localPort)
            ? 'InboundConnectionAccepted'
            : 'ConnectionSuccess';
      this.onConnection(
        {
          pid,
          actionType,
          protocol: s.protocol,
          localIp: s.localIp,
          localPort: s.localPort,
          remoteIp: s.remoteIp,
          remotePort: s.remotePort,
        },
        'proc',
      );
    }
  }

  counters(): NetworkStats {
    if (this.bpf) {
      this.stats.ebpfRecords = this.bpf.lines;
      this.stats.ebpfRestarts = this.bpf.restarts;
    }
    return { ...this.stats };
  }

  /** Waits for rows still being built. */
  settle(): Promise<void> {
    return this.inFlight.settle();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.bpf?.stop();
    await this.settle();
  }
}

/** The pid holding each of these socket inodes (scans /proc/PID/fd). */
export function socketOwners(inodes: ReadonlySet<number>): Map<number, number> {
  const out = new Map<number, number>();
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((n) => /^\d+$/.test(n));
  } catch {
    return out;
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let link: string;
      try {
        link = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const m = /^socket:\[(\d+)\]$/.exec(link);
      if (m && inodes.has(Number(m[1])) && !out.has(Number(m[1]))) out.set(Number(m[1]), Number(pid));
    }
    if (out.size === inodes.size) break;
  }
  return out;
}
