import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { type Diagnostic, VigilError } from '@vigil/base';
import type { RowValidator } from '@vigil/protocol';
import type { Row } from '@vigil/storage';
import type { IngestLimits } from './ingest-limits.js';

/** The rows of one decoded batch grouped by table. */
export interface DecodedBatch {
  readonly tables: Map<string, Row[]>;
  readonly rowCount: number;
  /** Per table, the row's JSON text when it can be stored as sent (see BatchWrite.raw). */
  readonly raw: Map<string, (string | undefined)[]>;
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
}

const MAX_REPORTED = 20;

/** Decompresses the body (off the event loop), as gzip or plain text, within the decoded-size limit. */
export async function inflate(body: Buffer, gzip: boolean, limits: IngestLimits): Promise<Buffer> {
  if (!gzip) {
    if (body.length > limits.maxDecodedBytes) throw tooLarge(limits);
    return body;
  }
  try {
    return await gunzipAsync(body, { maxOutputLength: limits.maxDecodedBytes });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(limits);
    throw new VigilError('INGEST_BAD_GZIP', `the body is not valid gzip: ${(e as Error).message}`, {
      hint: 'send the batch gzip-compressed whole, with Content-Encoding: gzip',
    });
  }
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
 * Decodes an NDJSON batch: every line is parsed and validated, and the first problems are reported with their
 * line and field. A batch with any problem is rejected whole, so nothing of it is stored.
 */
export async function decodeBatch(body: Buffer, options: DecodeOptions): Promise<DecodedBatch> {
  const text = (await inflate(body, options.gzip, options.limits)).toString('utf8');
  const raw = new Map<string, (string | undefined)[]>();
  const problems: Diagnostic[] = [];
  const tables = new Map<string, Row[]>();
  let rowCount = 0;
  let lineNo = 0;
  let start = 0;
  const file = options.source;
  const report = (d: Omit<Diagnostic, 'severity'>) => {
    problems.push({ severity: 'error', ...d });
  };
  while (start < text.length && problems.length < MAX_REPORTED) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    lineNo++;
    const line = text.slice(start, end).trim();
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
      report({
        code: 'INGEST_INVALID_JSON',
        message: `line ${lineNo} is not valid JSON: ${(e as Error).message}`,
        location: { ...(file ? { file } : {}), line: lineNo },
      });
      continue;
    }
    const r = options.validator.validate(parsed);
    if ('code' in r) {
      report({
        code: r.code,
        message: `line ${lineNo}: ${r.message}`,
        location: { ...(file ? { file } : {}), line: lineNo, ...(r.field !== undefined ? { field: r.field } : {}) },
        ...(r.hint !== undefined ? { hint: r.hint } : {}),
      });
      continue;
    }
    const claimed = options.device !== undefined && options.validator.hasColumn(r.table, 'DeviceId');
    const hadId = r.row.DeviceId !== undefined;
    const hadName = r.row.DeviceName !== undefined;
    if (claimed && options.device && !claimForDevice(r.row, options.device)) {
      report({
        code: 'INGEST_DEVICE_MISMATCH',
        message: `line ${lineNo}: DeviceId "${String(r.row.DeviceId)}" is not the device that sent the batch`,
        location: { line: lineNo, field: 'DeviceId' },
        hint: 'a device may only send its own telemetry',
      });
      continue;
    }
    let list = tables.get(r.table);
    let texts = raw.get(r.table);
    if (!list || !texts) {
      list = [];
      texts = [];
      tables.set(r.table, list);
      raw.set(r.table, texts);
    }
    list.push(r.row as Row);
    texts.push(r.changed ? undefined : withDevice(line, claimed && !hadId, claimed && !hadName, r.row));
  }
  if (problems.length > 0) {
    const first = problems[0] as Diagnostic;
    throw new VigilError(first.code, `batch rejected, nothing stored: ${first.message}`, {
      details: problems,
      ...(first.hint !== undefined ? { hint: first.hint } : {}),
    });
  }
  return { tables, rowCount, raw };
}

/** The line with the device's id and name put in front when the server filled them in. */
function withDevice(line: string, id: boolean, name: boolean, row: Record<string, unknown>): string {
  if (!id && !name) return line;
  const head = [
    ...(id ? [`"DeviceId":${JSON.stringify(row.DeviceId)}`] : []),
    ...(name ? [`"DeviceName":${JSON.stringify(row.DeviceName)}`] : []),
  ].join(',');
  return `{${head},${line.slice(1)}`;
}

function claimForDevice(row: Record<string, unknown>, device: DeviceIdentity): boolean {
  if (row.DeviceId !== undefined && row.DeviceId !== device.deviceId) return false;
  row.DeviceId = device.deviceId;
  row.DeviceName ??= device.deviceName;
  return true;
}
