import { type BpfControl, parseJsonLine } from './bpf-json.js';
import type { ImageHashes } from './process-tree.js';

/** Where a file event came from: the calling process (with its start time and exec count, a cache key). */
export interface Caller {
  readonly ns: bigint;
  readonly pid: number;
  /** The caller's start_boottime in ns (as the process program reports it). */
  readonly startNs: bigint;
  /** The caller's self_exec_id: it changes at every exec, so (pid, startNs, execId) names one image run. */
  readonly execId: number;
}

/**
 * A file change as the file sensor saw it (paths as the process gave them; relative ones need its cwd). Every kind
 * has every field, set in one order by fileEvent(): V8 gives objects of one shape one map, and the sensor's
 * optimized code, tuned while only opens came, was thrown away and compiled again when the first unlink came.
 */
export interface FileEvent extends Caller {
  readonly kind: 'open' | 'unlink' | 'rename';
  /** The directory descriptor `path` is relative to (AT_FDCWD, -100: the cwd). */
  readonly dfd: number;
  /** The path opened or unlinked; a rename's old path. */
  readonly path: string;
  /** An open's flags (0 for other kinds). */
  readonly flags: number;
  /** The open created the file (FMODE_CREATED). */
  readonly created: boolean;
  /** The inode an open opened (0 for other kinds). */
  readonly ino: number;
  /** A rename's new path and the descriptor it is relative to (-100 and '' for other kinds). */
  readonly newDfd: number;
  readonly newPath: string;
}

/** AT_FDCWD: a path relative to the process's cwd. */
const AT_FDCWD = -100;

/** A FileEvent, its fields always in the same order (see FileEvent). */
export function fileEvent(
  kind: FileEvent['kind'],
  c: Caller,
  dfd: number,
  path: string,
  open?: { readonly flags: number; readonly created: boolean; readonly ino: number },
  renamedTo?: { readonly dfd: number; readonly path: string },
): FileEvent {
  return {
    kind,
    ns: c.ns,
    pid: c.pid,
    startNs: c.startNs,
    execId: c.execId,
    dfd,
    path,
    flags: open?.flags ?? 0,
    created: open?.created ?? false,
    ino: open?.ino ?? 0,
    newDfd: renamedTo?.dfd ?? AT_FDCWD,
    newPath: renamedTo?.path ?? '',
  };
}

/** A file as vigil-collector's settle look found it (records 'S', collector/README.md). */
export interface LookedFile {
  /** As Node's Stats.mtimeMs computes it (seconds × 1e3 + nanoseconds / 1e6). */
  readonly mtimeMs: number;
  readonly size: number;
  /** SHA-1, SHA-256 and MD5 of the file, when the collector hashed it. */
  readonly hashes: ImageHashes | undefined;
  /**
   * An executable or a script (then hashed when the collector could: see `hashes`). Undefined for a file larger
   * than the collector reads (1 MiB): the agent decides and hashes it.
   */
  readonly hashable: boolean | undefined;
}

/**
 * What vigil-collector's settle looks found at a written path ('S' and 'Q' records): `settled`, its writes settled
 * (its row is due); `changed`, writes folded after its row changed it; `quiet`, its watch ended without a change.
 */
export interface FileLook {
  readonly kind: 'look';
  /** CLOCK_MONOTONIC ns of the look. */
  readonly ns: bigint;
  readonly what: 'settled' | 'changed' | 'quiet';
  /** Absolute and normal, as the agent resolves the path of an event. */
  readonly path: string;
  /** Undefined when the path was gone, and for `quiet`. */
  readonly file: LookedFile | undefined;
}

/** One line of the file program: a complete open or unlink, or one half of a rename. */
export type FileLine =
  | FileEvent
  | (Caller & { readonly kind: 'rename-from'; readonly tid: number; readonly dfd: number; readonly path: string })
  | { readonly kind: 'rename-to'; readonly tid: number; readonly dfd: number; readonly path: string };

/** FMODE_CREATED of struct file: set when the open created the file. */
export const FMODE_CREATED = 0x100000;
/** O_WRONLY | O_RDWR | O_CREAT | O_TRUNC. */
const WRITE_FLAGS = 0x243;
const AT_REMOVEDIR = 0x200;
/** The kernel compares at most this many bytes of a watched prefix (the agent checks the whole path). */
const KERNEL_PREFIX_BYTES = 64;

/** Watched directories as prefixes ending in '/', without duplicates. */
export function watchPrefixes(paths: readonly string[]): string[] {
  const out = new Set<string>();
  for (const p of paths) {
    if (!p.startsWith('/')) continue;
    out.add(p.endsWith('/') ? p : `${p}/`);
  }
  return [...out];
}

