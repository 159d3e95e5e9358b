/** Converts kernel start times (ticks or nanoseconds since boot) to wall-clock ISO-8601 UTC. */
export class BootClock {
  /**
   * @param bootTimeMs boot time in ms since the epoch (btime of /proc/stat, times 1000)
   * @param ticksPerSecond USER_HZ, 100 on Linux
   */
  constructor(
    readonly bootTimeMs: number,
    readonly ticksPerSecond = 100,
  ) {}

  /** Kernel start_boottime in ns → ticks as in /proc/PID/stat, so both sources agree on the same process. */
  ticksFromNs(ns: bigint | number): number {
    const n = typeof ns === 'bigint' ? ns : BigInt(Math.trunc(ns));
    return Number(n / BigInt(Math.round(1e9 / this.ticksPerSecond)));
  }

  /** Wall-clock ms → ticks since boot (for sources that only know when an event happened). */
  ticksAt(ms: number): number {
    return Math.floor(((ms - this.bootTimeMs) * this.ticksPerSecond) / 1000);
  }

  private lastTicks = Number.NaN;
  private lastIso = '';

  /** Ticks since boot → ISO-8601 UTC (the last answer is kept: a fork and its exec, a burst, share a tick). */
  isoFromTicks(ticks: number): string {
    if (ticks !== this.lastTicks) {
      this.lastIso = new Date(this.bootTimeMs + (ticks * 1000) / this.ticksPerSecond).toISOString();
      this.lastTicks = ticks;
    }
    return this.lastIso;
  }
}

/** Reads btime (seconds since the epoch) from the text of /proc/stat. */
export function parseBootTime(procStat: string): number | undefined {
  const m = /^btime\s+(\d+)$/m.exec(procStat);
  return m ? Number(m[1]) * 1000 : undefined;
}

/** The kernel thread flag of /proc/PID/stat's flags (PF_KTHREAD). */
export const PF_KTHREAD = 0x00200000;
/** Set in /proc/PID/stat's flags once the process has begun to exit (PF_EXITING): its memory may already be gone. */
export const PF_EXITING = 0x00000004;

/**
 * Parses /proc/PID/stat: state (field 3: R, S, D, Z for a zombie...), ppid (field 4), flags (field 9: PF_KTHREAD...)
 * and starttime (field 22); comm may hold spaces and parentheses.
 */
export function parseProcStat(
  text: string,
): { comm: string; state: string; ppid: number; flags: number; startTicks: number } | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const rest = text
    .slice(close + 2)
    .trim()
    .split(' ');
  const ppid = Number(rest[1]);
  const startTicks = Number(rest[19]);
  if (!Number.isFinite(ppid) || !Number.isFinite(startTicks)) return undefined;
  return { comm: text.slice(open + 1, close), state: rest[0] ?? '', ppid, flags: Number(rest[6]) || 0, startTicks };
}
