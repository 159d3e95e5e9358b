import type { BpfProcessEvent } from '@vigil/sensors';
import type { AgentContext } from './agent-context.js';
import { AuditProcessSource, auditUsable } from './audit-source.js';
import type { SharedPart } from './ebpf-parts.js';
import { EbpfProcessSource, ensureTracefs, hasBpftrace, lateInitiatorMs } from './ebpf-source.js';
import { ProcPollSource } from './proc-poll-source.js';
import { ProcessSensor } from './process-sensor.js';

/** Which process source to use: auto picks ebpf, then audit, then proc. */
export type ProcessSourceKind = 'auto' | 'ebpf' | 'audit' | 'proc';

/** A started process source. */
export interface StartedProcessSource {
  readonly kind: 'ebpf' | 'audit' | 'proc';
  readonly sensor: ProcessSensor;
  /** Why better sources were not used. */
  readonly notes: readonly string[];
  /** Source-specific counters (eBPF: lost and late events). */
  readonly counters?: () => Record<string, number>;
  /** Handles queued events now (tests, shutdown). */
  drain(): void;
  stop(): Promise<void>;
}

async function tryEbpf(
  ctx: AgentContext,
  notes: string[],
  shared: SharedPart<BpfProcessEvent> | undefined,
): Promise<StartedProcessSource | undefined> {
  if (!shared && !hasBpftrace()) {
    notes.push('ebpf: bpftrace is not installed or the agent is not root');
    return undefined;
  }
  if (!shared && !ensureTracefs()) {
    notes.push('ebpf: tracefs is not mounted at /sys/kernel/tracing and could not be mounted');
    return undefined;
  }
  const sensor = new ProcessSensor('ebpf', ctx.tree, ctx.clock, ctx.users, ctx.hasher, ctx.telemetry);
  const source = new EbpfProcessSource(sensor, ctx.clock, ctx.log, shared, ctx.rounds);
  try {
    await source.start();
  } catch (e) {
    notes.push(`ebpf: ${e instanceof Error ? e.message : String(e)}`);
    await source.stop();
    return undefined;
  }
  ctx.lateInitiatorMs = lateInitiatorMs(source.reorderMs);
  // Seed after the probes are attached: a process started in between is seen by both, never by neither.
  sensor.seed();
  return {
    kind: 'ebpf',
    sensor,
    notes,
    counters: () => ({
      ebpfRecords: source.lines,
      lostEvents: source.lost,
      lateEvents: source.late,
      ebpfRestarts: source.restarts,
    }),
    drain: () => source.drain(true),
    stop: () => source.stop(),
  };
}

function tryAudit(ctx: AgentContext, notes: string[]): StartedProcessSource | undefined {
  if (!auditUsable()) {
    notes.push('audit: auditd is not running (auditctl -s shows no daemon) or the agent is not root');
    return undefined;
  }
  const sensor = new ProcessSensor('audit', ctx.tree, ctx.clock, ctx.users, ctx.hasher, ctx.telemetry);
  const source = new AuditProcessSource(sensor, ctx.clock);
  source.start();
  sensor.seed();
  return { kind: 'audit', sensor, notes, drain: () => undefined, stop: () => source.stop() };
}

function startProc(ctx: AgentContext, notes: string[]): StartedProcessSource {
  const sensor = new ProcessSensor('proc', ctx.tree, ctx.clock, ctx.users, ctx.hasher, ctx.telemetry);
  sensor.seed();
  const source = new ProcPollSource(sensor, ctx.tree, ctx.clock, ctx.users, ctx.procPollMs);
  source.start();
  return { kind: 'proc', sensor, notes, drain: () => source.poll(), stop: () => source.stop() };
}

/** Starts the best process source that works here (or the one asked for); `shared`: its part of a shared bpftrace. */
export async function startProcessSource(
  ctx: AgentContext,
  kind: ProcessSourceKind,
  shared?: SharedPart<BpfProcessEvent>,
): Promise<StartedProcessSource> {
  const notes: string[] = [];
  if (kind === 'auto' || kind === 'ebpf') {
    const s = await tryEbpf(ctx, notes, shared);
    if (s) return s;
    if (kind === 'ebpf') throw new Error(`the eBPF process source is not available: ${notes.join('; ')}`);
  }
  if (kind === 'auto' || kind === 'audit') {
    const s = tryAudit(ctx, notes);
    if (s) return s;
    if (kind === 'audit') throw new Error(`the audit process source is not available: ${notes.join('; ')}`);
  }
  return startProc(ctx, notes);
}
