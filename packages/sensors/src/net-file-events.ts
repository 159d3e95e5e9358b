import { remoteIpType } from './logon-event.js';
import { baseName, initiatingColumns, type SensorRow } from './process-row.js';
import type { ProcessInfo } from './process-tree.js';

/**
 * The bpftrace program of the eBPF network sensor (tracepoints only: it needs neither kprobes nor ftrace).
 * - TCP connect: sock:inet_sock_set_state CLOSE→SYN_SENT runs in the connecting process (its pid is kept by
 *   socket address); SYN_SENT→ESTABLISHED or →CLOSE (softirq) reports success or failure with that pid.
 * - TCP listen: CLOSE→LISTEN, in the process calling listen().
 * - TCP accept: the exit of accept/accept4 reads the new socket from the caller's file table.
 * - UDP connect: the exit of connect on a UDP socket, read from the file table.
 * The agent's own pid is left out (its uploads would otherwise report themselves).
 */
export function bpftraceNetworkProgram(excludePid: number): string {
  const x = Math.trunc(excludePid);
  const sk = (v: string) =>
    `${v}->__sk_common.skc_family, ${v}->sk_protocol, ntop(2, ${v}->__sk_common.skc_rcv_saddr), ${v}->__sk_common.skc_num, ` +
    `ntop(2, ${v}->__sk_common.skc_daddr), ${v}->__sk_common.skc_dport, ` +
    `ntop(${v}->__sk_common.skc_v6_rcv_saddr.in6_u.u6_addr8), ntop(${v}->__sk_common.skc_v6_daddr.in6_u.u6_addr8)`;
  return `
tracepoint:sock:inet_sock_set_state /args->protocol == 6/ {
  if (args->newstate == 2) {
    if (pid != ${x}) { @cpid[args->skaddr] = pid; }
  } else if (args->oldstate == 2) {
    $p = @cpid[args->skaddr];
    delete(@cpid[args->skaddr]);
    if ($p != 0) {
      printf("C %llu %d %d %d %s %d %s %d %s %s\\n", nsecs, $p, args->newstate, args->family, ntop(args->saddr), args->sport, ntop(args->daddr), args->dport, ntop(args->saddr_v6), ntop(args->daddr_v6));
    }
  } else if (args->newstate == 10 && pid != ${x}) {
    printf("L %llu %d %d %d %s %d %s %d %s %s\\n", nsecs, pid, 10, args->family, ntop(args->saddr), args->sport, ntop(args->daddr), args->dport, ntop(args->saddr_v6), ntop(args->daddr_v6));
  }
}
tracepoint:syscalls:sys_enter_accept, tracepoint:syscalls:sys_enter_accept4 /pid != ${x}/ { @acc[tid] = 1; }
tracepoint:syscalls:sys_exit_accept, tracepoint:syscalls:sys_exit_accept4 /@acc[tid]/ {
  delete(@acc[tid]);
  if (args->ret >= 0) {
    $f = *(curtask->files->fdt->fd + args->ret);
    $s = ((struct socket *)$f->private_data)->sk;
    if ($s->__sk_common.skc_family == 2 || $s->__sk_common.skc_family == 10) {
      printf("I %llu %d %d %d %s %d %s %d %s %s\\n", nsecs, pid, ${sk('$s')});
    }
  }
}
tracepoint:syscalls:sys_enter_connect /pid != ${x}/ { @cfd[tid] = args->fd + 1; }
tracepoint:syscalls:sys_exit_connect /@cfd[tid]/ {
  $fd = @cfd[tid] - 1;
  delete(@cfd[tid]);
  if (args->ret == 0) {
    $f = *(curtask->files->fdt->fd + $fd);
    $s = ((struct socket *)$f->private_data)->sk;
    if ($s->sk_protocol == 17 && ($s->__sk_common.skc_family == 2 || $s->__sk_common.skc_family == 10)) {
      printf("U %llu %d %d %d %s %d %s %d %s %s\\n", nsecs, pid, ${sk('$s')});
    }
  }
}
`;
}

/** A connection as the network sensor saw it. */
export interface NetEvent {
  readonly kind: 'net';
  readonly ns: bigint;
  readonly pid: number;
  readonly actionType:
    | 'ConnectionSuccess'
    | 'ConnectionFailed'
    | 'InboundConnectionAccepted'
    | 'ListeningConnectionCreated';
  readonly protocol: 'Tcp' | 'Udp';
  readonly localIp: string;
  readonly localPort: number;
  readonly remoteIp: string;
  readonly remotePort: number;
}

