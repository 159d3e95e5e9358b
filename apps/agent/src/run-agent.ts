import { hostname as osHostname } from 'node:os';
import { resolve } from 'node:path';
import { BootClock, ProcessTree } from '@vigil/sensors';
import type { AgentContext } from './agent-context.js';
import { collectorRounds } from './collector.js';
import { lateInitiatorMs, PROCESS_REORDER_MS } from './ebpf-source.js';
import { type DeviceIdentity, enrollOnce, pinCommandKey } from './enrollment.js';
import { FileHasher } from './file-hasher.js';
import { DEFAULT_FILE_WATCH_PATHS } from './file-sensor.js';
import type { LogonSources } from './logon-sensor.js';
import type { NetworkSourceKind } from './network-sensor.js';
import { readBootTimeMs } from './proc-fs.js';
import type { ProcessSourceKind } from './process-source.js';
import { ResponseAgent } from './response/response-agent.js';
import { type EbpfProgram, type Sensors, startSensors } from './sensors.js';
import type { TelemetryStats } from './telemetry.js';
import {
  createTransport,
  DEFAULT_BATCH_MAX_AGE_MS,
  DEFAULT_FLUSH_MS,
  type Transport,
  type TransportOptions,
} from './transport.js';
import type { UploadStats } from './uploader.js';
import { UserNames } from './user-names.js';
import type { Rounds } from './wake-timer.js';

/** The agent's version, reported as DeviceInfo.ClientVersion. */
export const AGENT_VERSION = '0.1.0';
/** How often the process tree forgets processes that exited long enough ago. */
const PRUNE_MS = 5000;

/** Options of `vigil agent`. Only `server` is required (and `enrollToken` on the first run). */
export interface AgentOptions {
  /** Base URL of the tenant server, e.g. http://127.0.0.1:8470. */
  readonly server: string;
  /** Device enrollment token (vge_…); needed only until the agent has enrolled. */
  readonly enrollToken?: string;
  /** Identity, spool and state (default /var/lib/vigil-agent). */
  readonly dataDir?: string;
  /** Host name sent at enrollment (default os.hostname()). */
  readonly hostname?: string;
  /** Process source (default auto: ebpf, else audit, else proc). */
  readonly processSource?: ProcessSourceKind;
  /** Sensors to run (all by default). */
  readonly sensors?: {
    readonly process?: boolean;
    readonly logons?: boolean;
    readonly deviceState?: boolean;
    readonly inventory?: boolean;
    /** DeviceNetworkEvents: connects, accepts, listens (eBPF, else /proc/net polling). */
    readonly network?: boolean;
    /** DeviceFileEvents in fileWatchPaths (eBPF; off with a note when bpftrace cannot run). */
    readonly files?: boolean;
  };
  /** Network source (default auto: ebpf, else proc). */
  readonly networkSource?: NetworkSourceKind;
  /**
   * What runs the eBPF sensors (default: VIGIL_EBPF, else auto): vigil-collector (compiled libbpf, built on first
   * use with clang and bpftool), bpftrace, or auto (the collector, else bpftrace).
   */
  readonly ebpfProgram?: EbpfProgram;
  /** Trees the file sensor watches (default /etc, /tmp, /usr/bin, /usr/local/bin, /root/.ssh, /home). */
  readonly fileWatchPaths?: readonly string[];
  /** Poll interval of the /proc/net fallback (default 1000 ms). */
  readonly netPollMs?: number;
  /** Files the logon sensor reads (defaults: journal, /var/log/auth.log, /var/log/wtmp, /var/log/btmp). */
  readonly logonSources?: LogonSources;
  /** DeviceInfo/DeviceNetworkInfo heartbeat (default 15 minutes); changes are checked every changeCheckMs. */
  readonly heartbeatMs?: number;
  readonly changeCheckMs?: number;
  /** Software inventory check (default 6 hours). */
  readonly inventoryMs?: number;
  /** Rows reach the disk (fsync) this often (default 500 ms). */
  readonly flushMs?: number;
  /** A batch is sealed when it has this many rows (default 5000) or is this old (default 2000 ms). */
  readonly batchMaxRows?: number;
  readonly batchMaxAgeMs?: number;
  /** Cap of the spool on disk (default 256 MiB); the oldest batches beyond it are dropped and reported. */
  readonly spoolMaxBytes?: number;
  readonly backoffBaseMs?: number;
  readonly backoffMaxMs?: number;
  readonly procPollMs?: number;
  /** Response actions from the server (default on): isolate, kill, quarantine, investigation package, live response. */
  readonly response?: boolean;
  /** How long one poll for commands waits on the server (default 25 s). */
  readonly commandPollWaitS?: number;
  /** Where log lines go (default stderr). */
  readonly log?: (line: string) => void;
}

