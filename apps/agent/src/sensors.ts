import type { AgentContext } from './agent-context.js';
import { DeviceStateSensor } from './device-state.js';
import { LogonSensor, type LogonSources } from './logon-sensor.js';
import { type ProcessSourceKind, type StartedProcessSource, startProcessSource } from './process-source.js';

/** Which sensors run and how often the periodic ones report. */
export interface SensorOptions {
  readonly enabled: {
    readonly process?: boolean;
    readonly logons?: boolean;
    readonly deviceState?: boolean;
    readonly inventory?: boolean;
  };
  readonly processSource: ProcessSourceKind;
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
  /** Handles what the sources have queued and waits for rows still being built. */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the process, logon and device-state sensors. */
export async function startSensors(ctx: AgentContext, o: SensorOptions): Promise<Sensors> {
  const { log, telemetry } = ctx;
  let process: StartedProcessSource | undefined;
  if (o.enabled.process !== false) {
    process = await startProcessSource(ctx, o.processSource);
    for (const n of process.notes) log(`process source: ${n}`);
    log(`process source: ${process.kind}`);
  }
  const logons = o.enabled.logons !== false ? new LogonSensor(telemetry, o.logonSources) : undefined;
  logons?.start();
  if (logons) log(`logon sources: ${logons.using.join(', ') || 'none found'}`);

  const notes = () => ({
    ProcessSource: process?.kind ?? 'off',
    ProcessSourceNotes: process?.notes ?? [],
    LogonSources: logons?.using ?? [],
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
  };
  return {
    process,
    logons,
    flush,
    stop: async () => {
      for (const t of timers) clearInterval(t);
      await process?.stop();
      logons?.stop();
      await flush();
    },
  };
}
