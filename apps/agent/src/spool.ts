import {
  closeSync,
  existsSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { crc32, gzipSync, inflateRawSync } from 'node:zlib';
import { INITIATING_REFERENCE, InitiatingReferences, type RowProblem } from '@vigil/protocol';
import { type BatchName, batchFileName, makeBatchId, parseBatchFileName, segmentRows } from '@vigil/sensors';
import { type BatchRuns, writeJsonRow } from './json-row.js';

/**
 * Writes a row's JSON into `out` from `start` (writeJsonRow's contract, `batch` its runs of the open segment: the
 * end, or -1 when it does not fit), or refuses it.
 */
export type RowWrite = (row: object, out: Buffer, start: number, batch: BatchRuns) => number | RowProblem;

/** writeJsonRow as a RowWrite: every row is taken. */
const writeAnyRow: RowWrite = (row, out, start, batch) => writeJsonRow(row, out, start, true, batch);

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
  /** Called when a row opens a new segment (the first row since the last seal). */
  readonly onOpen?: () => void;
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

/**
 * The open segment: the rows of each flush as one gzip member, so that a sealed segment is a batch as it is (gzip
 * readers, the server's included, read concatenated members as one stream). The segments of earlier versions held
 * plain NDJSON (LEGACY_SEGMENT); one left by such a version is recovered at start.
 */
export const SEGMENT = 'open.ndjson.gz';
const LEGACY_SEGMENT = 'open.ndjson';
/** Queued rows beyond this many bytes are written at once rather than at the next flush. */
const PENDING_MAX_BYTES = 4 * 1024 * 1024;
/** After a flush the disk refused, the next try waits this long. */
export const FLUSH_RETRY_MS = 5000;
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
  return out.length > 1 ? out.map(selfContained()) : out;
}

/**
 * Makes each cut of a segment stand alone: a row that refers to InitiatingProcess* columns held by a row of an
 * earlier cut (see INITIATING_REFERENCE) gets them written out, and then holds them for the rows after it.
 */
function selfContained(): (part: { bytes: Buffer; rows: number }) => { bytes: Buffer; rows: number } {
  const segment = new InitiatingReferences();
  return (part) => {
    const batch = new InitiatingReferences();
    const lines = part.bytes.toString('utf8').split('\n');
    let changed = false;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] as string;
      if (line === '') continue;
      let row: Record<string, unknown>;
      try {
        row = JSON.parse(line) as Record<string, unknown>;
      } catch {
        continue; // not ours to judge: the server names the line
      }
      const ref = row[INITIATING_REFERENCE];
      if (typeof ref !== 'string')
        segment.resolve(row); // a full row (noted) or a bad reference (the server's)
      else if (!batch.has(ref) && segment.resolve(row) === undefined) {
        lines[i] = JSON.stringify(row); // written out from the segment's earlier row
        changed = true;
      }
      batch.resolve(row);
    }
    return changed ? { bytes: Buffer.from(lines.join('\n')), rows: part.rows } : part;
  };
}

/** Rows are encoded into blocks of this size as they come (their strings die young; a block is one write). */
const BLOCK_BYTES = 64 * 1024;
/** Written blocks kept for reuse (1 MiB): new ones would be garbage V8 frees only when it next collects. */
const FREE_BLOCKS_MAX = 16;
/** An open segment this large is due for sealing (see `due`). */
const SEAL_DUE_BYTES = 4 * 1024 * 1024;

const SEALING = /^sealing-(\d+)-([A-Za-z0-9._:]+)\.ndjson(\.gz)?$/;
/** Level 1: NDJSON of one table compresses well even so, at a third of the CPU of the default level. */
const GZIP = { level: 1 } as const;
/** A gzip member's fixed header (no optional fields: what Node writes) and trailer (CRC-32, size). */
const GZIP_HEADER_BYTES = 10;
const GZIP_TRAILER_BYTES = 8;

/**
 * The NDJSON of a segment file: plain (an earlier version's), or gzip members of which only whole ones count, read
 * one after another. The member being written when the agent stopped may be cut short (or, on some file systems,
 * end in zeros): its rows were never fsynced, and are left out as a torn line was before.
 */
export function segmentNdjson(file: Buffer): Buffer {
  if (file.length < 2 || file[0] !== 0x1f || file[1] !== 0x8b) return file;
  const parts: Buffer[] = [];
  let at = 0;
  while (at + GZIP_HEADER_BYTES <= file.length && file[at] === 0x1f && file[at + 1] === 0x8b && file[at + 3] === 0) {
    let member: { buffer: Buffer; engine: { bytesWritten: number } };
    try {
      member = inflateRawSync(file.subarray(at + GZIP_HEADER_BYTES), { info: true }) as unknown as typeof member;
    } catch {
      break; // cut short
    }
    const end = at + GZIP_HEADER_BYTES + member.engine.bytesWritten;
    if (end + GZIP_TRAILER_BYTES > file.length) break;
    if (file.readUInt32LE(end) !== crc32(member.buffer) || file.readUInt32LE(end + 4) !== member.buffer.length >>> 0)
      break;
    parts.push(member.buffer);
    at = end + GZIP_TRAILER_BYTES;
  }
  return Buffer.concat(parts);
}

