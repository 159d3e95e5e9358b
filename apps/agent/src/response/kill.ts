import { readFileSync } from 'node:fs';
import { type BootClock, parseProcStat } from '@vigil/sensors';

/** Start times are kept in clock ticks (10 ms); the server's value went through ISO text, so allow a little. */
const START_TOLERANCE_MS = 1000;

/** The start time of a live process, or undefined when it is gone. */
export function processStart(pid: number, clock: BootClock): { startMs: number; comm: string } | undefined {
  try {
    const stat = parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    if (!stat) return undefined;
    return { startMs: Date.parse(clock.isoFromTicks(stat.startTicks)), comm: stat.comm };
  } catch {
    return undefined;
  }
}

/**
 * Kills a process only when the pid still names the process the analyst meant: its start time must match, so a
 * recycled pid is never killed. SIGKILL, then a check that it is gone.
 */
export async function killProcess(
  pid: number,
  creationTime: string,
  clock: BootClock,
): Promise<Record<string, unknown>> {
  if (pid === process.pid) throw new Error('the agent does not kill itself');
  const before = processStart(pid, clock);
  if (!before) throw new Error(`no process ${pid} is running`);
  const wanted = Date.parse(creationTime);
  if (Math.abs(before.startMs - wanted) > START_TOLERANCE_MS) {
    throw new Error(
      `process ${pid} (${before.comm}) started at ${new Date(before.startMs).toISOString()}, not at ${creationTime}: ` +
        'the pid was reused, nothing was killed',
    );
  }
  process.kill(pid, 'SIGKILL');
  for (let i = 0; i < 50; i++) {
    const now = processStart(pid, clock);
    if (!now || now.startMs !== before.startMs) {
      return { processId: pid, processName: before.comm, processCreationTime: new Date(before.startMs).toISOString() };
    }
    // A zombie keeps its /proc entry until its parent reaps it; it no longer runs.
    if (/^State:\s+Z/m.test(readStatus(pid))) {
      return { processId: pid, processName: before.comm, zombie: true };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`process ${pid} (${before.comm}) is still running 5 s after SIGKILL`);
}

function readStatus(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return '';
  }
}
