import {
  bpftraceNetworkProgram,
  bpftraceProcessProgram,
  FILE_LINE_TAGS,
  NETWORK_LINE_TAGS,
  PROCESS_LINE_TAGS,
  parseBpftraceLine,
  parseFileLine,
  parseNetworkLine,
} from '@vigil/sensors';
import type { AgentContext } from './agent-context.js';
import { BpftraceHub, type BpftracePartSpec } from './bpftrace-hub.js';
import { buildCollector, CollectorHub, collectorFeatures } from './collector.js';
import { DeviceStateSensor } from './device-state.js';
import type { SensorParts } from './ebpf-parts.js';
import { ensureTracefs, hasBpftrace } from './ebpf-source.js';
import { FILE_MAP_KEYS, FileSensor, SCRIPT_EXTENSIONS } from './file-sensor.js';
import { LogonSensor, type LogonSources } from './logon-sensor.js';
import { NetworkSensor, type NetworkSourceKind } from './network-sensor.js';
import { type ProcessSourceKind, type StartedProcessSource, startProcessSource } from './process-source.js';

/** Which sensors run and how often the periodic ones report. */
export interface SensorOptions {
  readonly enabled: {
    readonly process?: boolean;
    readonly logons?: boolean;
    readonly deviceState?: boolean;
    readonly inventory?: boolean;
    readonly network?: boolean;
    readonly files?: boolean;
  };
  readonly processSource: ProcessSourceKind;
  readonly networkSource: NetworkSourceKind;
  readonly ebpfProgram: EbpfProgram;
  /** Trees the file sensor watches. */
  readonly fileWatchPaths: readonly string[];
  /** Poll interval of the /proc/net fallback of the network sensor. */
  readonly netPollMs: number;
  readonly logonSources: LogonSources;
  readonly clientVersion: string;
  readonly dataDir: string;
  readonly heartbeatMs: number;
  readonly changeCheckMs: number;
  readonly inventoryMs: number;
}