function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * The durable queue between sensors and the uploader. Rows are appended to an open segment, one gzip member per
 * flush (fsynced); a segment is sealed into a batch with a fixed id by renaming it, and stays on disk until the
 * server acknowledges it. A segment of more than batchMaxRows rows or BATCH_MAX_BYTES of NDJSON is renamed aside
 * first and cut into several batches, so a crash at any point neither loses nor duplicates rows.
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
  /** NDJSON bytes in the open segment (its file holds them compressed). */
  private segmentBytes = 0;
  /** Bytes of the open segment's file. */
  private segmentFileBytes = 0;
  /** Kept for the NDJSON of each flush, which is compressed as one piece (grown to fit). */
  private flushBuffer: Buffer | undefined;
  private block: Buffer | undefined;
  private blockUsed = 0;
  private pendingRows = 0;
  private pendingBytes = 0;

  private batches: SpooledBatch[] = [];
  /** The InitiatingProcess* runs the open segment holds in full: its later rows refer to them (see writeJsonRow). */
  private readonly batchRuns: BatchRuns = new Map();

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
    // A segment left by the last run becomes batches of its own: renamed aside with its batch id first, as a seal
    // does, so that a crash while recovering it does not send its rows again under another id.
    let left = false;
    for (const [name, suffix] of [
      [LEGACY_SEGMENT, '.ndjson'],
      [SEGMENT, '.ndjson.gz'],
    ] as const) {
      const file = join(dir, name);
      if (!existsSync(file) || statSync(file).size === 0) continue;
      const seq = ++this.seq;
      renameSync(file, join(dir, `sealing-${seq}-${makeBatchId(this.instance, seq)}${suffix}`));
      left = true;
    }
    if (left) {
      fsyncDir(dir);
      this.recoverSealing();
    }
    rmSync(join(dir, LEGACY_SEGMENT), { force: true });
    this.fd = openSync(join(dir, SEGMENT), 'w', 0o600);
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
      this.seq = Math.max(this.seq, Number(m[1]));
      this.recover(join(this.dir, name), Number(m[1]), m[2] as string);
    }
    this.batches = this.scan();
  }

  /** Turns the whole rows of a segment file into batches (the first with this seq and id), then deletes it. */
  private recover(file: string, seq: number, batchId: string): void {
    // A torn end (a line or gzip member being written when the agent stopped) was never fsynced: it is left out.
    const { rows } = segmentRows(segmentNdjson(readFileSync(file)).toString('utf8'));
    if (rows.length > 0) this.writeBatches(seq, batchId, ndjsonBytes(rows));
    rmSync(file, { force: true });
  }

  /**
   * Queues one row (an object; its JSON is written straight into the block by `write`, writeJsonRow by default); on
   * disk after the next flush(). A row `write` refuses (a RowProblem) is not queued, and its problem returned.
   */
  appendRow(row: object, write: RowWrite = writeAnyRow): RowProblem | undefined {
    for (;;) {
      if (!this.block) this.block = Buffer.allocUnsafe(BLOCK_BYTES);
      const end = write(row, this.block, this.blockUsed, this.batchRuns);
      if (typeof end !== 'number') return end;
      if (end >= 0) {
        if (this.segmentRows + this.pendingRows === 0) {
          this.segmentStartedAt = Date.now();
          this.options.onOpen?.();
        }
        this.block[end] = 0x0a;
        this.pendingBytes += end + 1 - this.blockUsed;
        this.blockUsed = end + 1;
        this.pendingRows++;
        break;
      }
      // No room: a new block, twice as large when even an empty block could not hold the row.
      this.newBlock(this.blockUsed === 0 ? this.block.length * 2 : BLOCK_BYTES);
    }
    if (this.pendingBytes > PENDING_MAX_BYTES) this.tryFlush();
    if (this.options.onDue && this.due) this.options.onDue();
    return undefined;
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

  /** Writes queued rows to the open segment as one gzip member and fsyncs it. */
  flush(): void {
    if (this.pendingRows === 0) return;
    this.closeBlock();
    if (!this.flushBuffer || this.flushBuffer.length < this.pendingBytes)
      this.flushBuffer = Buffer.allocUnsafe(Math.max(this.pendingBytes, PENDING_MAX_BYTES + 256 * 1024));
    let at = 0;
    for (const b of this.pending) at += b.copy(this.flushBuffer, at);
    const member = gzipSync(this.flushBuffer.subarray(0, at), GZIP);
    try {
      // write may write less than asked (a signal): the rest is written on.
      for (let done = 0; done < member.length; ) done += writeSync(this.fd, member, done, member.length - done);
      fsyncSync(this.fd);
    } catch (e) {
      // A full disk: the segment is cut back to its whole members (the rows stay queued for the next flush), so
      // that a torn member never ends up inside a batch, where it would make the server refuse the batch.
      ftruncateSync(this.fd, this.segmentFileBytes);
      throw e;
    }
    this.segmentFileBytes += member.length;
    this.segmentRows += this.pendingRows;
    this.segmentBytes += this.pendingBytes;
    for (const b of this.pendingBlocks) if (this.freeBlocks.length < FREE_BLOCKS_MAX) this.freeBlocks.push(b);
    this.pendingBlocks = [];
    this.pending = [];
    this.pendingRows = 0;
    this.pendingBytes = 0;
  }

  /**
   * flush() that does not throw: false when the disk refused the rows (a full disk, say), which stay queued, with
   * the error in `flushError`. After a failure it tries again only FLUSH_RETRY_MS later (false until then): each
   * try compresses every queued row, and rows keep coming.
   */
  tryFlush(): boolean {
    if (this.flushError && Date.now() < this.retryAt) return false;
    try {
      this.flush();
      this.flushError = undefined;
      return true;
    } catch (e) {
      this.flushError = e instanceof Error ? e : new Error(String(e));
      this.retryAt = Date.now() + FLUSH_RETRY_MS;
      return false;
    }
  }

  /** Why the last flush failed (cleared by one that succeeds). */
  flushError: Error | undefined;
  private retryAt = 0;

  /** NDJSON bytes of the rows queued in memory, not yet written. */
  get queuedBytes(): number {
    return this.pendingBytes;
  }

  /**
   * Forgets the rows queued in memory (the disk refused them for too long); returns how many. The InitiatingProcess*
   * runs they held in full are forgotten too: later rows of the segment carry theirs in full again.
   */
  dropQueued(): number {
    const rows = this.pendingRows;
    this.block = undefined;
    this.blockUsed = 0;
    for (const b of this.pendingBlocks) if (this.freeBlocks.length < FREE_BLOCKS_MAX) this.freeBlocks.push(b);
    this.pendingBlocks = [];
    this.pending = [];
    this.pendingRows = 0;
    this.pendingBytes = 0;
    this.batchRuns.clear();
    return rows;
  }

  private writeBatch(seq: number, batchId: string, ndjson: Buffer, rows: number): SpooledBatch | undefined {
    const name = batchFileName({ seq, batchId, rows });
    const file = join(this.dir, name);
    if (existsSync(file)) return { seq, batchId, rows, file, bytes: statSync(file).size };
    const body = gzipSync(ndjson, GZIP);
    const tmp = `${file}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    writeSync(fd, body);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, file);
    fsyncDir(this.dir);
    return { seq, batchId, rows, file, bytes: body.length };
  }

  /** Batches of at most batchMaxRows rows and BATCH_MAX_BYTES each from NDJSON (the first with seq and batchId). */
  private writeBatches(seq: number, batchId: string, ndjson: Buffer): SpooledBatch[] {
    const made: SpooledBatch[] = [];
    for (const [i, part] of chunks(ndjson, this.options.batchMaxRows).entries()) {
      const s = i === 0 ? seq : ++this.seq;
      const b = this.writeBatch(s, i === 0 ? batchId : makeBatchId(this.instance, s), part.bytes, part.rows);
      if (b) made.push(b);
    }
    return made;
  }

  /**
   * Seals the open segment: renamed into a batch as it is, or, past batchMaxRows rows or BATCH_MAX_BYTES (the rows
   * of a flush are one member), renamed aside and cut into batches. Returns the new batches.
   */
  seal(): SpooledBatch[] {
    if (!this.tryFlush()) throw this.flushError;
    if (this.segmentRows === 0) return [];
    const seq = ++this.seq;
    const batchId = makeBatchId(this.instance, seq);
    const whole = this.segmentRows <= this.options.batchMaxRows && this.segmentBytes <= BATCH_MAX_BYTES;
    const target = whole
      ? join(this.dir, batchFileName({ seq, batchId, rows: this.segmentRows }))
      : join(this.dir, `sealing-${seq}-${batchId}.ndjson.gz`);
    closeSync(this.fd);
    renameSync(join(this.dir, SEGMENT), target);
    fsyncDir(this.dir);
    this.fd = openSync(join(this.dir, SEGMENT), 'a', 0o600);
    this.batchRuns.clear();
    const rows = this.segmentRows;
    const fileBytes = this.segmentFileBytes;
    this.segmentRows = 0;
    this.segmentBytes = 0;
    this.segmentFileBytes = 0;
    let made: SpooledBatch[];
    if (whole) made = [{ seq, batchId, rows, file: target, bytes: fileBytes }];
    else {
      made = this.writeBatches(seq, batchId, segmentNdjson(readFileSync(target)));
      rmSync(target, { force: true });
    }
    this.batches.push(...made);
    return made;
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
    return this.batches.reduce((n, b) => n + b.bytes, 0) + this.segmentFileBytes;
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

  /** Flushes and closes the segment file (closed even when the flush throws: a full disk, say). */
  close(): void {
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
    }
  }
}
