import type { BpfProcessEvent, FileIdentity } from './bpftrace-events.js';
import { type Caller, type FileEvent, type FileLook, fileEvent, type LookedFile } from './file-events.js';
import { ipText } from './ip-text.js';
import type { NetEvent } from './net-file-events.js';

/**
 * The binary records of vigil-collector (apps/agent/collector: the compiled libbpf collector that replaces
 * bpftrace for the process, file and network sensors). Little-endian; every record starts with a 24-byte header:
 * u32 size (the whole record), u8 kind, 3 zero bytes, u64 ns (CLOCK_MONOTONIC), u32 pid, u32 kind-specific.
 * Strings follow the fixed part, without terminators. The layout of each kind is in apps/agent/collector/README.md.
 */
export interface CollectorSink {
  process(e: BpfProcessEvent): void;
  file(e: FileEvent): void;
  /** A settle look of the collector (records 'S' and 'Q', with --settle-ms). */
  look(l: FileLook): void;
  network(e: NetEvent): void;
  /** The collector attached its programs. */
  attached(programs: number): void;
  /** Records the kernel dropped (ring buffer full), cumulative. */
  lost(total: number): void;
  /** A record the reader does not know (a newer collector), or one whose size makes no sense. */
  invalid(why: string): void;
}

const HEADER = 24;
/** A record is never larger than this (an exec: 96 + 512 + 255 + 4096 bytes). */
export const MAX_COLLECTOR_RECORD = 64 * 1024;

/**
 * A record as vigil-collector writes it: the 24-byte header (size, kind, ns, pid), the kind's fixed part of
 * `fixedSize` bytes (filled by `fixed`, from offset 20), then the strings. For tests and hand-made captures.
 */
export function encodeCollectorRecord(
  kind: string,
  ns: bigint,
  pid: number,
  fixed: (b: Buffer) => void,
  fixedSize: number,
  strings = '',
): Buffer {
  const s = Buffer.from(strings, 'utf8');
  const b = Buffer.alloc(fixedSize + s.length);
  b.writeUInt32LE(b.length, 0);
  b[4] = kind.charCodeAt(0);
  b.writeBigUInt64LE(ns, 8);
  b.writeUInt32LE(pid, 16);
  fixed(b);
  s.copy(b, fixedSize);
  return b;
}

/** True when a capture holds settle looks ('S' or 'Q' records: the collector ran with --settle-ms). */
export function captureHasLooks(capture: Buffer): boolean {
  for (let at = 0; at + HEADER <= capture.length; ) {
    const size = capture.readUInt32LE(at);
    if (size < HEADER) return false;
    const kind = capture[at + 4];
    if (kind === 0x53 || kind === 0x51) return true;
    at += size;
  }
  return false;
}

/**
 * vigil-collector's output (saved to a file) cut into the rounds it wrote: the records of each `roundMs` of kernel
 * time, from the first record's (an empty buffer for a round without any). Bytes that are not whole records end the
 * last round, for the reader to name.
 */
export function captureRounds(capture: Buffer, roundMs: number): Buffer[] {
  const rounds: Buffer[] = [];
  const roundNs = BigInt(roundMs) * 1_000_000n;
  let start = 0;
  let end = 0n;
  let at = 0;
  while (at + HEADER <= capture.length) {
    const size = capture.readUInt32LE(at);
    if (size < HEADER || at + size > capture.length) break;
    const ns = capture.readBigUInt64LE(at + 8);
    if (at === 0) end = ns + roundNs;
    while (ns >= end) {
      rounds.push(capture.subarray(start, at));
      start = at;
      end += roundNs;
    }
    at += size;
  }
  rounds.push(capture.subarray(start));
  return rounds;
}

/** Bytes as text: ASCII is copied as Latin-1 (cheaper), anything else decoded as UTF-8. */
function text(b: Buffer, from: number, to: number): string {
  for (let i = from; i < to; i++) if ((b[i] as number) >= 0x80) return b.toString('utf8', from, to);
  return b.toString('latin1', from, to);
}

/** argv from the raw argument area (NUL-separated), without the empty string after a final NUL. */
function argv(b: Buffer, from: number, to: number): string[] {
  const out: string[] = [];
  let start = from;
  for (let i = from; i < to; i++) {
    if (b[i] === 0) {
      out.push(text(b, start, i));
      start = i + 1;
    }
  }
  if (start < to) out.push(text(b, start, to));
  return out;
}

/** A u64 as a number, or undefined beyond 2^53 (not exact as a number). */
function u64(b: Buffer, at: number): number | undefined {
  const hi = b.readUInt32LE(at + 4);
  return hi < 0x200000 ? hi * 0x100000000 + b.readUInt32LE(at) : undefined;
}

