import {
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
  writevSync,
} from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type BatchName, batchFileName, makeBatchId, parseBatchFileName, segmentRows } from '@vigil/sensors';
import { writeJsonRow } from './json-row.js';
import { readFully } from './read-fully.js';

/** Limits of the on-disk spool. */
export interface SpoolOptions {
  /** Cap of the spool on disk; beyond it the oldest batches are dropped (and counted). */
  readonly maxBytes: number;
  /** A batch holds at most this many rows. */
  readonly batchMaxRows: number;
  /**
   * Called when an appended row makes the open segment due for sealing (see `due`), so that a burst (`rm` of
   * thousands of files) is sealed as it comes rather than gathered into one segment until the next tick.
   */
  readonly onDue?: () => void;
}

/** A sealed batch waiting for the server's acknowledgement. */
export interface SpooledBatch extends BatchName {
  readonly file: string;
  readonly bytes: number;
}

/** What the cap dropped. */
export interface SpoolDrop {
  readonly batches: number;
  readonly rows: number;
}

const SEGMENT = 'open.ndjson';
/** Queued rows beyond this many bytes are written at once rather than at the next flush. */
const PENDING_MAX_BYTES = 4 * 1024 * 1024;
/** A batch holds at most this many bytes of NDJSON, so gzip never works on more at once. */
const BATCH_MAX_BYTES = 8 * 1024 * 1024;

/** Rows recovered from a segment of an earlier run as NDJSON bytes (new rows are written by appendRow). */
function ndjsonBytes(rows: readonly string[]): Buffer {
  let size = 0;
  for (const r of rows) size += Buffer.byteLength(r) + 1;
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const r of rows) {
    at += out.write(r, at);
    out[at++] = 0x0a;
  }
  return out;
}

/** Cuts NDJSON bytes into runs of at most maxRows rows and BATCH_MAX_BYTES bytes (at least one row each). */
function chunks(ndjson: Buffer, maxRows: number): { bytes: Buffer; rows: number }[] {
  const out: { bytes: Buffer; rows: number }[] = [];
  let start = 0;
  let rows = 0;
  let at = 0;
  while (at < ndjson.length) {
    const nl = ndjson.indexOf(0x0a, at);
    const end = nl < 0 ? ndjson.length : nl + 1;
    if (rows > 0 && (rows >= maxRows || end - start > BATCH_MAX_BYTES)) {
      out.push({ bytes: ndjson.subarray(start, at), rows });
      start = at;
      rows = 0;
    }
    rows++;
    at = end;
  }
  if (rows > 0) out.push({ bytes: ndjson.subarray(start), rows });
  return out;
}

/** Rows are encoded into blocks of this size as they come (their strings die young; a block is one write). */
const BLOCK_BYTES = 64 * 1024;
/** Written blocks kept for reuse (1 MiB): new ones would be garbage V8 frees only when it next collects. */
const FREE_BLOCKS_MAX = 16;
/** An open segment this large is due for sealing (see `due`). */
const SEAL_DUE_BYTES = 4 * 1024 * 1024;
/**
 * Sealing reads a segment of up to this size into one buffer kept for it (grown to fit; a segment is a little over
 * SEAL_DUE_BYTES when its last row crossed that). Reading each segment into a new buffer left several of them for
 * V8 to free, which counts external memory loosely: tens of MB of RSS at the end of a burst.
 */
const SEAL_KEEP_BYTES = 16 * 1024 * 1024;
/** Buffers per writev call (Linux's IOV_MAX). */
const IOV_MAX = 1024;

const SEALING = /^sealing-(\d+)-([A-Za-z0-9._:]+)\.ndjson$/;

function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * The durable queue between sensors and the uploader. Rows are appended to an open segment (fsynced on
 * flush); a segment is sealed into a gzip batch with a fixed id, which stays on disk until the server
 * acknowledges it. Sealing renames the segment first, so a crash at any point neither loses nor duplicates rows.
 */
export class Spool {
  private fd: number;
  private segmentRows = 0;
  private segmentStartedAt = 0;
  private seq: number;
  private readonly instance: string;
  /**
   * Rows not yet written, as NDJSON bytes: full blocks, then the block being filled (`block` up to `blockUsed`).
   * Encoding a row when it comes lets its string die in V8's young generation instead of being kept (and promoted)
   * until the next flush or seal.
   */
  private pending: Buffer[] = [];
  /** The whole blocks behind `pending` (of BLOCK_BYTES), and written blocks ready for reuse. */
  private pendingBlocks: Buffer[] = [];
  private readonly freeBlocks: Buffer[] = [];
  /** Bytes of the open segment on disk. */
  private segmentBytes = 0;
  private sealBuffer: Buffer | undefined;
  private block: Buffer | undefined;
  private blockUsed = 0;
  private pendingRows = 0;
  private pendingBytes = 0;