/** Counters of a running agent. */
export interface AgentStats {
  readonly telemetry: TelemetryStats;
  readonly upload: UploadStats;
  readonly spooledBatches: number;
  readonly spoolBytes: number;
  readonly process: Readonly<Record<string, number>> | undefined;
  readonly logonEvents: number;
  readonly network: Readonly<Record<string, number>> | undefined;
  readonly files: Readonly<Record<string, number>> | undefined;
  readonly skewMs: number;
}

/** A running agent. */
export interface RunningAgent {
  readonly deviceId: string;
  readonly tenant: string;
  readonly dataDir: string;
  /** The process source in use: ebpf, audit or proc (undefined when the process sensor is off). */
  readonly processSource: 'ebpf' | 'audit' | 'proc' | undefined;
  /** Why better process sources were not used. */
  readonly processSourceNotes: readonly string[];
  /** The network source in use (undefined when the network sensor is off). */
  readonly networkSource: 'ebpf' | 'proc' | undefined;
  /** The file source in use (undefined when the file sensor is off or cannot run). */
  readonly fileSource: 'ebpf' | undefined;
  /** The program running the eBPF sensors (undefined when none runs). */
  readonly ebpfProgram: 'vigil-collector' | 'bpftrace' | undefined;
  /** The response side (undefined when response actions are off). */
  readonly response: ResponseAgent | undefined;
  /** Points the uploader at a new server URL. */
  setServer(url: string): void;
  /** Handles pending sensor events, writes everything to the spool and seals it (for tests and shutdown). */
  flush(): Promise<void>;
  /** Waits until the spool is empty (every batch acknowledged); false on timeout. */
  drained(timeoutMs: number): Promise<boolean>;
  stats(): AgentStats;
  /** Stops the sensors, spools what they saw and uploads what it can within a few seconds. */
  stop(): Promise<void>;
}

const defaultLog = (line: string) => process.stderr.write(`${new Date().toISOString()} vigil-agent: ${line}\n`);

function transportOptions(options: AgentOptions, log: (line: string) => void, rounds: Rounds): TransportOptions {
  return {
    rounds,
    server: options.server,
    spoolMaxBytes: options.spoolMaxBytes ?? 256 * 1024 * 1024,
    batchMaxRows: options.batchMaxRows ?? 5000,
    batchMaxAgeMs: options.batchMaxAgeMs ?? DEFAULT_BATCH_MAX_AGE_MS,
    flushMs: options.flushMs ?? DEFAULT_FLUSH_MS,
    backoffBaseMs: options.backoffBaseMs ?? 500,
    backoffMaxMs: options.backoffMaxMs ?? 60_000,
    log,
  };
}

function agentStats(transport: Transport, sensors: Sensors, ctx: AgentContext): AgentStats {
  return {
    telemetry: transport.telemetry.stats,
    upload: transport.uploader.stats,
    spooledBatches: transport.spool.list().length,
    spoolBytes: transport.spool.sizeBytes(),
    process: sensors.process
      ? { ...sensors.process.sensor.stats, ...sensors.process.counters?.(), treeSize: ctx.tree.size }
      : undefined,
    logonEvents: sensors.logons?.events ?? 0,
    network: sensors.network ? { ...sensors.network.counters() } : undefined,
    files: sensors.files ? { ...sensors.files.counters() } : undefined,
    skewMs: transport.telemetry.skew,
  };
}

