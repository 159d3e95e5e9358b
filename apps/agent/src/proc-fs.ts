import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { type BootClock, PF_EXITING, PF_KTHREAD, type ProcessInfo, parseBootTime, parseProcStat } from '@vigil/sensors';
import type { UserNames } from './user-names.js';

/** Boot time in ms since the epoch, from /proc/stat. */
export function readBootTimeMs(): number {
  const t = parseBootTime(readFileSync('/proc/stat', 'utf8'));
  if (t === undefined) throw new Error('no btime in /proc/stat');
  return t;
}

/** The command line of a live process (argv joined by spaces), or undefined when it is gone. */
export function readCmdline(pid: number): string | undefined {
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`);
    if (raw.length === 0) return undefined;
    return argvToCommandLine(raw.toString('utf8').replace(/\0$/, '').split('\0'));
  } catch {
    return undefined;
  }
}

/** Joins argv into one command line, quoting arguments that hold spaces. */
export function argvToCommandLine(argv: readonly string[]): string {
  return argv.map((a) => (a === '' || /[\s"]/.test(a) ? `"${a.replaceAll('"', '\\"')}"` : a)).join(' ');
}

/** The image path of a live process, or undefined. A replaced binary reads "path (deleted)". */
export function readExe(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return undefined;
  }
}

function readUid(pid: number): number | undefined {
  try {
    const m = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Reads one live process from /proc; undefined when it is gone or exiting (its image and arguments gone). */
export function readProcess(pid: number, clock: BootClock, users: UserNames): ProcessInfo | undefined {
  const exe = readExe(pid);
  const commandLine = readCmdline(pid);
  // The stat is read last: a process that had not begun to exit then (PF_EXITING) still had the image and arguments
  // read before it. One that exits in between (its memory released after its image was read: a bash that wrote a
  // file and exited at once) would otherwise come out with an empty command line.
  let stat: ReturnType<typeof parseProcStat>;
  try {
    stat = parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
  if (!stat) return undefined;
  // A process that is exiting (or a zombie waiting for its parent) has no image or arguments left to read: callers
  // take it from the process tree, or look again once the tree has it, rather than keep "[comm]" for it. Only kernel
  // threads have neither while alive.
  if ((stat.flags & PF_EXITING) !== 0) return undefined;
  if (exe === undefined && commandLine === undefined && (stat.flags & PF_KTHREAD) === 0) return undefined;
  const uid = readUid(pid) ?? 0;
  return {
    pid,
    ppid: stat.ppid,
    startTicks: stat.startTicks,
    creationTime: clock.isoFromTicks(stat.startTicks),
    path: exe ?? '',
    commandLine: commandLine ?? (exe ? '' : `[${stat.comm}]`),
    uid,
    accountName: users.name(uid),
    fileSize: undefined,
    sha1: undefined,
    sha256: undefined,
    md5: undefined,
  };
}

/** Pids of all processes now. */
export function listPids(): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) if (/^\d+$/.test(name)) out.push(Number(name));
  return out;
}
