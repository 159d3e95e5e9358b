import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { buildCollector, type CollectorBuild } from './collector.js';
import { enrollOnce } from './enrollment.js';

/** What `vigil agent install` needs. */
export interface InstallOptions {
  readonly server: string;
  /** Needed unless the data dir already holds an enrolled identity. */
  readonly enrollToken?: string;
  readonly dataDir: string;
  /**
   * The command that runs the agent: node, its flags (AGENT_NODE_FLAGS) and the vigil script; the `agent`
   * arguments are appended.
   */
  readonly vigilCommand: readonly string[];
  readonly processSource: string;
  /** What runs the eBPF sensors (auto, collector or bpftrace; default auto). */
  readonly ebpf?: string;
  /** Where the unit is written (default /etc/systemd/system). */
  readonly unitDir?: string;
  /** Run `systemctl daemon-reload` and `enable --now` when systemd is running (default true). */
  readonly enable?: boolean;
}

export interface InstallResult {
  readonly unitPath: string;
  readonly deviceId: string;
  readonly tenant: string;
  /** False when the data dir was already enrolled. */
  readonly enrolled: boolean;
  /** True when systemctl enabled and started the unit; false when the admin has to (see `nextSteps`). */
  readonly started: boolean;
  /** Commands left for the admin to run. */
  readonly nextSteps: readonly string[];
  /** vigil-collector built now (so the service's first start does not wait for it), or why it cannot be. */
  readonly collector: CollectorBuild | undefined;
}

export const UNIT_NAME = 'vigil-agent.service';

/**
 * Node flags of the agent's process, on node's command line (the unit's ExecStart puts them there): V8 reads them at
 * start-up, not when set later. `--no-memory-reducer`: after each burst of events, once the agent had been idle a
 * moment, V8's memory reducer ran full GCs to shrink a heap of 20-30 MB (two mark-compacts of 17 ms and their
 * incremental marking, and more scavenges of a young generation it had shrunk), only for the next burst to grow it
 * again. Without it, the agent benchmark's warm run spent 68 ms in GC against 178 ms (`--trace-gc`), and took
 * 0.54 / 0.76 / 0.65 / 0.76 CPU s against 0.73 / 0.89 / 0.83 / 0.78 s in four pairs (sixteenth session); peak RSS
 * 102-122 MB against 100-123 MB.
 */
export const AGENT_NODE_FLAGS: readonly string[] = ['--no-memory-reducer'];

/** One ExecStart word, quoted the way systemd reads it when it holds a space, a quote or a backslash. */
function unitWord(w: string): string {
  if (/^[\w./:@+=,-]+$/.test(w)) return w;
  return `"${w.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The systemd unit of the agent; the enrollment token is not in it (the identity is already in the data dir). */
export function agentUnit(command: readonly string[]): string {
  return [
    '[Unit]',
    'Description=Vigil endpoint agent',
    'Wants=network-online.target',
    'After=network-online.target',
    '',
    '[Service]',
    'Type=simple',
    `ExecStart=${command.map(unitWord).join(' ')}`,
    'Restart=always',
    'RestartSec=5',
    // eBPF (vigil-collector, bpftrace) and the audit subsystem need root; the spool is bounded by the agent itself.
    'User=root',
    'LimitMEMLOCK=infinity',
    'KillSignal=SIGTERM',
    'TimeoutStopSec=30',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}

/**
 * Enrolls now (so a bad token or an unreachable server fails here, not later in the journal), then writes the
 * systemd unit and, when systemd runs this machine, enables and starts it.
 */
export async function installAgentService(o: InstallOptions): Promise<InstallResult> {
  const { identity, enrolled } = await enrollOnce({
    dataDir: o.dataDir,
    server: o.server,
    ...(o.enrollToken ? { enrollToken: o.enrollToken } : {}),
    hostname: hostname(),
  });
  const unitDir = o.unitDir ?? '/etc/systemd/system';
  mkdirSync(unitDir, { recursive: true });
  const unitPath = join(unitDir, UNIT_NAME);
  const command = [
    ...o.vigilCommand,
    'agent',
    '--server',
    o.server,
    '--data-dir',
    o.dataDir,
    '--process-source',
    o.processSource,
    ...(o.ebpf && o.ebpf !== 'auto' ? ['--ebpf', o.ebpf] : []),
  ];
  const collector = o.ebpf === 'bpftrace' ? undefined : await buildCollector(o.dataDir, () => undefined);
  writeFileSync(unitPath, agentUnit(command), { mode: 0o644 });
  const steps = ['systemctl daemon-reload', `systemctl enable --now ${UNIT_NAME}`];
  const systemdRuns = existsSync('/run/systemd/system');
  if (o.enable === false || !systemdRuns || o.unitDir !== undefined) {
    return {
      unitPath,
      deviceId: identity.deviceId,
      tenant: identity.tenant,
      enrolled,
      started: false,
      nextSteps: steps,
      collector,
    };
  }
  for (const step of steps) {
    const [cmd, ...args] = step.split(' ') as [string, ...string[]];
    const r = spawnSync(cmd, args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${step} failed (exit ${r.status}): ${(r.stderr ?? '').trim()}`);
  }
  return {
    unitPath,
    deviceId: identity.deviceId,
    tenant: identity.tenant,
    enrolled,
    started: true,
    nextSteps: [],
    collector,
  };
}
