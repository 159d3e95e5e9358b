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
  /**
   * A file row the collector made, a writer it names first, or its file path's counters (records 'W', 'i' and 'T',
   * with --file-rows).
   */
  fileRow(r: CollectorFileRow | CollectorWriter | CollectorFileCounters): void;
  network(e: NetEvent): void;
  /** The collector attached its programs. */
  attached(programs: number): void;
  /** Records the kernel dropped (ring buffer full), cumulative. */
  lost(total: number): void;
  /** A record the reader does not know (a newer collector), or one whose size makes no sense. */
  invalid(why: string): void;
}

/** The process behind a file event, as file records name it (the key of the agent's initiator cache). */
export interface CollectorWriter {
  readonly kind: 'writer';
  readonly pid: number;
  /** Its start time (start_boottime, ns). */
  readonly startNs: bigint;
  /** Its exec count (self_exec_id). */
  readonly execId: number;
}

/**
 * A DeviceFileEvents row made by vigil-collector (--file-rows: record 'W'): the file columns, the writer, the time.
 * The agent completes it with the writer's InitiatingProcess* columns, AdditionalFields, Timestamp and ReportId.
 */
export interface CollectorFileRow {
  readonly kind: 'row';
  readonly pid: number;
  readonly startNs: bigint;
  readonly execId: number;
  /** When it happened (CLOCK_REALTIME, ms): the event's arrival, or the file's mtime for folded writes. */
  readonly timeMs: number;
  /** The row's file columns as JSON members without braces: ActionType, FileName, FolderPath ... RequestProtocol. */
  readonly json: Buffer;
}

/** The counters of the collector's file path (record 'T', with --file-rows), in the record's order. */
export const COLLECTOR_FILE_COUNTERS = [
  'events',
  'merged',
  'hashed',
  'outsideWatch',
  'unresolved',
  'trailingRows',
  'foldedIntoDelete',
  'forcedEarly',
  'settleChecks',
] as const;

/**
 * The collector's file path counters since it started (the agent's FileStats of the same names), and the paths it
 * holds waiting or watched now.
 */
export type CollectorFileCounters = { readonly kind: 'counters'; readonly pendingPaths: number } & {
  readonly [K in (typeof COLLECTOR_FILE_COUNTERS)[number]]: number;
};

/** The kinds of record, by their byte. */
const K = {
  fork: 0x46, // F
  exec: 0x45, // E
  exit: 0x58, // X
  open: 0x6f, // o
  unlink: 0x64, // d
  rename: 0x72, // r
  connect: 0x43, // C
  listen: 0x4c, // L
  accept: 0x49, // I
  udp: 0x55, // U
  attached: 0x41, // A
  lost: 0x5a, // Z
  look: 0x53, // S
  quiet: 0x51, // Q
  row: 0x57, // W
  writer: 0x69, // i
  counters: 0x54, // T
  leaf: 0x50, // P
} as const;

const HEADER = 24;
/** A record is never larger than this (an exec: 96 + 512 + 255 + 4096 bytes). */
export const MAX_COLLECTOR_RECORD = 64 * 1024;

/**
 * A record as vigil-collector writes it: the 24-byte header (size, kind, ns, pid), the kind's fixed part of
 * `fixedSize` bytes (filled by `fixed`, from offset 20), then the strings (text as UTF-8, or bytes as they are). For
 * tests and hand-made captures.
 */