/**
 * An exec record's image identity (off 48: ino, size, mtime s, mtime ns, dev, ctime s, ctime ns), absent when the
 * kernel had none.
 */
function identity(b: Buffer, at: number): FileIdentity | undefined {
  const ino = u64(b, at);
  const size = u64(b, at + 8);
  // s64 times: one before 1970 reads as too large, and the identity is left out (the image is then found by a stat)
  const mtimeSec = u64(b, at + 16);
  const ctimeSec = u64(b, at + 32);
  if (!ino || size === undefined || mtimeSec === undefined || ctimeSec === undefined) return undefined;
  return {
    dev: b.readUInt32LE(at + 28),
    ino,
    size,
    mtimeSec,
    mtimeNsec: b.readUInt32LE(at + 24),
    ctimeSec,
    ctimeNsec: b.readUInt32LE(at + 40),
  };
}

/** The fixed part of each record kind (strings follow it); a record shorter than its kind's is refused whole. */
const FIXED: Readonly<Record<string, number>> = {
  F: 32,
  E: 96,
  X: 24,
  o: 52,
  d: 40,
  r: 44,
  C: 64,
  L: 64,
  I: 64,
  U: 64,
  A: 24,
  Z: 32,
  S: 124,
  Q: 28,
};

/** Flags of an 'S' record (collector/README.md). */
const LOOK_STAT = 1;
const LOOK_HASHABLE = 2;
const LOOK_HASHES = 4;
const LOOK_LARGE = 8;

const NET_ACTION = { C: 'ConnectionSuccess', L: 'ListeningConnectionCreated', I: 'InboundConnectionAccepted' } as const;

/** The file of an 'S' record with a stat (off 32 size, 40 mtime seconds, 48 nanoseconds, 56 the hashes). */
function lookedFile(b: Buffer, at: number, flags: number): LookedFile {
  const size = Number(b.readBigUInt64LE(at + 32));
  return {
    mtimeMs: Number(b.readBigInt64LE(at + 40)) * 1e3 + b.readUInt32LE(at + 48) / 1e6,
    size,
    hashes:
      flags & LOOK_HASHES
        ? {
            sha1: b.toString('hex', at + 56, at + 76),
            sha256: b.toString('hex', at + 76, at + 108),
            md5: b.toString('hex', at + 108, at + 124),
            fileSize: size,
          }
        : undefined,
    hashable: flags & LOOK_LARGE ? undefined : (flags & LOOK_HASHABLE) !== 0,
  };
}

/**
 * Reads the collector's output stream: chunks in, decoded records out to the sink. A record split across chunks
 * is kept until its end arrives.
 */
export class CollectorReader {
  private rest: Buffer | undefined;
  records = 0;
  /** The stream went out of step (a record size that cannot be): nothing more is read from it. */
  broken = false;

  constructor(private readonly sink: CollectorSink) {}

  push(chunk: Buffer): void {
    if (this.broken) return;
    let b = chunk;
    if (this.rest) {
      b = Buffer.concat([this.rest, chunk]);
      this.rest = undefined;
    }
    let at = 0;
    while (b.length - at >= HEADER) {
      const size = b.readUInt32LE(at);
      if (size < HEADER || size > MAX_COLLECTOR_RECORD) {
        // The stream is out of step: nothing after this point can be trusted.
        this.broken = true;
        this.sink.invalid(`record of ${size} bytes at offset ${at} of a ${b.length}-byte chunk`);
        return;
      }
      if (b.length - at < size) break;
      this.records++;
      this.decode(b, at, size);
      at += size;
    }
    if (at < b.length) this.rest = Buffer.from(b.subarray(at));
  }

