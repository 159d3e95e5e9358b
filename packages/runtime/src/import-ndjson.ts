import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { type Diagnostic, VigilError } from '@vigil/base';
import type { Row } from '@vigil/storage';
import type { Tenant } from './tenant.js';

/** Progress of an import, in bytes over all files and both passes. */
export interface ImportProgress {
  readonly phase: 'validate' | 'store';
  readonly file: string;
  readonly bytesDone: number;
  readonly bytesTotal: number;
}

/** What an import stored, per table. */
export interface ImportSummary {
  readonly files: number;
  readonly rows: Readonly<Record<string, number>>;
  readonly batchesStored: number;
  readonly batchesDuplicate: number;
}

const CHUNK_ROWS = 10_000;
const MAX_REPORTED = 20;

async function eachLine(
  file: string,
  onLine: (line: string, lineNo: number) => Promise<void> | void,
  onBytes: (n: number) => void,
): Promise<void> {
  const stream = createReadStream(file);
  stream.on('data', (chunk) => onBytes(chunk.length));
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  let n = 0;
  for await (const line of lines) await onLine(line, ++n);
}

/**
 * Imports NDJSON files of rows shaped `{"Table": ..., ...columns}` with the same validation as the ingest API.
 * Every file is validated first; if any line is wrong nothing is stored and the problems are reported with file,
 * line and field. Batches are keyed by the file's hash, so importing the same file again stores nothing twice.
 */
export async function importNdjsonFiles(
  tenant: Tenant,
  files: readonly string[],
  onProgress: (p: ImportProgress) => void = () => undefined,
  dryRun = false,
): Promise<ImportSummary> {
  const counted: Record<string, number> = {};
  const total = files.reduce((s, f) => s + statSync(f).size * 2, 0);
  let done = 0;
  const problems: Diagnostic[] = [];
  const hashes = new Map<string, string>();
  const validator = tenant.rowValidator;
  for (const file of files) {
    const hash = createHash('sha256');
    await eachLine(
      file,
      (line, lineNo) => {
        hash.update(line).update('\n');
        if (line.trim() === '' || problems.length >= MAX_REPORTED) return;
        const at = { file, line: lineNo };
        let parsed: unknown;
        try {
          parsed = JSON.parse(line);
        } catch (e) {
          problems.push({
            severity: 'error',
            code: 'INGEST_INVALID_JSON',
            message: (e as Error).message,
            location: at,
          });
          return;
        }
        const r = validator.validate(parsed);
        if (!('code' in r)) counted[r.table] = (counted[r.table] ?? 0) + 1;
        if ('code' in r) {
          problems.push({
            severity: 'error',
            code: r.code,
            message: r.message,
            location: { ...at, ...(r.field !== undefined ? { field: r.field } : {}) },
            ...(r.hint !== undefined ? { hint: r.hint } : {}),
          });
        }
      },
      (n) => {
        done += n;
        onProgress({ phase: 'validate', file, bytesDone: done, bytesTotal: total });
      },
    );
    hashes.set(file, hash.digest('hex'));
  }
  if (problems.length > 0) {
    throw new VigilError(
      problems[0]?.code ?? 'INGEST_INVALID',
      `import rejected, nothing stored: ${problems.length} problem(s)`,
      {
        details: problems,
      },
    );
  }
  if (dryRun) return { files: files.length, rows: counted, batchesStored: 0, batchesDuplicate: 0 };
  const rows: Record<string, number> = {};
  let stored = 0;
  let duplicate = 0;
  for (const file of files) {
    let chunk = new Map<string, Row[]>();
    let chunkRows = 0;
    let chunkNo = 0;
    const flush = async () => {
      if (chunkRows === 0) return;
      const outcome = await tenant.submit({
        key: `import:${hashes.get(file)}:${chunkNo++}`,
        tables: chunk,
        rowCount: chunkRows,
      });
      if (outcome.duplicate) duplicate++;
      else {
        stored++;
        for (const [t, list] of chunk) rows[t] = (rows[t] ?? 0) + list.length;
      }
      chunk = new Map();
      chunkRows = 0;
    };
    await eachLine(
      file,
      async (line) => {
        if (line.trim() === '') return;
        const r = validator.validate(JSON.parse(line));
        if ('code' in r) throw new Error(`${file} changed during the import`);
        const list = chunk.get(r.table) ?? [];
        list.push(r.row as Row);
        chunk.set(r.table, list);
        if (++chunkRows >= CHUNK_ROWS) await flush();
      },
      (n) => {
        done += n;
        onProgress({ phase: 'store', file, bytesDone: done, bytesTotal: total });
      },
    );
    await flush();
  }
  return { files: files.length, rows, batchesStored: stored, batchesDuplicate: duplicate };
}