  private batches: SpooledBatch[] = [];

  constructor(
    readonly dir: string,
    private readonly options: SpoolOptions,
    instance: string,
  ) {
    this.instance = instance;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.batches = this.scan();
    this.seq = this.batches.reduce((m, b) => Math.max(m, b.seq), 0);
    this.recoverSealing();
    this.fd = openSync(join(dir, SEGMENT), 'a+', 0o600);
    const text = readFileSync(join(dir, SEGMENT), 'utf8');
    const { rows } = segmentRows(text);
    if (text.length > 0) {
      // A leftover segment from the last run (a torn last line is a row that was never fsynced: drop it).
      this.rewriteSegment(rows);
      this.seal();
    }
  }

  private scan(): SpooledBatch[] {
    const out: SpooledBatch[] = [];
    for (const name of readdirSync(this.dir)) {
      const b = parseBatchFileName(name);
      if (b) out.push({ ...b, file: join(this.dir, name), bytes: statSync(join(this.dir, name)).size });
      else if (name.endsWith('.tmp')) rmSync(join(this.dir, name), { force: true });
    }
    return out.sort((a, b) => a.seq - b.seq);
  }

  private recoverSealing(): void {
    for (const name of readdirSync(this.dir)) {
      const m = SEALING.exec(name);
      if (!m) continue;
      const rows = segmentRows(readFileSync(join(this.dir, name), 'utf8')).rows;
      this.seq = Math.max(this.seq, Number(m[1]));
      if (rows.length > 0) this.writeBatch(Number(m[1]), m[2] as string, ndjsonBytes(rows), rows.length);
      rmSync(join(this.dir, name), { force: true });
    }
    this.batches = this.scan();
  }

  private rewriteSegment(rows: readonly string[]): void {
    const tmp = join(this.dir, `${SEGMENT}.tmp`);
    const fd = openSync(tmp, 'w', 0o600);
    const bytes = ndjsonBytes(rows);
    writeSync(fd, bytes);
    fsyncSync(fd);
    closeSync(fd);
    closeSync(this.fd);
    renameSync(tmp, join(this.dir, SEGMENT));
    this.fd = openSync(join(this.dir, SEGMENT), 'a+', 0o600);
    this.segmentRows = rows.length;
    this.segmentBytes = bytes.length;
    this.segmentStartedAt = Date.now();
  }

  /** Queues one row (an object; its JSON is written straight into the block); on disk after the next flush(). */
  appendRow(row: object): void {
    if (this.segmentRows + this.pendingRows === 0) this.segmentStartedAt = Date.now();
    for (;;) {
      if (!this.block) this.block = Buffer.allocUnsafe(BLOCK_BYTES);
      const end = writeJsonRow(row, this.block, this.blockUsed);
      if (end >= 0) {
        this.block[end] = 0x0a;
        this.pendingBytes += end + 1 - this.blockUsed;
        this.blockUsed = end + 1;
        this.pendingRows++;
        break;
      }
      // No room: a new block, twice as large when even an empty block could not hold the row.
      this.newBlock(this.blockUsed === 0 ? this.block.length * 2 : BLOCK_BYTES);
    }
    if (this.pendingBytes > PENDING_MAX_BYTES) this.flush();
    if (this.options.onDue && this.due) this.options.onDue();
  }

  /** Closes the block being filled (keeping its used bytes) and starts one with room for at least `need` bytes. */
  private newBlock(need: number): void {
    this.closeBlock();
    this.block = need <= BLOCK_BYTES ? this.freeBlocks.pop() : undefined;
    this.block ??= Buffer.allocUnsafe(Math.max(BLOCK_BYTES, need));
  }

  private closeBlock(): void {
    if (this.block && this.blockUsed > 0) {
      this.pending.push(this.block.subarray(0, this.blockUsed));
      if (this.block.length === BLOCK_BYTES) this.pendingBlocks.push(this.block);
    } else if (this.block?.length === BLOCK_BYTES && this.freeBlocks.length < FREE_BLOCKS_MAX)
      this.freeBlocks.push(this.block);
    this.block = undefined;
    this.blockUsed = 0;
  }

  /** Rows in the open segment and not yet sealed. */
  get openRows(): number {
    return this.segmentRows + this.pendingRows;
  }

  /** True when the open segment holds batchMaxRows rows, or bytes enough to seal (queued rows included). */
  get due(): boolean {
    return this.openRows >= this.options.batchMaxRows || this.segmentBytes + this.pendingBytes >= SEAL_DUE_BYTES;
  }

  /** Age of the open segment in ms (0 when empty). */
  openAgeMs(now = Date.now()): number {
    return this.openRows === 0 ? 0 : now - this.segmentStartedAt;
  }