/** An IPv4-mapped IPv6 address as plain IPv4. */
export function plainIp(ip: string): string {
  return ip.toLowerCase().startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}

const swap16 = (n: number) => ((n & 0xff) << 8) | ((n >> 8) & 0xff);

function parseNetPrintf(line: string): NetEvent | undefined {
  const f = line.split(' ');
  const tag = f[0];
  if (tag === 'C' || tag === 'L') {
    // C ns pid newstate family saddr sport daddr dport saddr6 daddr6
    const v6 = Number(f[4]) === 10;
    const newstate = Number(f[3]);
    const actionType =
      tag === 'L' ? 'ListeningConnectionCreated' : newstate === 1 ? 'ConnectionSuccess' : 'ConnectionFailed';
    return {
      kind: 'net',
      ns: BigInt(f[1] ?? 0),
      pid: Number(f[2]),
      actionType,
      protocol: 'Tcp',
      localIp: plainIp((v6 ? f[9] : f[5]) ?? ''),
      localPort: Number(f[6]),
      remoteIp: plainIp((v6 ? f[10] : f[7]) ?? ''),
      remotePort: Number(f[8]),
    };
  }
  if (tag === 'I' || tag === 'U') {
    // I ns pid family proto laddr lport raddr rport(network order) laddr6 raddr6
    const v6 = Number(f[3]) === 10;
    return {
      kind: 'net',
      ns: BigInt(f[1] ?? 0),
      pid: Number(f[2]),
      actionType: tag === 'I' ? 'InboundConnectionAccepted' : 'ConnectionSuccess',
      protocol: Number(f[4]) === 17 ? 'Udp' : 'Tcp',
      localIp: plainIp((v6 ? f[9] : f[5]) ?? ''),
      localPort: Number(f[6]),
      remoteIp: plainIp((v6 ? f[10] : f[7]) ?? ''),
      remotePort: swap16(Number(f[8])),
    };
  }
  return undefined;
}

/** A file change as the file sensor saw it (paths as the process gave them; relative ones need its cwd). */
export type FileEvent =
  | {
      readonly kind: 'open';
      readonly ns: bigint;
      readonly pid: number;
      readonly dfd: number;
      readonly flags: number;
      /** The open created the file (FMODE_CREATED). */
      readonly created: boolean;
      readonly path: string;
    }
  | { readonly kind: 'unlink'; readonly ns: bigint; readonly pid: number; readonly dfd: number; readonly path: string }
  | {
      readonly kind: 'rename';
      readonly ns: bigint;
      readonly pid: number;
      readonly oldDfd: number;
      readonly newDfd: number;
      readonly oldPath: string;
      readonly newPath: string;
    };

/** FMODE_CREATED of struct file: set when the open created the file. */
export const FMODE_CREATED = 0x100000;
/** O_WRONLY | O_RDWR | O_CREAT | O_TRUNC. */
const WRITE_FLAGS = 0x243;
const AT_REMOVEDIR = 0x200;

function bpfStringLiteral(s: string): string {
  if (!/^[\w./+@:,=-]+$/.test(s))
    throw new Error(`watched path ${JSON.stringify(s)} has characters bpftrace cannot take`);
  return `"${s}"`;
}

/** Watched directories as prefixes ending in '/', without duplicates. */
export function watchPrefixes(paths: readonly string[]): string[] {
  const out = new Set<string>();
  for (const p of paths) {
    if (!p.startsWith('/')) continue;
    out.add(p.endsWith('/') ? p : `${p}/`);
  }
  return [...out];
}

/**
 * The bpftrace program of the file sensor: syscall tracepoints of open/openat/creat for writing (the exit reads
 * FMODE_CREATED from the new file), unlink/unlinkat and rename/renameat/renameat2. The BPF stack (512 bytes)
 * holds one path at a time, so the entry prints each path on its own line and the exit prints the result; the
 * agent pairs them by thread. Absolute paths are filtered to the watched prefixes in the kernel; relative ones
 * go to the agent, which resolves them with the process's cwd or directory descriptor.
 */
