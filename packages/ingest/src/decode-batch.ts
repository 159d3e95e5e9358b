import { isAscii } from 'node:buffer';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { type Diagnostic, VigilError } from '@vigil/base';
import { INITIATING_REFERENCE, InitiatingReferences, type RowValidator } from '@vigil/protocol';
import type { NdjsonRows, Row } from '@vigil/storage';
import type { IngestLimits } from './ingest-limits.js';
import { NdjsonBuilder } from './ndjson-builder.js';

/**
 * The rows of one decoded batch grouped by table, as NDJSON bytes: the sender's own where they are the row. The
 * parsed rows are not kept (see `DecodeOptions.onRow`), so that they die young instead of waiting in the queue.
 */
export interface DecodedBatch {
  readonly tables: Map<string, NdjsonRows>;
  readonly rowCount: number;
}

const gunzipAsync = promisify(gunzip);

/** The identity of the device that sent a batch: rows may only speak for that device. */
export interface DeviceIdentity {
  readonly deviceId: string;
  readonly deviceName: string;
}

/** Options of one decode. */
export interface DecodeOptions {
  readonly gzip: boolean;
  readonly limits: IngestLimits;
  readonly validator: RowValidator;
  /** When set (agent ingest), DeviceId and DeviceName are filled in and must match this device. */
  readonly device?: DeviceIdentity;
  /** Shown in diagnostics, e.g. a file name. */
  readonly source?: string;
  /**
   * Called with each valid row as it is decoded (the batch may still be rejected for a later line). The row is
   * the parsed line, its Table key still in.
   */
  readonly onRow?: (table: string, row: Row) => void;
}

const MAX_REPORTED = 20;
const NEWLINE = 0x0a;

/** Decompresses the body (off the event loop), as gzip or plain text, within the decoded-size limit. */
export async function inflate(body: Buffer, gzip: boolean, limits: IngestLimits): Promise<Buffer> {
  if (!gzip) {
    if (body.length > limits.maxDecodedBytes) throw tooLarge(limits);
    return body;
  }
  try {
    return await gunzipAsync(body, { maxOutputLength: limits.maxDecodedBytes, chunkSize: outputChunk(body, limits) });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(limits);
    throw new VigilError('INGEST_BAD_GZIP', `the body is not valid gzip: ${(e as Error).message}`, {
      hint: 'send the batch gzip-compressed whole, with Content-Encoding: gzip',
    });
  }
}

/**
 * The size of zlib's output pieces: the decoded size the gzip trailer states (ISIZE), within the decoded-size limit.
 * One piece instead of hundreds of 16 KiB ones saves the thread-pool round trips and the final concatenation;
 * a wrong trailer only makes the pieces smaller or larger, never the output.
 */
function outputChunk(body: Buffer, limits: IngestLimits): number {
  const stated = body.length >= 18 ? body.readUInt32LE(body.length - 4) : 0;
  return Math.min(Math.max(stated + 1, 64 * 1024), limits.maxDecodedBytes);
}

function tooLarge(limits: IngestLimits): VigilError {
  return new VigilError(
    'INGEST_BATCH_TOO_LARGE',
    `the batch is over ${limits.maxDecodedBytes} bytes once decompressed`,
    {
      status: 413,
      hint: 'send smaller batches',
    },
  );
}

/**
 * One line as a string: ASCII lines (most telemetry) decode as Latin-1, which is cheaper and gives one-byte strings
 * that parse and re-encode faster than the two-byte strings a whole-batch UTF-8 decode gives when any byte is not.
 */
export function lineText(buf: Buffer, start: number, end: number): string {
  return isAscii(buf.subarray(start, end)) ? buf.toString('latin1', start, end) : buf.toString('utf8', start, end);
}

/** Where each problem of a batch is, reported together (up to MAX_REPORTED). */
class Problems {
  readonly list: Diagnostic[] = [];
  constructor(private readonly file: string | undefined) {}

  get full(): boolean {
    return this.list.length >= MAX_REPORTED;
  }

