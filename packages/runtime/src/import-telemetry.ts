import { createHash } from 'node:crypto';
import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import type { Diagnostic } from '@vigil/base';
import { detectFormat, listInputs, readTelemetry } from '@vigil/importers';
import type { Row } from '@vigil/storage';
import { type CoverageItem, type MappingCoverage, mappingCoverage } from '@vigil/windows';
import { type ImportProgress, importNdjsonFiles } from './import-ndjson.js';
import type { Tenant } from './tenant.js';

/** What an import stored (or, with dryRun, would store). */
export interface TelemetryImportSummary {
  readonly files: number;
  readonly rows: Readonly<Record<string, number>>;
  readonly batchesStored: number;
  readonly batchesDuplicate: number;
  /** How Windows events spread over the tables, and which event types went to the raw table. */
  readonly coverage?: MappingCoverage;
  /** Problems found (corrupt records, junk entries, rows that failed validation): they were skipped. */
  readonly problemCount: number;
  readonly problems: readonly Diagnostic[];
  readonly dryRun: boolean;
}

/** Options of an import. */
export interface ImportOptions {
  readonly dryRun?: boolean;
  readonly onProgress?: (p: ImportProgress) => void;
}

const CHUNK_ROWS = 10_000;
const MAX_LISTED = 50;

async function fileHash(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

function headOf(file: string): string {
  const buf = Buffer.alloc(256);
  const fd = openSync(file, 'r');
  try {
    const n = readSync(fd, buf, 0, 256, 0);
    return buf.subarray(0, n).toString('latin1');
  } finally {
    closeSync(fd);
  }
}

/**
 * Imports files and folders: NDJSON rows `{"Table": …}` (validated whole first, nothing stored on any error), EVTX,
 * evtx_dump JSON, Security-Datasets JSON lines and zips, and Sysmon for Linux XML (normalized into the hunting
 * tables; broken records are reported and skipped, the rest is read). Batches are keyed by file hash, so the same
 * file is never stored twice.
 */
export async function importTelemetry(
  tenant: Tenant,
  paths: readonly string[],
  options: ImportOptions = {},
): Promise<TelemetryImportSummary> {
  const files = listInputs(paths);
  const rowFiles = files.filter((f) => detectFormat(f, headOf(f)) === 'rows');
  const eventFiles = files.filter((f) => !rowFiles.includes(f));
  const rows: Record<string, number> = {};
  let stored = 0;
  let duplicate = 0;
  if (rowFiles.length > 0) {
    const s = await importNdjsonFiles(tenant, rowFiles, options.onProgress, options.dryRun === true);
    for (const [t, n] of Object.entries(s.rows)) rows[t] = (rows[t] ?? 0) + n;
    stored += s.batchesStored;
    duplicate += s.batchesDuplicate;
  }
  const coverageItems: CoverageItem[] = [];
  const problems: Diagnostic[] = [];
  let problemCount = 0;
  const total = eventFiles.reduce((s, f) => s + statSync(f).size, 0);
  let done = 0;
  for (const file of eventFiles) {
    const hash = await fileHash(file);
    let chunk = new Map<string, Row[]>();
    let chunkRows = 0;
    let chunkNo = 0;
    const flush = async () => {
      if (chunkRows === 0) return;
      const key = `import:${hash}:${chunkNo++}`;
      if (options.dryRun) {
        for (const [t, list] of chunk) rows[t] = (rows[t] ?? 0) + list.length;
      } else {
        const outcome = await tenant.submit({ key, tables: chunk, rowCount: chunkRows });
        if (outcome.duplicate) duplicate++;
        else {
          stored++;
          for (const [t, list] of chunk) rows[t] = (rows[t] ?? 0) + list.length;
        }
      }
      chunk = new Map();
      chunkRows = 0;
    };
    for await (const item of readTelemetry(file)) {
      if (item.kind === 'problem') {
        problemCount++;
        if (problems.length < MAX_LISTED) problems.push(item.diagnostic);
        continue;
      }
      const v = tenant.rowValidator.validate({ ...item.row, Table: item.table });
      if ('code' in v) {
        problemCount++;
        if (problems.length < MAX_LISTED) {
          problems.push({
            code: v.code,
            message: `${item.source}: ${v.message}`,
            severity: 'error',
            location: { file, ...(v.field ? { field: v.field } : {}) },
          });
        }
        continue;
      }
      if (item.channel !== undefined && item.eventId !== undefined) {
        coverageItems.push({ table: v.table, channel: item.channel, eventId: item.eventId });
      }
      const list = chunk.get(v.table) ?? [];
      list.push(v.row as Row);
      chunk.set(v.table, list);
      if (++chunkRows >= CHUNK_ROWS) await flush();
    }
    await flush();
    done += statSync(file).size;
    options.onProgress?.({ phase: 'store', file, bytesDone: done, bytesTotal: total });
  }
  return {
    files: files.length,
    rows,
    batchesStored: stored,
    batchesDuplicate: duplicate,
    ...(coverageItems.length > 0 ? { coverage: mappingCoverage(coverageItems) } : {}),
    problemCount,
    problems,
    dryRun: options.dryRun === true,
  };
}