export function bpftraceFileProgram(watchPaths: readonly string[], excludePid: number): string {
  const x = Math.trunc(excludePid);
  // bpftrace string literals are at most 63 bytes: longer prefixes are cut (the agent checks the full one).
  const prefixes = [...new Set(watchPrefixes(watchPaths).map((p) => p.slice(0, 63)))];
  const tests = [
    `strncmp($p, "/", 1) != 0`,
    ...prefixes.map((p) => `strncmp($p, ${bpfStringLiteral(p)}, ${Buffer.byteLength(p)}) == 0`),
  ];
  // One probe per prefix: each string literal takes BPF stack, and the stack holds only 512 bytes.
  const pathEnter = (probes: string, name: string, cond = '1') =>
    tests
      .map(
        (t) => `
${probes} /pid != ${x} && @on[tid] == 0 && ${cond}/ {
  $p = str(args->${name});
  if (${t}) { @on[tid] = 1; }
}`,
      )
      .join('');
  const pathPrint = (probes: string, name: string, tag: string, dfd: string, cond = '1') => `
${probes} /@on[tid] && ${cond}/ {
  printf("${tag}\\t%llu\\t%d\\t%d\\t%d\\t%s\\n", nsecs, pid, tid, ${dfd}, str(args->${name}));
}`;
  const openEnter = (probe: string, name: string, dfd: string, flags: string) => `
${pathEnter(`tracepoint:syscalls:sys_enter_${probe}`, name, `(${flags} & ${WRITE_FLAGS}) != 0`)}
tracepoint:syscalls:sys_enter_${probe} /@on[tid]/ {
  printf("o\\t%llu\\t%d\\t%d\\t%d\\t%d\\t%s\\n", nsecs, pid, tid, ${dfd}, ${flags}, str(args->${name}));
}`;
  const ren2 = 'tracepoint:syscalls:sys_enter_renameat2, tracepoint:syscalls:sys_enter_renameat';
  const ren1 = 'tracepoint:syscalls:sys_enter_rename';
  return `${openEnter('openat', 'filename', 'args->dfd', 'args->flags')}
${openEnter('open', 'filename', '-100', 'args->flags')}
${openEnter('creat', 'pathname', '-100', '0x241')}
tracepoint:syscalls:sys_exit_openat, tracepoint:syscalls:sys_exit_open, tracepoint:syscalls:sys_exit_creat /@on[tid]/ {
  delete(@on[tid]);
  $m = 0;
  if (args->ret >= 0) { $m = (*(curtask->files->fdt->fd + args->ret))->f_mode & ${FMODE_CREATED}; }
  printf("O\\t%llu\\t%d\\t%d\\t%u\\n", nsecs, tid, args->ret, $m);
}
${pathEnter('tracepoint:syscalls:sys_enter_unlinkat', 'pathname', `(args->flag & ${AT_REMOVEDIR}) == 0`)}
${pathPrint('tracepoint:syscalls:sys_enter_unlinkat', 'pathname', 'd', 'args->dfd', `(args->flag & ${AT_REMOVEDIR}) == 0`)}
${pathEnter('tracepoint:syscalls:sys_enter_unlink', 'pathname')}
${pathPrint('tracepoint:syscalls:sys_enter_unlink', 'pathname', 'd', '-100')}
${pathEnter(ren2, 'oldname')}
${pathEnter(ren2, 'newname')}
${pathPrint(ren2, 'oldname', 'r', 'args->olddfd')}
${pathPrint(ren2, 'newname', 'n', 'args->newdfd')}
${pathEnter(ren1, 'oldname')}
${pathEnter(ren1, 'newname')}
${pathPrint(ren1, 'oldname', 'r', '-100')}
${pathPrint(ren1, 'newname', 'n', '-100')}
tracepoint:syscalls:sys_exit_unlinkat, tracepoint:syscalls:sys_exit_unlink, tracepoint:syscalls:sys_exit_renameat2, tracepoint:syscalls:sys_exit_renameat, tracepoint:syscalls:sys_exit_rename /@on[tid]/ {
  delete(@on[tid]);
  printf("X\\t%llu\\t%d\\t%d\\n", nsecs, tid, args->ret);
}
`;
}

/** One line of the file program: a path given to a syscall (entry) or the syscall's result (exit). */
export type FileLine =
  | {
      readonly kind: 'path';
      /** o: open for writing, d: unlink, r: rename source, n: rename target. */
      readonly tag: 'o' | 'd' | 'r' | 'n';
      readonly ns: bigint;
      readonly pid: number;
      readonly tid: number;
      readonly dfd: number;
      readonly flags: number;
      readonly path: string;
    }
  | {
      readonly kind: 'result';
      readonly ns: bigint;
      readonly tid: number;
      readonly ret: number;
      readonly created: boolean;
    };

