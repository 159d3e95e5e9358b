import { parseJsonLine } from './bpf-json.js';

/**
 * The bpftrace program of the eBPF process sensor. Every event carries the kernel time (nsecs) so that the
 * agent can put events read from different per-CPU buffers back in order. The argument area is copied up to its
 * length (at most 200 bytes): a fixed 200 would print the environment after it, escaped, on every exec. Threads are left out: task_newtask
 * without CLONE_THREAD is a new process, and only a thread-group leader's exit ends a process.
 */
export const bpftraceProcessProgram = `
tracepoint:task:task_newtask /(args->clone_flags & 0x10000) == 0/ {
  printf("F %llu %d %d %llu\\n", nsecs, pid, args->pid, curtask->start_boottime - curtask->start_time);
}
tracepoint:sched:sched_process_exec {
  $t = curtask;
  printf("E %llu %d %d %d %llu %s\\n", nsecs, pid, $t->real_parent->tgid, uid, $t->start_boottime, str(args->filename));
  printf("N %d %s\\n", pid, str($t->mm->exe_file->f_path.dentry->d_name.name));
  $len = $t->mm->arg_end - $t->mm->arg_start;
  printf("A %d %llu %r\\n", pid, $len, buf(uptr($t->mm->arg_start), $len > 200 ? 200 : $len));
}
tracepoint:sched:sched_process_exit /pid == tid/ {
  printf("X %llu %d\\n", nsecs, pid);
}
`;

/** First characters of the process program's printf lines. */
export const PROCESS_LINE_TAGS = 'FENAX';

/**
 * A file's identity and version as the kernel knows it, with stat(2)'s numbers (st_dev encoding): with it, an image's
 * hashes are found in the cache without a stat. The ctime is part of the version: a file rewritten in place to the
 * same size and given its old mtime back (`touch -d`) has a new ctime, which userspace cannot set.
 */
export interface FileIdentity {
  readonly dev: number;
  readonly ino: number;
  readonly size: number;
  readonly mtimeSec: number;
  readonly mtimeNsec: number;
  readonly ctimeSec: number;
  readonly ctimeNsec: number;
}

/** The arguments of an exec as the probe copied them. */
export interface ExecArgs {
  /** Bytes of the whole argument area. */
  readonly length: number;
  /** Bytes of it the probe copied (argv holds them): fewer than length means the command line was cut. */
  readonly copied: number;
  readonly argv: readonly string[];
}

/** One event of the bpftrace process program. */
/**
 * A short-lived leaf process whose ProcessCreated row vigil-collector made (--process-rows: record 'P'): it exec'd
 * and ended in one round of the collector with no other record between. The agent adds the parent's
 * InitiatingProcess* columns, ProcessCreationTime, AccountName, ProcessUniqueId, AdditionalFields, Timestamp and
 * ReportId.
 */
export interface LeafProcess {
  readonly kind: 'leaf';
  /** The exec's time (CLOCK_MONOTONIC). */
  readonly ns: bigint;
  readonly pid: number;
  /** The parent, as the exec record gives it (the forking process when the fork was folded into the exec). */
  readonly ppid: number;
  readonly uid: number;
  /** Its start_boottime (ns). */
  readonly startNs: bigint;
  /** When the collector read its exit (CLOCK_REALTIME, ms). */
  readonly timeMs: number;
  /** The row's own columns as JSON members without braces: FileName, FolderPath ... ProcessId, ProcessCommandLine. */
  readonly json: Buffer;
}

export type BpfProcessEvent =
  | {
      readonly kind: 'fork';
      readonly ns: bigint;
      readonly ppid: number;
      readonly pid: number;
      /** CLOCK_BOOTTIME minus CLOCK_MONOTONIC: ns + this is the child's start_boottime. */
      readonly bootOffsetNs: bigint;
    }
  | {
      readonly kind: 'exec';
      readonly ns: bigint;
      readonly pid: number;
      readonly realParent: number;
      readonly uid: number;
      readonly startNs: bigint;
      readonly filename: string;
      /** The image file's identity from the kernel (vigil-collector only). */
      readonly image?: FileIdentity | undefined;
      /**
       * The image's name and the arguments, when the record carried them (vigil-collector: one record per exec;
       * bpftrace sends them as the 'name' and 'args' events that follow).
       */
      readonly name?: string;
      readonly args?: ExecArgs;
    }
  | { readonly kind: 'name'; readonly pid: number; readonly name: string }
  | ({ readonly kind: 'args'; readonly pid: number } & ExecArgs)
  | { readonly kind: 'exit'; readonly ns: bigint; readonly pid: number }
  | LeafProcess
  | { readonly kind: 'attached'; readonly probes: number }
  | { readonly kind: 'lost'; readonly events: number }
  | { readonly kind: 'other'; readonly text: string };