  add(code: string, message: string, line: number, field?: string, hint?: string): void {
    this.list.push({
      severity: 'error',
      code,
      message: `line ${line}${code === 'INGEST_INVALID_JSON' ? ' is not valid JSON:' : ':'} ${message}`,
      location: { ...(this.file ? { file: this.file } : {}), line, ...(field !== undefined ? { field } : {}) },
      ...(hint !== undefined ? { hint } : {}),
    });
  }

  throwIfAny(): void {
    const first = this.list[0];
    if (!first) return;
    throw new VigilError(first.code, `batch rejected, nothing stored: ${first.message}`, {
      details: this.list,
      ...(first.hint !== undefined ? { hint: first.hint } : {}),
    });
  }
}

/**
 * Decodes an NDJSON batch: every line is parsed and validated, and the first problems are reported with their
 * line and field. A batch with any problem is rejected whole, so nothing of it is stored.
 */
export async function decodeBatch(body: Buffer, options: DecodeOptions): Promise<DecodedBatch> {
  const buf = await inflate(body, options.gzip, options.limits);
  const problems = new Problems(options.source);
  const out = new NdjsonBuilder(buf, options.device);
  const references = new InitiatingReferences();
  let rowCount = 0;
  let lineNo = 0;
  let start = 0;
  while (start < buf.length && !problems.full) {
    let end = buf.indexOf(NEWLINE, start);
    if (end < 0) end = buf.length;
    lineNo++;
    const text = lineText(buf, start, end);
    const line = text.charCodeAt(0) === 0x7b && text.charCodeAt(text.length - 1) === 0x7d ? text : text.trim();
    const lineStart = start;
    start = end + 1;
    if (line === '') continue;
    if (++rowCount > options.limits.maxRows) {
      throw new VigilError('INGEST_TOO_MANY_ROWS', `the batch has more than ${options.limits.maxRows} rows`, {
        status: 413,
        hint: 'split it into smaller batches',
      });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (e) {
      problems.add('INGEST_INVALID_JSON', (e as Error).message, lineNo);
      continue;
    }
    // A row standing in for its InitiatingProcess* columns gets them from an earlier row (see InitiatingReferences).
    let referring = false;
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      referring = INITIATING_REFERENCE in parsed;
      const bad = references.resolve(parsed as Record<string, unknown>);
      if (bad !== undefined) {
        problems.add(
          'INGEST_BAD_REFERENCE',
          bad,
          lineNo,
          INITIATING_REFERENCE,
          'a row may refer only to an earlier row of its own batch',
        );
        continue;
      }
    }
    const r = options.validator.validateInPlace(parsed);
    if ('code' in r) {
      problems.add(r.code, r.message, lineNo, r.field, r.hint);
      continue;
    }
    const claimed = options.device !== undefined && options.validator.hasColumn(r.table, 'DeviceId');
    const hadId = r.row.DeviceId !== undefined;
    const hadName = r.row.DeviceName !== undefined;
    if (claimed && options.device && !claimForDevice(r.row, options.device)) {
      problems.add(
        'INGEST_DEVICE_MISMATCH',
        `DeviceId "${String(r.row.DeviceId)}" is not the device that sent the batch`,
        lineNo,
        'DeviceId',
        'a device may only send its own telemetry',
      );
      continue;
    }
    // The sender's bytes are the row when nothing was normalized and the line had no surrounding blanks.
    const asSent = !r.changed && !referring && line === text;
    out.add(r.table, r.row as Row, asSent ? lineStart : -1, end, claimed && !hadId, claimed && !hadName);
    options.onRow?.(r.table, r.row as Row);
  }
  problems.throwIfAny();
  return { tables: out.build(), rowCount };
}

function claimForDevice(row: Record<string, unknown>, device: DeviceIdentity): boolean {
  if (row.DeviceId !== undefined && row.DeviceId !== device.deviceId) return false;
  row.DeviceId = device.deviceId;
  row.DeviceName ??= device.deviceName;
  return true;
}