/** Enrolls once (identity in DATA/agent.json), then runs the sensors and the durable transport. */
export async function runAgent(options: AgentOptions): Promise<RunningAgent> {
  const log = options.log ?? defaultLog;
  const dataDir = resolve(options.dataDir ?? '/var/lib/vigil-agent');
  const { identity, enrolled } = await enrollOnce({
    dataDir,
    server: options.server,
    hostname: options.hostname ?? osHostname(),
    ...(options.enrollToken !== undefined ? { enrollToken: options.enrollToken } : {}),
  });
  log(`${enrolled ? 'enrolled' : 'already enrolled'} as device ${identity.deviceId} in tenant ${identity.tenant}`);
  let server = options.server;

  const rounds = collectorRounds();
  const transport = createTransport(dataDir, identity, transportOptions(options, log, rounds));
  const { telemetry, uploader } = transport;
  const ctx: AgentContext = {
    tree: new ProcessTree(),
    clock: new BootClock(readBootTimeMs()),
    users: new UserNames(),
    hasher: new FileHasher(),
    telemetry,
    log,
    procPollMs: options.procPollMs ?? 100,
    lateInitiatorMs: lateInitiatorMs(PROCESS_REORDER_MS),
    rounds,
  };
  const sensors = await startSensors(ctx, {
    enabled: options.sensors ?? {},
    processSource: options.processSource ?? 'auto',
    networkSource: options.networkSource ?? 'auto',
    ebpfProgram: options.ebpfProgram ?? ebpfProgramFromEnv(),
    fileWatchPaths: options.fileWatchPaths ?? DEFAULT_FILE_WATCH_PATHS,
    netPollMs: options.netPollMs ?? 1000,
    logonSources: options.logonSources ?? {},
    clientVersion: AGENT_VERSION,
    dataDir,
    heartbeatMs: options.heartbeatMs ?? 15 * 60_000,
    changeCheckMs: options.changeCheckMs ?? 60_000,
    inventoryMs: options.inventoryMs ?? 6 * 3_600_000,
  });
  const response =
    options.response === false ? undefined : startResponse(dataDir, identity, () => server, ctx, options);
  // Exited processes are forgotten after two minutes (see ProcessTree): looked for every few seconds.
  const timer = setInterval(() => ctx.tree.prune(Date.now()), PRUNE_MS);

  const flush = async () => {
    await sensors.flush();
    transport.seal();
  };
  let stopping: Promise<void> | undefined;
  return {
    deviceId: identity.deviceId,
    tenant: identity.tenant,
    dataDir,
    processSource: sensors.process?.kind,
    processSourceNotes: sensors.process?.notes ?? [],
    networkSource: sensors.network?.kind,
    fileSource: sensors.files?.kind,
    ebpfProgram: sensors.ebpf,
    response,
    setServer: (url) => {
      server = url;
      uploader.setServer(url);
    },
    flush,
    drained: (ms) => uploader.drained(ms),
    stats: () => agentStats(transport, sensors, ctx),
    stop: () => {
      stopping ??= (async () => {
        clearInterval(timer);
        await response?.stop();
        await sensors.stop();
        await transport.close();
        log('stopped');
      })();
      return stopping;
    },
  };
}

function startResponse(
  dataDir: string,
  identity: DeviceIdentity,
  server: () => string,
  ctx: AgentContext,
  options: AgentOptions,
): ResponseAgent {
  const agent = new ResponseAgent({
    dataDir,
    deviceId: identity.deviceId,
    deviceSecret: identity.deviceSecret,
    commandPublicKey: async () => (await pinCommandKey(dataDir, identity, server())).commandPublicKey as string,
    server,
    clock: ctx.clock,
    users: ctx.users,
    log: ctx.log,
    serverNow: () => Date.now() + ctx.telemetry.skew,
    ...(options.commandPollWaitS !== undefined ? { pollWaitS: options.commandPollWaitS } : {}),
  });
  agent.start();
  return agent;
}

/** VIGIL_EBPF: auto (default), collector or bpftrace. */
function ebpfProgramFromEnv(): EbpfProgram {
  const v = process.env.VIGIL_EBPF ?? 'auto';
  if (v === 'auto' || v === 'collector' || v === 'bpftrace') return v;
  throw new Error(`VIGIL_EBPF=${v}: expected auto, collector or bpftrace`);
}