  /** Writes queued rows to the open segment and fsyncs it. */
  flush(): void {
    if (this.pendingRows === 0) return;
    this.closeBlock();
    for (let i = 0; i < this.pending.length; i += IOV_MAX) {
      const part = this.pending.slice(i, i + IOV_MAX);
      let left = part.reduce((n, b) => n + b.length, 0);
      // writev may write less than asked (a full disk, a signal): the rest is written on.
      for (let n = writevSync(this.fd, part); n < left; n = writevSync(this.fd, part)) {
        left -= n;
        while (n > 0) {
          const b = part[0] as Buffer;
          if (n >= b.length) {
            n -= b.length;
            part.shift();
          } else {
            part[0] = b.subarray(n);
            n = 0;
          }
        }
      }
    }
    fsyncSync(this.fd);
    this.segmentRows += this.pendingRows;
    this.segmentBytes += this.pendingBytes;
    for (const b of this.pendingBlocks) if (this.freeBlocks.length < FREE_BLOCKS_MAX) this.freeBlocks.push(b);
    this.pendingBlocks = [];
    this.pending = [];
    this.pendingRows = 0;
    this.pendingBytes = 0;
  }

  private writeBatch(seq: number, batchId: string, ndjson: Buffer, rows: number): SpooledBatch | undefined {
    const name = batchFileName({ seq, batchId, rows });
    const file = join(this.dir, name);
    if (existsSync(file)) return { seq, batchId, rows, file, bytes: statSync(file).size };
    // Level 1: NDJSON of one table compresses well even so, at a third of the CPU of the default level.
    const body = gzipSync(ndjson, { level: 1 });
    const tmp = `${file}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    writeSync(fd, body);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, file);
    fsyncDir(this.dir);
    return { seq, batchId, rows, file, bytes: body.length };
  }

  /** Seals the open segment into batches of at most batchMaxRows rows (and 8 MiB). Returns the new batches. */
  seal(): SpooledBatch[] {
    this.flush();
    if (this.segmentRows === 0) return [];
    const seq = ++this.seq;
    const batchId = makeBatchId(this.instance, seq);
    const sealing = join(this.dir, `sealing-${seq}-${batchId}.ndjson`);
    closeSync(this.fd);
    renameSync(join(this.dir, SEGMENT), sealing);
    fsyncDir(this.dir);
    this.fd = openSync(join(this.dir, SEGMENT), 'a+', 0o600);
    // Read back from the page cache rather than kept in memory: buffers that live until the seal outlast V8's young
    // generation, and old-generation garbage holding large buffers is freed only by a rare full collection.
    const ndjson = this.readSegment(sealing);
    this.segmentRows = 0;
    this.segmentBytes = 0;
    const made: SpooledBatch[] = [];
    for (const [i, part] of chunks(ndjson, this.options.batchMaxRows).entries()) {
      const s = i === 0 ? seq : ++this.seq;
      const b = this.writeBatch(s, i === 0 ? batchId : makeBatchId(this.instance, s), part.bytes, part.rows);
      if (b) made.push(b);
    }
    rmSync(sealing, { force: true });
    this.batches.push(...made);
    return made;
  }

  /** A sealed segment's bytes: in the kept buffer when they fit, else in a buffer of their own. */
  private readSegment(file: string): Buffer {
    const fd = openSync(file, 'r');
    try {
      const size = fstatSync(fd).size;
      if (size > SEAL_KEEP_BYTES) return readFileSync(fd);
      if (!this.sealBuffer || this.sealBuffer.length < size)
        this.sealBuffer = Buffer.allocUnsafe(Math.max(size, SEAL_DUE_BYTES + 256 * 1024));
      return this.sealBuffer.subarray(0, readFully(fd, this.sealBuffer, size));
    } finally {
      closeSync(fd);
    }
  }

  /** The oldest batch not yet acknowledged. */
  oldest(): SpooledBatch | undefined {
    return this.batches[0];
  }

  /** Batches waiting, oldest first. */
  list(): readonly SpooledBatch[] {
    return this.batches;
  }

  /** Deletes a batch after the server acknowledged it. */
  remove(batch: SpooledBatch): void {
    rmSync(batch.file, { force: true });
    this.batches = this.batches.filter((b) => b.file !== batch.file);
  }

  /** Bytes on disk: sealed batches and the open segment. */
  sizeBytes(): number {
    return this.batches.reduce((n, b) => n + b.bytes, 0) + fstatSync(this.fd).size;
  }

  /** Drops the oldest batches while the spool is over its cap; the caller reports the drop. */
  enforceCap(): SpoolDrop {
    let batches = 0;
    let rows = 0;
    while (this.sizeBytes() > this.options.maxBytes && this.batches.length > 0) {
      const b = this.batches[0] as SpooledBatch;
      this.remove(b);
      batches++;
      rows += b.rows;
    }
    return { batches, rows };
  }

  /** Flushes and closes the segment file. */
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}
