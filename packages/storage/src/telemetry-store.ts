/** A JSON-ready value of a validated row: datetimes are ISO-8601 UTC strings, longs may be decimal strings. */
export type RowValue = string | number | boolean | null | readonly unknown[] | { readonly [k: string]: unknown };

/** A validated row of one hunting table, holding only columns of that table. */
export type Row = Readonly<Record<string, RowValue>>;

/**
 * One table's validated rows as UTF-8 NDJSON, one row a line, mostly the sender's own bytes (keys that are not
 * columns, such as `Table`, may be present and are ignored).
 */
export interface NdjsonRows {
  readonly ndjson: Uint8Array;
  readonly rows: number;
}

/** The rows of one table in a batch: as objects, or as NDJSON (a decoded batch, so that parsed rows die young). */
export type TableRows = readonly Row[] | NdjsonRows;

/** One accepted batch: its deduplication key and its rows grouped by table. */
export interface BatchWrite {
  /** Unique per tenant; a key stored before is never stored again. */
  readonly key: string;
  readonly tables: ReadonlyMap<string, TableRows>;
  readonly rowCount: number;
}

/** How many rows a table of a batch has. */
export function rowCountOf(t: TableRows): number {
  return isNdjson(t) ? t.rows : t.length;
}

/** Whether a table of a batch is given as NDJSON. */
export function isNdjson(t: TableRows): t is NdjsonRows {
  return !Array.isArray(t);
}

/** A table of a batch as NDJSON bytes (rows given as objects are serialized). */
export function ndjsonOf(t: TableRows): Uint8Array {
  return isNdjson(t) ? t.ndjson : Buffer.from(`${t.map((r) => JSON.stringify(r)).join('\n')}\n`);
}

/** The outcome of a group write: which batch keys were newly stored, and which had been stored before. */
export interface WriteOutcome {
  readonly stored: readonly string[];
  readonly duplicates: readonly string[];
}

/**
 * A result set in column order. Values are JSON-ready and engine-neutral: datetimes as ISO-8601 UTC strings
 * (`2026-11-20T10:00:00.123Z`), 64-bit integers as numbers when exact (else decimal strings), JSON as parsed values,
 * durations as microseconds.
 */
export interface QueryResult {
  readonly columns: readonly { readonly name: string; readonly type: string }[];
  readonly rows: readonly (readonly unknown[])[];
  /** True when maxRows cut the result. */
  readonly truncated?: boolean;
}

/** Limits of one query. */
export interface QueryOptions {
  /** Values of the statement's `$1`, `$2`, … parameters. */
  readonly params?: readonly unknown[];
  /** Return at most this many rows (and say so with `truncated`). */
  readonly maxRows?: number;
  /** Stop the query after this many milliseconds. */
  readonly timeoutMs?: number;
  /** Stop the query when this signal aborts. */
  readonly signal?: AbortSignal;
}

/** Row count of one table. */
export interface TableCount {
  readonly table: string;
  readonly rows: number;
}

/** The telemetry store of one tenant: the hunting tables. */
export interface TelemetryStore {
  /** Writes the batches in one transaction, durably, skipping keys stored before. */
  writeBatches(batches: readonly BatchWrite[]): Promise<WriteOutcome>;
  /** True when a batch with this key has been stored. */
  hasBatch(key: string): Promise<boolean>;
  /** Runs a SQL statement (developer SQL, or SQL compiled from KQL) within the given limits. */
  query(sql: string, options?: QueryOptions): Promise<QueryResult>;
  /** Deletes rows whose time column is older than `cutoff`; returns the number deleted. */
  deleteOlderThan(cutoff: Date): Promise<number>;
  /** Row counts of every table. */
  counts(): Promise<readonly TableCount[]>;
  /** Bytes used on disk. */
  sizeBytes(): number;
  close(): Promise<void>;
}