/** Bytes of the argument area the bpftrace program copies (its strings are at most 200 bytes). */
const ARGV_BYTES = 200;

const HEX2 = /^[0-9a-fA-F]{2}$/;

/** Decodes bpftrace's %r escapes (\xNN for non-printable bytes) to bytes; stops after `max` bytes. */
export function decodeBpfBuffer(text: string, max = Number.POSITIVE_INFINITY): Uint8Array {
  const parts: Buffer[] = [];
  let bytes = 0;
  let i = 0;
  const literal = (to: number) => {
    if (to <= i) return;
    const b = Buffer.from(text.slice(i, to), 'utf8');
    parts.push(b);
    bytes += b.length;
  };
  while (bytes < max) {
    const j = text.indexOf('\\x', i);
    if (j < 0) break;
    const hex = text.slice(j + 2, j + 4);
    if (!HEX2.test(hex)) {
      literal(j + 2);
      i = j + 2;
      continue;
    }
    literal(j);
    parts.push(Buffer.of(Number.parseInt(hex, 16)));
    bytes++;
    i = j + 4;
  }
  if (bytes < max) literal(text.length);
  return Uint8Array.from(Buffer.concat(parts));
}

/** Splits the argument area of a process (NUL-separated strings) into argv, keeping only `length` bytes. */
export function splitArgs(bytes: Uint8Array, length: number): string[] {
  const used = bytes.subarray(0, Math.min(length, bytes.length));
  const text = new TextDecoder().decode(used);
  const parts = text.split('\0');
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** Printable ASCII but the backslash: such text is its own bytes. */
const PLAIN = /^[\x20-\x5b\x5d-\x7e]*$/;

/**
 * argv from the %r text of the argument area. Most command lines are printable ASCII separated by NULs (\x00):
 * split as text; anything else is decoded to bytes first.
 */
function parseArgs(raw: string, length: number): string[] {
  const parts = raw.split('\\x00');
  if (parts.every((p) => PLAIN.test(p))) {
    const used = parts.join('\0').slice(0, length).split('\0');
    if (used.length > 1 && used[used.length - 1] === '') used.pop();
    return used;
  }
  return splitArgs(decodeBpfBuffer(raw, length), length);
}

function parsePrintf(data: string): BpfProcessEvent {
  const line = data.endsWith('\n') ? data.slice(0, -1) : data;
  const f = line.split(' ');
  switch (f[0]) {
    case 'F':
      return {
        kind: 'fork',
        ns: BigInt(f[1] ?? 0),
        ppid: Number(f[2]),
        pid: Number(f[3]),
        bootOffsetNs: BigInt(f[4] ?? 0),
      };
    case 'E':
      return {
        kind: 'exec',
        ns: BigInt(f[1] ?? 0),
        pid: Number(f[2]),
        realParent: Number(f[3]),
        uid: Number(f[4]),
        startNs: BigInt(f[5] ?? 0),
        filename: f.slice(6).join(' '),
      };
    case 'N':
      return { kind: 'name', pid: Number(f[1]), name: f.slice(2).join(' ') };
    case 'A': {
      const length = Number(f[2]);
      const raw = line.slice(`A ${f[1]} ${f[2]} `.length);
      return {
        kind: 'args',
        pid: Number(f[1]),
        length,
        copied: Math.min(length, ARGV_BYTES),
        argv: parseArgs(raw, length),
      };
    }
    case 'X':
      return { kind: 'exit', ns: BigInt(f[1] ?? 0), pid: Number(f[2]) };
    default:
      return { kind: 'other', text: line };
  }
}

/** Parses one line of `bpftrace -f json` output of the process program. */
export function parseBpftraceLine(line: string): BpfProcessEvent | undefined {
  return parseJsonLine(line, parsePrintf);
}