  private decode(b: Buffer, at: number, size: number): void {
    const kind = String.fromCharCode(b[at + 4] as number);
    const fixed = FIXED[kind];
    if (fixed === undefined) {
      this.sink.invalid(`unknown record kind '${kind}' (${size} bytes)`);
      return;
    }
    if (!this.fits(kind, size, fixed, 0)) return;
    const ns = b.readBigUInt64LE(at + 8);
    const pid = b.readUInt32LE(at + 16);
    switch (kind) {
      case 'F': {
        const childStart = b.readBigUInt64LE(at + 24);
        this.sink.process({ kind: 'fork', ns, ppid: pid, pid: b.readUInt32LE(at + 20), bootOffsetNs: childStart - ns });
        return;
      }
      case 'E': {
        const fl = b.readUInt16LE(at + 40);
        const nl = b.readUInt16LE(at + 42);
        const al = b.readUInt16LE(at + 44);
        if (!this.fits(kind, size, fixed, fl + nl + al)) return;
        const s = at + 96;
        const args = b.readUInt32LE(at + 28);
        const image = identity(b, at + 48);
        this.sink.process({
          kind: 'exec',
          ns,
          pid,
          realParent: b.readUInt32LE(at + 20),
          uid: b.readUInt32LE(at + 24),
          startNs: b.readBigUInt64LE(at + 32),
          filename: text(b, s, s + fl),
          image,
          name: text(b, s + fl, s + fl + nl),
          args: { length: args, copied: al, argv: argv(b, s + fl + nl, s + fl + nl + al) },
        });
        return;
      }
      case 'X':
        this.sink.process({ kind: 'exit', ns, pid });
        return;
      case 'o': {
        const pl = b.readUInt16LE(at + 50);
        if (!this.fits(kind, size, fixed, pl)) return;
        this.sink.file(
          fileEvent('open', this.caller(b, at, ns, pid), b.readInt32LE(at + 32), text(b, at + 52, at + 52 + pl), {
            flags: b.readUInt32LE(at + 36),
            ino: Number(b.readBigUInt64LE(at + 40)),
            created: b[at + 48] !== 0,
          }),
        );
        return;
      }
      case 'd': {
        const pl = b.readUInt16LE(at + 36);
        if (!this.fits(kind, size, fixed, pl)) return;
        this.sink.file(
          fileEvent('unlink', this.caller(b, at, ns, pid), b.readInt32LE(at + 32), text(b, at + 40, at + 40 + pl)),
        );
        return;
      }
      case 'r': {
        const ol = b.readUInt16LE(at + 40);
        const nl = b.readUInt16LE(at + 42);
        if (!this.fits(kind, size, fixed, ol + nl)) return;
        this.sink.file(
          fileEvent(
            'rename',
            this.caller(b, at, ns, pid),
            b.readInt32LE(at + 32),
            text(b, at + 44, at + 44 + ol),
            undefined,
            { dfd: b.readInt32LE(at + 36), path: text(b, at + 44 + ol, at + 44 + ol + nl) },
          ),
        );
        return;
      }
      case 'C':
      case 'L':
      case 'I':
      case 'U': {
        const v4 = b[at + 20] === 2;
        const addr = (o: number) => ipText(b.subarray(at + o, at + o + (v4 ? 4 : 16)));
        const protocol = b[at + 21] === 17 ? 'Udp' : 'Tcp';
        this.sink.network({
          kind: 'net',
          ns,
          pid,
          actionType:
            kind === 'C' && b[at + 22] !== 1
              ? 'ConnectionFailed'
              : kind === 'U'
                ? 'ConnectionSuccess'
                : NET_ACTION[kind],
          protocol,
          localIp: addr(32),
          localPort: b.readUInt16LE(at + 24),
          remoteIp: addr(48),
          remotePort: b.readUInt16LE(at + 26),
        });
        return;
      }
      case 'S': {
        const pl = b.readUInt16LE(at + 28);
        if (!this.fits(kind, size, fixed, pl)) return;
        const what = b.readUInt32LE(at + 20);
        const flags = b.readUInt32LE(at + 24);
        const path = text(b, at + 124, at + 124 + pl);
        this.sink.look({
          kind: 'look',
          ns,
          what: what === 2 ? 'changed' : 'settled',
          path,
          file: flags & LOOK_STAT ? lookedFile(b, at, flags) : undefined,
        });
        return;
      }
      case 'Q': {
        const pl = b.readUInt16LE(at + 24);
        if (!this.fits(kind, size, fixed, pl)) return;
        this.sink.look({ kind: 'look', ns, what: 'quiet', path: text(b, at + 28, at + 28 + pl), file: undefined });
        return;
      }
      case 'A':
        this.sink.attached(b.readUInt32LE(at + 20));
        return;
      case 'Z':
        this.sink.lost(Number(b.readBigUInt64LE(at + 24)));
        return;
    }
  }

  /** The calling process of a file record (off 20: self_exec_id, off 24: start_boottime). */
  private caller(b: Buffer, at: number, ns: bigint, pid: number): Caller {
    return { ns, pid, startNs: b.readBigUInt64LE(at + 24), execId: b.readUInt32LE(at + 20) };
  }

  /** The record holds its fixed part and `strings` bytes after it (else it is reported and skipped). */
  private fits(kind: string, size: number, fixed: number, strings: number): boolean {
    if (fixed + strings <= size) return true;
    this.sink.invalid(`'${kind}' record of ${size} bytes is shorter than its fields (${fixed + strings})`);
    return false;
  }
}