export function encodeCollectorRecord(
  kind: string,
  ns: bigint,
  pid: number,
  fixed: (b: Buffer) => void,
  fixedSize: number,
  strings: string | Buffer = '',
): Buffer {
  const s = typeof strings === 'string' ? Buffer.from(strings, 'utf8') : strings;
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
    if (kind === K.look || kind === K.quiet || kind === K.row) return true;
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
function u64(v: DataView, at: number): number | undefined {
  const hi = v.getUint32(at + 4, true);
  return hi < 0x200000 ? hi * 0x100000000 + v.getUint32(at, true) : undefined;
}

/**
 * An exec record's image identity (off 48: ino, size, mtime s, mtime ns, dev, ctime s, ctime ns), absent when the
 * kernel had none.
 */
function identity(v: DataView, at: number): FileIdentity | undefined {
  const ino = u64(v, at);
  const size = u64(v, at + 8);
  // s64 times: one before 1970 reads as too large, and the identity is left out (the image is then found by a stat)
  const mtimeSec = u64(v, at + 16);
  const ctimeSec = u64(v, at + 32);
  if (!ino || size === undefined || mtimeSec === undefined || ctimeSec === undefined) return undefined;
  return {
    dev: v.getUint32(at + 28, true),
    ino,
    size,
    mtimeSec,
    mtimeNsec: v.getUint32(at + 24, true),
    ctimeSec,
    ctimeNsec: v.getUint32(at + 40, true),
  };
}

/** The fixed part of each record kind, by its byte (strings follow it); a record shorter than its kind's is refused. */
const FIXED_SIZES: Readonly<Record<number, number>> = {
  [K.fork]: 32,
  [K.exec]: 96,
  [K.exit]: 24,
  [K.open]: 52,
  [K.unlink]: 40,
  [K.rename]: 44,
  [K.connect]: 64,
  [K.listen]: 64,
  [K.accept]: 64,
  [K.udp]: 64,
  [K.attached]: 24,
  [K.lost]: 32,
  [K.look]: 124,
  [K.quiet]: 28,
  [K.row]: 48,
  [K.writer]: 32,
  [K.counters]: 64,
  [K.leaf]: 48,
};
/** FIXED_SIZES as an array indexed by the byte (an object with these keys would keep them in a dictionary). */
const FIXED: readonly (number | undefined)[] = Array.from({ length: 128 }, (_, kind) => FIXED_SIZES[kind]);

/** Flags of an 'S' record (collector/README.md). */
const LOOK_STAT = 1;
const LOOK_HASHABLE = 2;
const LOOK_HASHES = 4;
const LOOK_LARGE = 8;

/** The file of an 'S' record with a stat (off 32 size, 40 mtime seconds, 48 nanoseconds, 56 the hashes). */
function lookedFile(b: Buffer, v: DataView, at: number, flags: number): LookedFile {
  const size = Number(v.getBigUint64(at + 32, true));
  return {
    mtimeMs: Number(v.getBigInt64(at + 40, true)) * 1e3 + v.getUint32(at + 48, true) / 1e6,
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

/** The action of a network record ('C' with its success byte at off 22). */
function netAction(kind: number, b: Buffer, at: number): NetEvent['actionType'] {
  if (kind === K.listen) return 'ListeningConnectionCreated';
  if (kind === K.accept) return 'InboundConnectionAccepted';
  return kind === K.connect && b[at + 22] !== 1 ? 'ConnectionFailed' : 'ConnectionSuccess';
}

/**
 * Reads the collector's output stream: chunks in, decoded records out to the sink. A record split across chunks
 * is kept until its end arrives. Fields are read through a DataView of the chunk (Buffer's read methods check
 * their offset, and build a 64-bit value as a sum of four BigInts), and each kind of record has a method of its
 * own: V8 optimizes them apart, so that a kind first met late (a settle look, a delete) recompiles only its own.
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
    const v = new DataView(b.buffer, b.byteOffset, b.length);
    let at = 0;
    while (b.length - at >= HEADER) {
      const size = v.getUint32(at, true);
      if (size < HEADER || size > MAX_COLLECTOR_RECORD) {
        // The stream is out of step: nothing after this point can be trusted.
        this.broken = true;
        this.sink.invalid(`record of ${size} bytes at offset ${at} of a ${b.length}-byte chunk`);
        return;
      }
      if (b.length - at < size) break;
      this.records++;
      this.decode(b, v, at, size);
      at += size;
    }
    if (at < b.length) this.rest = Buffer.from(b.subarray(at));
  }

  private decode(b: Buffer, v: DataView, at: number, size: number): void {
    const kind = b[at + 4] as number;
    if (FIXED[kind] === undefined) {
      this.sink.invalid(`unknown record kind '${String.fromCharCode(kind)}' (${size} bytes)`);
      return;
    }
    if (!this.fits(kind, size, 0)) return;
    switch (kind) {
      case K.fork:
        this.fork(v, at);
        break;
      case K.exec:
        this.exec(b, v, at, size);
        break;
      case K.exit:
        this.sink.process({ kind: 'exit', ns: v.getBigUint64(at + 8, true), pid: v.getUint32(at + 16, true) });
        break;
      case K.open:
        this.open(b, v, at, size);
        break;
      case K.unlink:
        this.unlink(b, v, at, size);
        break;
      case K.rename:
        this.rename(b, v, at, size);
        break;
      case K.look:
        this.look(b, v, at, size);
        break;
      case K.quiet:
        this.quiet(b, v, at, size);
        break;
      case K.row:
        this.row(b, v, at, size);
        break;
      case K.counters:
        this.counters(v, at);
        break;
      case K.leaf:
        this.leaf(b, v, at, size);
        break;
      case K.writer:
        this.sink.fileRow({
          kind: 'writer',
          pid: v.getUint32(at + 16, true),
          startNs: v.getBigUint64(at + 24, true),
          execId: v.getUint32(at + 20, true),
        });
        break;
      case K.attached:
        this.sink.attached(v.getUint32(at + 20, true));
        break;
      case K.lost:
        this.sink.lost(Number(v.getBigUint64(at + 24, true)));
        break;
      default:
        this.net(kind, b, v, at);
        break;
    }
  }

  private fork(v: DataView, at: number): void {
    const ns = v.getBigUint64(at + 8, true);
    this.sink.process({
      kind: 'fork',
      ns,
      ppid: v.getUint32(at + 16, true),
      pid: v.getUint32(at + 20, true),
      bootOffsetNs: v.getBigUint64(at + 24, true) - ns,
    });
  }

  private exec(b: Buffer, v: DataView, at: number, size: number): void {
    const fl = v.getUint16(at + 40, true);
    const nl = v.getUint16(at + 42, true);
    const al = v.getUint16(at + 44, true);
    if (!this.fits(K.exec, size, fl + nl + al)) return;
    const s = at + 96;
    this.sink.process({
      kind: 'exec',
      ns: v.getBigUint64(at + 8, true),
      pid: v.getUint32(at + 16, true),
      realParent: v.getUint32(at + 20, true),
      uid: v.getUint32(at + 24, true),
      startNs: v.getBigUint64(at + 32, true),
      filename: text(b, s, s + fl),
      image: identity(v, at + 48),
      name: text(b, s + fl, s + fl + nl),
      args: { length: v.getUint32(at + 28, true), copied: al, argv: argv(b, s + fl + nl, s + fl + nl + al) },
    });
  }

  private open(b: Buffer, v: DataView, at: number, size: number): void {
    const pl = v.getUint16(at + 50, true);
    if (!this.fits(K.open, size, pl)) return;
    this.sink.file(
      fileEvent('open', this.caller(v, at), v.getInt32(at + 32, true), text(b, at + 52, at + 52 + pl), {
        flags: v.getUint32(at + 36, true),
        ino: Number(v.getBigUint64(at + 40, true)),
        created: b[at + 48] !== 0,
      }),
    );
  }

  private unlink(b: Buffer, v: DataView, at: number, size: number): void {
    const pl = v.getUint16(at + 36, true);
    if (!this.fits(K.unlink, size, pl)) return;
    this.sink.file(fileEvent('unlink', this.caller(v, at), v.getInt32(at + 32, true), text(b, at + 40, at + 40 + pl)));
  }

  private rename(b: Buffer, v: DataView, at: number, size: number): void {
    const ol = v.getUint16(at + 40, true);
    const nl = v.getUint16(at + 42, true);
    if (!this.fits(K.rename, size, ol + nl)) return;
    this.sink.file(
      fileEvent('rename', this.caller(v, at), v.getInt32(at + 32, true), text(b, at + 44, at + 44 + ol), undefined, {
        dfd: v.getInt32(at + 36, true),
        path: text(b, at + 44 + ol, at + 44 + ol + nl),
      }),
    );
  }

  /** 'C', 'L', 'I' and 'U' (off 20 family, 21 protocol, 24 and 26 ports, 32 and 48 addresses). */
  private net(kind: number, b: Buffer, v: DataView, at: number): void {
    const length = b[at + 20] === 2 ? 4 : 16;
    this.sink.network({
      kind: 'net',
      ns: v.getBigUint64(at + 8, true),
      pid: v.getUint32(at + 16, true),
      actionType: netAction(kind, b, at),
      protocol: b[at + 21] === 17 ? 'Udp' : 'Tcp',
      localIp: ipText(b.subarray(at + 32, at + 32 + length)),
      localPort: v.getUint16(at + 24, true),
      remoteIp: ipText(b.subarray(at + 48, at + 48 + length)),
      remotePort: v.getUint16(at + 26, true),
    });
  }

  private look(b: Buffer, v: DataView, at: number, size: number): void {
    const pl = v.getUint16(at + 28, true);
    if (!this.fits(K.look, size, pl)) return;
    const flags = v.getUint32(at + 24, true);
    this.sink.look({
      kind: 'look',
      ns: v.getBigUint64(at + 8, true),
      what: v.getUint32(at + 20, true) === 2 ? 'changed' : 'settled',
      path: text(b, at + 124, at + 124 + pl),
      file: flags & LOOK_STAT ? lookedFile(b, v, at, flags) : undefined,
    });
  }

  private quiet(b: Buffer, v: DataView, at: number, size: number): void {
    const pl = v.getUint16(at + 24, true);
    if (!this.fits(K.quiet, size, pl)) return;
    this.sink.look({
      kind: 'look',
      ns: v.getBigUint64(at + 8, true),
      what: 'quiet',
      path: text(b, at + 28, at + 28 + pl),
      file: undefined,
    });
  }

  /** A file row (off 16 pid, 20 execId, 24 start, 32 time ms, 40 u32 JSON length, 48 the JSON). */
  private row(b: Buffer, v: DataView, at: number, size: number): void {
    const n = v.getUint32(at + 40, true);
    if (!this.fits(K.row, size, n)) return;
    this.sink.fileRow({
      kind: 'row',
      pid: v.getUint32(at + 16, true),
      startNs: v.getBigUint64(at + 24, true),
      execId: v.getUint32(at + 20, true),
      timeMs: Number(v.getBigUint64(at + 32, true)),
      json: b.subarray(at + 48, at + 48 + n),
    });
  }

  /** A leaf process's row (off 20 parent, 24 uid, 28 u32 JSON length, 32 start, 40 time ms, 48 the JSON). */
  private leaf(b: Buffer, v: DataView, at: number, size: number): void {
    const n = v.getUint32(at + 28, true);
    if (!this.fits(K.leaf, size, n)) return;
    this.sink.process({
      kind: 'leaf',
      ns: v.getBigUint64(at + 8, true),
      pid: v.getUint32(at + 16, true),
      ppid: v.getUint32(at + 20, true),
      uid: v.getUint32(at + 24, true),
      startNs: v.getBigUint64(at + 32, true),
      timeMs: Number(v.getBigUint64(at + 40, true)),
      json: b.subarray(at + 48, at + 48 + n),
    });
  }

  /** The file path's counters: u32 each from off 24, in COLLECTOR_FILE_COUNTERS' order, then the paths pending. */
  private counters(v: DataView, at: number): void {
    const n = (i: number) => v.getUint32(at + 24 + 4 * i, true);
    this.sink.fileRow({
      kind: 'counters',
      events: n(0),
      merged: n(1),
      hashed: n(2),
      outsideWatch: n(3),
      unresolved: n(4),
      trailingRows: n(5),
      foldedIntoDelete: n(6),
      forcedEarly: n(7),
      settleChecks: n(8),
      pendingPaths: n(9),
    });
  }

  /** The calling process of a file record (off 8 ns, 16 pid, 20 self_exec_id, 24 start_boottime). */
  private caller(v: DataView, at: number): Caller {
    return {
      ns: v.getBigUint64(at + 8, true),
      pid: v.getUint32(at + 16, true),
      startNs: v.getBigUint64(at + 24, true),
      execId: v.getUint32(at + 20, true),
    };
  }

  /** The record holds its kind's fixed part and `strings` bytes after it (else it is reported and skipped). */
  private fits(kind: number, size: number, strings: number): boolean {
    const fixed = FIXED[kind] ?? 0;
    if (fixed + strings <= size) return true;
    this.sink.invalid(
      `'${String.fromCharCode(kind)}' record of ${size} bytes is shorter than its fields (${fixed + strings})`,
    );
    return false;
  }
}