function parseFilePrintf(line: string): FileLine | undefined {
  const f = line.split('\t');
  const tag = f[0];
  if (tag === 'o') {
    return {
      kind: 'path',
      tag,
      ns: BigInt(f[1] ?? 0),
      pid: Number(f[2]),
      tid: Number(f[3]),
      dfd: Number(f[4]),
      flags: Number(f[5]),
      path: f.slice(6).join('\t'),
    };
  }
  if (tag === 'd' || tag === 'r' || tag === 'n') {
    return {
      kind: 'path',
      tag,
      ns: BigInt(f[1] ?? 0),
      pid: Number(f[2]),
      tid: Number(f[3]),
      dfd: Number(f[4]),
      flags: 0,
      path: f.slice(5).join('\t'),
    };
  }
  if (tag === 'O' || tag === 'X') {
    return {
      kind: 'result',
      ns: BigInt(f[1] ?? 0),
      tid: Number(f[2]),
      ret: Number(f[3]),
      created: Number(f[4] ?? 0) !== 0,
    };
  }
  return undefined;
}

/**
 * Pairs the entry and exit lines of one thread's syscalls into file events. Lines must be fed in kernel-time
 * order (the agent sorts them in a short reorder window: entry and exit may come from different CPU buffers).
 */
export class FileLinePairer {
  private readonly open = new Map<number, (FileLine & { kind: 'path' })[]>();

  /** Feeds one line; returns the completed event, if any. */
  push(l: FileLine): FileEvent | undefined {
    if (l.kind === 'path') {
      const list = l.tag === 'n' ? (this.open.get(l.tid) ?? []) : [];
      list.push(l);
      this.open.set(l.tid, list);
      return undefined;
    }
    const list = this.open.get(l.tid);
    this.open.delete(l.tid);
    const first = list?.[0];
    if (!first || l.ret < 0) return undefined;
    if (first.tag === 'o') {
      return {
        kind: 'open',
        ns: first.ns,
        pid: first.pid,
        dfd: first.dfd,
        flags: first.flags,
        created: l.created,
        path: first.path,
      };
    }
    if (first.tag === 'd') return { kind: 'unlink', ns: first.ns, pid: first.pid, dfd: first.dfd, path: first.path };
    const second = list[1];
    if (first.tag === 'r' && second?.tag === 'n') {
      return {
        kind: 'rename',
        ns: first.ns,
        pid: first.pid,
        oldDfd: first.dfd,
        newDfd: second.dfd,
        oldPath: first.path,
        newPath: second.path,
      };
    }
    return undefined;
  }

  /** Threads with an entry but no exit yet. */
  get size(): number {
    return this.open.size;
  }

  clear(): void {
    this.open.clear();
  }
}

/** Control lines of bpftrace -f json that every program has. */
export type BpfControl =
  | { readonly kind: 'attached'; readonly probes: number }
  | { readonly kind: 'lost'; readonly events: number }
  | { readonly kind: 'other'; readonly text: string };

function parseJsonLine<T>(line: string, printf: (data: string) => T | undefined): T | BpfControl | undefined {
  if (line.trim() === '') return undefined;
  let msg: { type?: string; data?: unknown };
  try {
    msg = JSON.parse(line) as { type?: string; data?: unknown };
  } catch {
    return { kind: 'other', text: line };
  }
  if (msg.type === 'printf' && typeof msg.data === 'string') {
    const data = msg.data.endsWith('\n') ? msg.data.slice(0, -1) : msg.data;
    return printf(data) ?? { kind: 'other', text: data };
  }
  if (msg.type === 'attached_probes') {
    return { kind: 'attached', probes: Number((msg.data as { probes?: number } | undefined)?.probes ?? 0) };
  }
  if (msg.type === 'lost_events') {
    return { kind: 'lost', events: Number((msg.data as { events?: number } | undefined)?.events ?? 0) };
  }
  return { kind: 'other', text: line };
}

/** Parses one line of `bpftrace -f json` output of the network program. */
export function parseNetworkLine(line: string): NetEvent | BpfControl | undefined {
  return parseJsonLine(line, parseNetPrintf);
}

/** Parses one line of `bpftrace -f json` output of the file program. */
export function parseFileLine(line: string): FileLine | BpfControl | undefined {
  return parseJsonLine(line, parseFilePrintf);
}

/** True when a file open wrote or may write (O_WRONLY, O_RDWR, O_CREAT or O_TRUNC). */
export function isWriteOpen(flags: number): boolean {
  return (flags & WRITE_FLAGS) !== 0;
}

/** One socket of /proc/net/{tcp,tcp6,udp,udp6}. */
export interface ProcNetSocket {
  readonly localIp: string;
  readonly localPort: number;
  readonly remoteIp: string;
  readonly remotePort: number;
  /** Kernel state: 1 ESTABLISHED, 2 SYN_SENT, 10 LISTEN, 7 CLOSE (unconnected UDP) … */
  readonly state: number;
  readonly inode: number;
}

