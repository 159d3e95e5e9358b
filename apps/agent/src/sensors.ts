import {
  bpftraceNetworkProgram,
  bpftraceProcessProgram,
  FILE_LINE_TAGS,
  NETWORK_LINE_TAGS,
  PROCESS_LINE_TAGS,
} from '@vigil/sensors';
import type { AgentContext } from './agent-context.js';
import { BpftraceHub, type BpftracePart, type BpftracePartSpec } from './bpftrace-hub.js';
import { DeviceStateSensor } from './device-state.js';
import { ensureTracefs, hasBpftrace } from './ebpf-source.js';
import { FILE_MAP_KEYS, FileSensor } from './file-sensor.js';
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
  readonly process: StartedProcessSource | undefined;
  readonly logons: LogonSensor | undefined;
  readonly network: NetworkSensor | undefined;
  readonly files: FileSensor | undefined;
  /** Handles what the sources have queued and waits for rows still being built. */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * One bpftrace for the eBPF sensors that will use it (a bpftrace process costs ~100 MB of peak RSS, mostly its
 * compiler). When the shared program cannot attach, each sensor starts its own (and falls back as before).
 */
async function startSharedBpftrace(
  ctx: AgentContext,
  o: SensorOptions,
  files: FileSensor | undefined,
): Promise<Map<string, BpftracePart>> {
  const specs: BpftracePartSpec[] = [];
  if (o.enabled.process !== false && (o.processSource === 'auto' || o.processSource === 'ebpf'))
    specs.push({ name: 'process', program: bpftraceProcessProgram, tags: PROCESS_LINE_TAGS });
  if (o.enabled.network !== false && o.networkSource !== 'proc')
    specs.push({ name: 'network', program: bpftraceNetworkProgram(process.pid), tags: NETWORK_LINE_TAGS });
  if (files) specs.push({ name: 'file', program: files.program(), tags: FILE_LINE_TAGS });
  if (specs.length < 2 || !hasBpftrace() || !ensureTracefs()) return new Map();
  try {
    const parts = await new BpftraceHub(specs, ctx.log, FILE_MAP_KEYS).start();
    ctx.log(`bpftrace: one program for ${specs.map((s) => s.name).join(', ')}`);
    return parts;
  } catch (e) {
    ctx.log(`bpftrace: the shared program failed (${e instanceof Error ? e.message : String(e)}); one per sensor`);
    return new Map();
  }
}

/** Starts the process, logon and device-state sensors. */
export async function startSensors(ctx: AgentContext, o: SensorOptions): Promise<Sensors> {
  const { log, telemetry } = ctx;
  let files: FileSensor | undefined = o.enabled.files !== false ? new FileSensor(ctx, o.fileWatchPaths) : undefined;
  const shared = await startSharedBpftrace(ctx, o, files);
  let process: StartedProcessSource | undefined;
  if (o.enabled.process !== false) {
    process = await startProcessSource(ctx, o.processSource, shared.get('process'));
    for (const n of process.notes) log(`process source: ${n}`);
    log(`process source: ${process.kind}`);
  }
  const logons = o.enabled.logons !== false ? new LogonSensor(telemetry, o.logonSources) : undefined;
  logons?.start();
  if (logons) log(`logon sources: ${logons.using.join(', ') || 'none found'}`);

  let network: NetworkSensor | undefined;
  if (o.enabled.network !== false) {
    network = new NetworkSensor(ctx, o.netPollMs);
    await network.start(o.networkSource, shared.get('network'));
  }
  if (files && !(await files.start(shared.get('file')))) files = undefined;

  const notes = () => ({
    ProcessSource: process?.kind ?? 'off',
    ProcessSourceNotes: process?.notes ?? [],
    LogonSources: logons?.using ?? [],
    NetworkSource: network?.kind ?? 'off',
    FileSource: files?.kind ?? 'off',
    FileWatchPaths: files?.prefixes ?? [],
    SpoolDroppedRows: telemetry.stats.droppedRows,
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