/** The running sensors. */
export interface Sensors {
  /** The program running the eBPF sensors (undefined when none does). */
  readonly ebpf: 'vigil-collector' | 'bpftrace' | undefined;
  readonly process: StartedProcessSource | undefined;
  readonly logons: LogonSensor | undefined;
  readonly network: NetworkSensor | undefined;
  readonly files: FileSensor | undefined;
  /** Handles what the sources have queued and waits for rows still being built. */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

/** Which program runs the eBPF sensors: vigil-collector, bpftrace, or auto (the collector, else bpftrace). */
export type EbpfProgram = 'auto' | 'collector' | 'bpftrace';

/**
 * One program for the eBPF sensors that will use it: vigil-collector (compiled libbpf programs writing binary
 * records; built on first use, see collector/README.md), else one bpftrace (~100 MB of peak RSS, mostly its
 * compiler, and about ten times the collector's CPU). When neither can attach, each sensor tries its own bpftrace
 * (and falls back as before).
 */
async function startSharedEbpf(
  ctx: AgentContext,
  o: SensorOptions,
  files: FileSensor | undefined,
): Promise<SensorParts | undefined> {
  const proc = o.enabled.process !== false && (o.processSource === 'auto' || o.processSource === 'ebpf');
  const network = o.enabled.network !== false && o.networkSource !== 'proc';
  if (!proc && !network && !files) return undefined;
  // --ebpf collector is a demand: without the collector the agent does not start (as with --process-source ebpf).
  const unavailable = (why: string) => {
    if (o.ebpfProgram === 'collector') throw new Error(`vigil-collector is not available: ${why}`);
    ctx.log(`eBPF sensors: no vigil-collector: ${why}`);
  };
  if (process.getuid?.() !== 0) return void unavailable('the agent is not root');
  if (!ensureTracefs()) return void unavailable('tracefs is not mounted at /sys/kernel/tracing');
  if (o.ebpfProgram !== 'bpftrace') {
    const build = await buildCollector(o.dataDir, ctx.log);
    if ('path' in build) {
      const features = collectorFeatures(build.path);
      const file = files
        ? {
            prefixes: files.prefixes,
            foldNs: files.foldMs * 1_000_000,
            settleMs: files.settleMs,
            scriptExtensions: SCRIPT_EXTENSIONS,
            rows: features.has('file-rows'),
          }
        : undefined;
      const hub = new CollectorHub(
        build.path,
        {
          process: proc,
          // A leaf's row is made in the collector only when every record that could name it comes through it too:
          // the /proc network fallback would find a connection of a process the tree never held.
          processRows: features.has('process-rows') && (network || o.enabled.network === false),
          network,
          ...(file ? { file } : {}),
        },
        ctx.log,
        ctx.rounds,
      );
      try {
        const parts = await hub.start();
        ctx.log(`eBPF sensors: vigil-collector (${build.path})`);
        return parts;
      } catch (e) {
        await hub.stop();
        unavailable(`it did not attach (${e instanceof Error ? e.message : String(e)})`);
      }
    } else unavailable(build.why);
  }
  const specs: BpftracePartSpec[] = [];
  if (proc)
    specs.push({ name: 'process', program: bpftraceProcessProgram, tags: PROCESS_LINE_TAGS, parse: parseBpftraceLine });
  if (network)
    specs.push({
      name: 'network',
      program: bpftraceNetworkProgram(process.pid),
      tags: NETWORK_LINE_TAGS,
      parse: parseNetworkLine,
    });
  if (files) specs.push({ name: 'file', program: files.program(), tags: FILE_LINE_TAGS, parse: parseFileLine });
  if (specs.length < 2 || !hasBpftrace()) return undefined;
  try {
    const parts = await new BpftraceHub(specs, ctx.log, FILE_MAP_KEYS).start();
    ctx.log(`eBPF sensors: one bpftrace program for ${specs.map((s) => s.name).join(', ')}`);
    return { via: 'bpftrace', ...Object.fromEntries(parts) } as SensorParts;
  } catch (e) {
    ctx.log(`eBPF sensors: the shared bpftrace failed (${e instanceof Error ? e.message : String(e)}); one per sensor`);
    return undefined;
  }
}

/** Starts the process, logon and device-state sensors. */
export async function startSensors(ctx: AgentContext, o: SensorOptions): Promise<Sensors> {
  const { log, telemetry } = ctx;
  let files: FileSensor | undefined = o.enabled.files !== false ? new FileSensor(ctx, o.fileWatchPaths) : undefined;
  const shared = await startSharedEbpf(ctx, o, files);
  let process: StartedProcessSource | undefined;
  if (o.enabled.process !== false) {
    process = await startProcessSource(ctx, o.processSource, shared?.process);
    for (const n of process.notes) log(`process source: ${n}`);
    log(`process source: ${process.kind}`);
  }
  const logons = o.enabled.logons !== false ? new LogonSensor(telemetry, o.logonSources) : undefined;
  logons?.start();
  if (logons) log(`logon sources: ${logons.using.join(', ') || 'none found'}`);

  let network: NetworkSensor | undefined;
  if (o.enabled.network !== false) {
    network = new NetworkSensor(ctx, o.netPollMs);
    await network.start(o.networkSource, shared?.network);
  }
  if (files && !(await files.start(shared?.file))) files = undefined;

  // Without a shared program, an eBPF sensor runs its own bpftrace.
  const ownBpftrace = process?.kind === 'ebpf' || network?.kind === 'ebpf' || files?.kind === 'ebpf';
  const ebpf = shared?.via ?? (ownBpftrace ? 'bpftrace' : undefined);
  const notes = () => ({
    EbpfProgram: ebpf ?? 'none',
    ProcessSource: process?.kind ?? 'off',
    ProcessSourceNotes: process?.notes ?? [],
    LogonSources: logons?.using ?? [],
    NetworkSource: network?.kind ?? 'off',
    FileSource: files?.kind ?? 'off',
    FileWatchPaths: files?.prefixes ?? [],
    SpoolDroppedRows: telemetry.stats.droppedRows,
    SpoolUnwrittenRows: telemetry.stats.unwrittenRows,
  });
  const timers: NodeJS.Timeout[] = [];
  if (o.enabled.deviceState !== false) {
    const state = new DeviceStateSensor(telemetry, o.clientVersion, notes, o.dataDir, o.heartbeatMs);
    state.check();
    timers.push(setInterval(() => state.check(), Math.min(o.changeCheckMs, o.heartbeatMs)));
    if (o.enabled.inventory !== false) {
      const inventory = () => {
        const n = state.inventory();
        if (n > 0) log(`software inventory: ${n} packages`);
      };
      timers.push(setTimeout(inventory, 0));
      timers.push(setInterval(inventory, o.inventoryMs));
    }
  }
  const flush = async () => {
    process?.drain();
    logons?.poll();
    await process?.sensor.settle();
    await Promise.all([network?.settle(), files?.flush()]);
  };
  return {
    ebpf,
    process,
    logons,
    network,
    files,
    flush,
    stop: async () => {
      for (const t of timers) clearInterval(t);
      await Promise.all([process?.stop(), network?.stop(), files?.stop()]);
      logons?.stop();
      await flush();
    },
  };
}