/** A prefix as little-endian 64-bit words with the mask of the bytes each one holds. */
export function prefixWords(prefix: string): { value: bigint; mask: bigint }[] {
  const bytes = Buffer.from(prefix, 'utf8').subarray(0, KERNEL_PREFIX_BYTES);
  const out: { value: bigint; mask: bigint }[] = [];
  for (let at = 0; at < bytes.length; at += 8) {
    const word = bytes.subarray(at, at + 8);
    let value = 0n;
    for (let i = word.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(word[i] ?? 0);
    out.push({ value, mask: (1n << BigInt(8 * word.length)) - 1n });
  }
  return out;
}

const hex = (n: bigint) => `0x${n.toString(16)}`;

/**
 * The kernel test of one path argument: true for a relative path, a path under a watched prefix, or a path that
 * could not be read. Words of the user string are compared as integers: no string goes on the 512-byte BPF stack,
 * so every prefix is tested in one probe. A failed read gives 0 (bpf_probe_read_user zeroes), which passes the
 * path on to the agent rather than dropping it.
 */
function pathTest(arg: string, v: string, prefixes: readonly string[]): { reads: string; test: string } {
  const words = prefixes.map(prefixWords);
  const n = Math.max(1, ...words.map((w) => w.length));
  const reads = [`$${v}a = (uint64)args->${arg};`];
  for (let k = 0; k < n; k++) reads.push(`$${v}${k} = *uptr((uint64 *)($${v}a + ${8 * k}));`);
  const word = (k: number, w: { value: bigint; mask: bigint }) =>
    w.mask === (1n << 64n) - 1n ? `$${v}${k} == ${hex(w.value)}` : `($${v}${k} & ${hex(w.mask)}) == ${hex(w.value)}`;
  const terms = [`($${v}0 & 0xff) != 0x2f`];
  for (const ws of words) {
    terms.push(`(${ws.map((w, k) => word(k, w)).join(' && ')})`);
    for (let k = 1; k < ws.length; k++)
      terms.push(`(${[...ws.slice(0, k).map((w, j) => word(j, w)), `$${v}${k} == 0`].join(' && ')})`);
  }
  return { reads: reads.join(' '), test: terms.join(' || ') };
}

/** First characters of the file program's printf lines (distinct from the process and network programs'). */
export const FILE_LINE_TAGS = 'odrn';

const CALLER = 'nsecs, pid, curtask->start_boottime, curtask->self_exec_id';
const OPEN_EXITS =
  'tracepoint:syscalls:sys_exit_openat, tracepoint:syscalls:sys_exit_open, tracepoint:syscalls:sys_exit_creat';

/**
 * The bpftrace program of the file sensor. Entries of open/openat/creat (for writing), unlink/unlinkat and
 * rename/renameat/renameat2 keep the path pointer of calls under a watched prefix (or relative); the exit prints
 * one line per successful call. A write-open is printed only when it created the file, or when the same process
 * image (pid, exec count) had not opened that file (device, inode) for writing for `foldNs`, and once a minute
 * (the map is cleared then, which also bounds it): a process rewriting a file a thousand times in a burst is one
 * line, and the agent reports the burst's final content when it stops (see FilePending). Another process writing
 * the same file is always printed. The path is read from the caller's memory when the call returns.
 */
export function bpftraceFileProgram(watchPaths: readonly string[], excludePid: number, foldNs = 5_000_000_000): string {
  const x = Math.trunc(excludePid);
  for (const p of watchPaths)
    if (!/^[\w./+@:,=-]+$/.test(p))
      throw new Error(`watched path ${JSON.stringify(p)} has characters bpftrace cannot take`);
  const prefixes = watchPrefixes(watchPaths);
  const open = (probe: string, arg: string, dfd: string, flags: string) => {
    const t = pathTest(arg, 'w', prefixes);
    return `
tracepoint:syscalls:sys_enter_${probe} /pid != ${x} && (${flags} & ${WRITE_FLAGS}) != 0/ {
  ${t.reads}
  if (${t.test}) { @fn[tid] = $wa; @fd[tid] = ${dfd}; @fl[tid] = ${flags}; }
}`;
  };
  const unlink = (probe: string, dfd: string, cond: string) => {
    const t = pathTest('pathname', 'w', prefixes);
    return `
tracepoint:syscalls:sys_enter_${probe} /pid != ${x} && ${cond}/ {
  ${t.reads}
  if (${t.test}) { @un[tid] = $wa; @ud[tid] = ${dfd}; }
}`;
  };
  const rename = (probes: string, oldDfd: string, newDfd: string) => {
    const a = pathTest('oldname', 'w', prefixes);
    const b = pathTest('newname', 'v', prefixes);
    return `
${probes} /pid != ${x}/ {
  ${a.reads}
  ${b.reads}
  if (${a.test} || ${b.test}) { @ro[tid] = $wa; @rn[tid] = $va; @rd[tid] = ${oldDfd}; @re[tid] = ${newDfd}; }
}`;
  };
  return `${open('openat', 'filename', 'args->dfd', 'args->flags')}
${open('open', 'filename', '-100', 'args->flags')}
${open('creat', 'pathname', '-100', '0x241')}
${OPEN_EXITS} /@fn[tid]/ {
  $r = 0;
  if (args->ret >= 0) {
    $i = (*(curtask->files->fdt->fd + args->ret))->f_inode;
    $c = (*(curtask->files->fdt->fd + args->ret))->f_mode & ${FMODE_CREATED};
    $d = $i->i_sb->s_dev; $n = $i->i_ino; $pe = ((uint64)pid << 32) | (curtask->self_exec_id & 0xffffffff);
    $last = @lw[$d, $n, $pe];
    @lw[$d, $n, $pe] = nsecs;
    if ($c != 0 || $last == 0 || nsecs - $last > ${Math.trunc(foldNs)}) { $r = 1; @oc[tid] = $c; @oi[tid] = $n; }
  }
  if ($r == 0) { delete(@fn[tid]); delete(@fd[tid]); delete(@fl[tid]); }
}
${OPEN_EXITS} /@fn[tid]/ {
  printf("o %llu %d %llu %llu %d %d %u %llu %s\\n", ${CALLER}, @fd[tid], @fl[tid], @oc[tid], @oi[tid], str(@fn[tid]));
  delete(@fn[tid]); delete(@fd[tid]); delete(@fl[tid]); delete(@oc[tid]); delete(@oi[tid]);
}
${unlink('unlinkat', 'args->dfd', `(args->flag & ${AT_REMOVEDIR}) == 0`)}
${unlink('unlink', '-100', '1')}
tracepoint:syscalls:sys_exit_unlinkat, tracepoint:syscalls:sys_exit_unlink /@un[tid]/ {
  $fn = @un[tid]; $dfd = @ud[tid];
  delete(@un[tid]); delete(@ud[tid]);
  if (args->ret == 0) { printf("d %llu %d %llu %llu %d %s\\n", ${CALLER}, $dfd, str($fn)); }
}
${rename('tracepoint:syscalls:sys_enter_renameat2, tracepoint:syscalls:sys_enter_renameat', 'args->olddfd', 'args->newdfd')}
${rename('tracepoint:syscalls:sys_enter_rename', '-100', '-100')}
tracepoint:syscalls:sys_exit_renameat2, tracepoint:syscalls:sys_exit_renameat, tracepoint:syscalls:sys_exit_rename /@ro[tid]/ {
  $o = @ro[tid]; $nn = @rn[tid]; $od = @rd[tid]; $nd = @re[tid];
  delete(@ro[tid]); delete(@rn[tid]); delete(@rd[tid]); delete(@re[tid]);
  if (args->ret == 0) {
    printf("r %llu %d %llu %llu %d %d %s\\n", ${CALLER}, tid, $od, str($o));
    printf("n %d %d %s\\n", tid, $nd, str($nn));
  }
}
interval:s:60 { clear(@lw); }
END { clear(@lw); clear(@fn); clear(@fd); clear(@fl); clear(@oc); clear(@oi); clear(@un); clear(@ud); clear(@ro); clear(@rn); clear(@rd); clear(@re); }
`;
}

function caller(f: readonly string[]): Caller {
  return { ns: BigInt(f[1] ?? 0), pid: Number(f[2]), startNs: BigInt(f[3] ?? 0), execId: Number(f[4]) };
}

const rest = (f: readonly string[], from: number) => f.slice(from).join(' ');

function parseFilePrintf(data: string): FileLine | undefined {
  const f = data.split(' ');
  switch (f[0]) {
    case 'o':
      return fileEvent('open', caller(f), Number(f[5]), rest(f, 9), {
        flags: Number(f[6]),
        created: Number(f[7]) !== 0,
        ino: Number(f[8]),
      });
    case 'd':
      return fileEvent('unlink', caller(f), Number(f[5]), rest(f, 6));
    case 'r':
      return { kind: 'rename-from', ...caller(f), tid: Number(f[5]), dfd: Number(f[6]), path: rest(f, 7) };
    case 'n':
      return { kind: 'rename-to', tid: Number(f[1]), dfd: Number(f[2]), path: rest(f, 3) };
    default:
      return undefined;
  }
}

/** Parses one line of `bpftrace -f json` output of the file program. */
export function parseFileLine(line: string): FileLine | BpfControl | undefined {
  return parseJsonLine(line, parseFilePrintf);
}

/**
 * Joins the two lines of a rename (printed one after the other by the same probe, so they arrive in order) into
 * one event; opens and unlinks pass through.
 */
export class FileLinePairer {
  private readonly from = new Map<number, FileLine & { kind: 'rename-from' }>();

  push(l: FileLine): FileEvent | undefined {
    if (l.kind === 'rename-from') {
      this.from.set(l.tid, l);
      return undefined;
    }
    if (l.kind !== 'rename-to') return l;
    const a = this.from.get(l.tid);
    this.from.delete(l.tid);
    if (!a) return undefined;
    return fileEvent('rename', a, a.dfd, a.path, undefined, l);
  }

  /** Renames whose second line has not arrived. */
  get size(): number {
    return this.from.size;
  }
}

/** True when a file open wrote or may write (O_WRONLY, O_RDWR, O_CREAT or O_TRUNC). */
export function isWriteOpen(flags: number): boolean {
  return (flags & WRITE_FLAGS) !== 0;
}