function hexIp(hex: string): string {
  if (hex.length === 8) {
    const n = Number.parseInt(hex, 16);
    return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24].join('.');
  }
  // Four little-endian 32-bit words.
  const bytes: number[] = [];
  for (let w = 0; w < 4; w++) {
    const n = Number.parseInt(hex.slice(w * 8, w * 8 + 8), 16);
    bytes.push(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24);
  }
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
    return bytes.slice(12).join('.');
  }
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  const full = groups.join(':');
  // Compress the longest run of zero groups.
  const m = [...full.matchAll(/(?:^|:)(0(?::0)+)(?::|$)/g)].sort((a, b) => b[0].length - a[0].length)[0];
  if (!m) return full;
  const start = m.index ?? 0;
  return `${full.slice(0, start)}::${full.slice(start + m[0].length)}`.replace(/^:::/, '::').replace(/:::$/, '::');
}

/** Parses /proc/net/tcp, tcp6, udp or udp6. */
export function parseProcNet(text: string): ProcNetSocket[] {
  const out: ProcNetSocket[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10) continue;
    const [lip, lport] = (f[1] ?? '').split(':');
    const [rip, rport] = (f[2] ?? '').split(':');
    if (!lip || !lport || !rip || !rport) continue;
    out.push({
      localIp: hexIp(lip),
      localPort: Number.parseInt(lport, 16),
      remoteIp: hexIp(rip),
      remotePort: Number.parseInt(rport, 16),
      state: Number.parseInt(f[3] ?? '0', 16),
      inode: Number(f[9]),
    });
  }
  return out;
}

/** What else a network or file row records about how it was observed. */
export interface EventNotes {
  readonly source: string;
  readonly [key: string]: unknown;
}

/** A DeviceNetworkEvents row. */
export function networkEventRow(
  timestamp: string,
  e: Omit<NetEvent, 'kind' | 'ns' | 'pid'>,
  initiator: ProcessInfo | undefined,
  parent: ProcessInfo | undefined,
  notes: EventNotes,
): SensorRow {
  const row: Record<string, unknown> = {
    Table: 'DeviceNetworkEvents',
    Timestamp: timestamp,
    ActionType: e.actionType,
    Protocol: e.protocol,
  };
  if (e.remoteIp) {
    row.RemoteIP = e.remoteIp;
    row.RemoteIPType = ipType(e.remoteIp);
  }
  row.RemotePort = e.remotePort;
  if (e.localIp) {
    row.LocalIP = e.localIp;
    row.LocalIPType = ipType(e.localIp);
  }
  row.LocalPort = e.localPort;
  Object.assign(row, initiatingColumns(initiator, parent));
  row.AdditionalFields = JSON.stringify(notes);
  return row as SensorRow;
}

/** Classifies an address as Public, Private, Loopback, LinkLocal, Reserved, Broadcast, Teredo or Unspecified. */
export function ipType(ip: string): string {
  if (ip === '0.0.0.0' || ip === '::') return 'Unspecified';
  return remoteIpType(ip) || 'Unknown';
}

/** A DeviceFileEvents row. FolderPath is the full path, file name included, as Defender and the Windows importers fill it. */
export function fileEventRow(
  timestamp: string,
  actionType: 'FileCreated' | 'FileModified' | 'FileDeleted' | 'FileRenamed',
  path: string,
  hashes: { sha1?: string; sha256?: string; md5?: string; fileSize?: number } | undefined,
  previousPath: string | undefined,
  initiator: ProcessInfo | undefined,
  parent: ProcessInfo | undefined,
  notes: EventNotes,
): SensorRow {
  const row: Record<string, unknown> = {
    Table: 'DeviceFileEvents',
    Timestamp: timestamp,
    ActionType: actionType,
    FileName: baseName(path),
    FolderPath: path,
  };
  if (hashes?.sha1) row.SHA1 = hashes.sha1;
  if (hashes?.sha256) row.SHA256 = hashes.sha256;
  if (hashes?.md5) row.MD5 = hashes.md5;
  if (hashes?.fileSize !== undefined) row.FileSize = hashes.fileSize;
  if (previousPath !== undefined) {
    row.PreviousFolderPath = previousPath;
    row.PreviousFileName = baseName(previousPath);
  }
  row.RequestProtocol = 'Local';
  Object.assign(row, initiatingColumns(initiator, parent));
  row.AdditionalFields = JSON.stringify(notes);
  return row as SensorRow;
}
