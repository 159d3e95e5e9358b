import type { BootClock, ProcessTree } from '@vigil/sensors';
import { listPids, readCmdline, readExe, readProcess } from './proc-fs.js';
import type { ProcessSensor } from './process-sensor.js';
import type { UserNames } from './user-names.js';

/** Last-resort process source: polls /proc for new pids. Processes shorter than the interval are missed. */
export class ProcPollSource {
  private timer: NodeJS.Timeout | undefined;
  private known = new Map<number, number>();

  constructor(
    private readonly sensor: ProcessSensor,
    private readonly tree: ProcessTree,
    private readonly clock: BootClock,
    private readonly users: UserNames,
    private readonly intervalMs = 100,
  ) {}

  /** Takes the processes running now as known, then polls. */
  start(): void {
    for (const pid of listPids()) this.known.set(pid, this.tree.get(pid)?.startTicks ?? -1);
    this.timer = setInterval(() => this.poll(), this.intervalMs);
  }

  /** One pass over /proc. */
  poll(): void {
    const seen = new Map<number, number>();
    for (const pid of listPids()) {
      const before = this.known.get(pid);
      if (before !== undefined) {
        seen.set(pid, before);
        continue;
      }
      const p = readProcess(pid, this.clock, this.users);
      if (!p) continue;
      seen.set(pid, p.startTicks);
      const exe = readExe(pid);
      const cmd = readCmdline(pid);
      this.sensor.onExec({
        pid,
        ppid: p.ppid,
        uid: p.uid,
        startTicks: p.startTicks,
        ...(cmd !== undefined ? { procCommandLine: cmd } : {}),
        ...(exe !== undefined ? { procExe: exe } : {}),
        timeMs: Date.parse(p.creationTime),
      });
    }
    for (const pid of this.known.keys()) if (!seen.has(pid)) this.sensor.onExit(pid);
    this.known = seen;
  }

  stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    return Promise.resolve();
  }
}
