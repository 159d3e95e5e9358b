import { type BpfControl, parseJsonLine } from './bpf-json.js';
import { ipText } from './ip-text.js';
import { remoteIpType } from './logon-event.js';
import { additionalFields, baseName, initiatingColumns, type SensorRow } from './process-row.js';
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

/** First characters of the network program's printf lines. */
export const NETWORK_LINE_TAGS = 'CLIU';

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

/** Parses one line of `bpftrace -f json` output of the network program. */
export function parseNetworkLine(line: string): NetEvent | BpfControl | undefined {
  return parseJsonLine(line, parseNetPrintf);
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

/** An address of /proc/net (hex, 32-bit words in host order: little-endian here) as text. */
function hexIp(hex: string): string {
  const bytes: number[] = [];
  for (let w = 0; w < hex.length / 8; w++) {
    const n = Number.parseInt(hex.slice(w * 8, w * 8 + 8), 16);
    bytes.push(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24);
  }
  return ipText(Uint8Array.from(bytes));
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
  return {
    Table: 'DeviceNetworkEvents',
    Timestamp: timestamp,
    ActionType: e.actionType,
    Protocol: e.protocol,
    RemoteIP: e.remoteIp || undefined,
    RemoteIPType: e.remoteIp ? ipType(e.remoteIp) : undefined,
    RemotePort: e.remotePort,
    LocalIP: e.localIp || undefined,
    LocalIPType: e.localIp ? ipType(e.localIp) : undefined,
    LocalPort: e.localPort,
    ...initiatingColumns(initiator, parent),
    AdditionalFields: additionalFields(notes, initiator),
  };
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
  return {
    Table: 'DeviceFileEvents',
    Timestamp: timestamp,
    ActionType: actionType,
    FileName: baseName(path),
    FolderPath: path,
    SHA1: hashes?.sha1 || undefined,
    SHA256: hashes?.sha256 || undefined,
    MD5: hashes?.md5 || undefined,
    FileSize: hashes?.fileSize,
    PreviousFolderPath: previousPath,
    PreviousFileName: previousPath !== undefined ? baseName(previousPath) : undefined,
    RequestProtocol: 'Local',
    ...initiatingColumns(initiator, parent),
    AdditionalFields: additionalFields(notes, initiator),
  };
}
