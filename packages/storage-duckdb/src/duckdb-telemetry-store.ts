import { randomUUID } from 'node:crypto';
import { closeSync, mkdirSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import type { TableSpec } from '@vigil/schema';
import {
  type BatchWrite,
  ndjsonOf,
  type QueryOptions,
  type QueryResult,
  type TableCount,
  type TelemetryStore,
  type WriteOutcome,
} from '@vigil/storage';
import { duckdbTypes, quoteIdent, quoteString } from './duckdb-types.js';
import { readResult } from './read-result.js';
import { SerialQueue } from './serial-queue.js';

const BATCHES = '_vigil_batches';
const IDLE_CHECKPOINT_MS = 5_000;

/** Options of a DuckDB telemetry store. */
export interface DuckdbTelemetryOptions {
  /** The database file. */
  readonly file: string;
  /** A folder for the temporary NDJSON files that bulk loads read. */
  readonly tmpDir: string;
  readonly tables: readonly TableSpec[];
  /** Open without writing (for read-back while nothing else holds the file). */
  readonly readOnly?: boolean;
}

/** Telemetry of one tenant in one DuckDB file; each table of the schema becomes a table of the same name. */
export class DuckdbTelemetryStore implements TelemetryStore {
  private readonly writes = new SerialQueue();
  private readonly loadColumns = new Map<string, string>();

  private constructor(
    private readonly options: DuckdbTelemetryOptions,
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
  ) {
    for (const t of options.tables) {
      const cols = t.columns.map((c) => `${quoteString(c.name)}: ${quoteString(duckdbTypes[c.type])}`).join(', ');
      this.loadColumns.set(t.name, `{${cols}}`);
    }
  }

  /** Opens (and creates or migrates) the store. */
  static async open(options: DuckdbTelemetryOptions): Promise<DuckdbTelemetryStore> {
    const instance = await DuckDBInstance.create(options.file, {
      access_mode: options.readOnly ? 'READ_ONLY' : 'READ_WRITE',
    });
    const conn = await instance.connect();
    const store = new DuckdbTelemetryStore(options, instance, conn);
    if (!options.readOnly) {
      mkdirSync(options.tmpDir, { recursive: true });
      // Small commits would otherwise checkpoint every 16 MB of log and rewrite partly filled blocks over and over;
      // the store checkpoints itself once writes pause (and DuckDB does on close).
      await conn.run("SET checkpoint_threshold = '1GB'");
      await store.migrate();
    }
    return store;
  }

  private async migrate(): Promise<void> {
    await this.conn.run(
      `CREATE TABLE IF NOT EXISTS ${BATCHES} (key VARCHAR PRIMARY KEY, row_count BIGINT NOT NULL, stored_at TIMESTAMP NOT NULL)`,
    );
    for (const t of this.options.tables) {
      const existing = await this.existingColumns(t.name);
      if (existing.size === 0) {
        const cols = t.columns.map((c) => `${quoteIdent(c.name)} ${duckdbTypes[c.type]}`).join(', ');
        await this.conn.run(`CREATE TABLE ${quoteIdent(t.name)} (${cols})`);
        continue;
      }
      for (const c of t.columns) {
        if (!existing.has(c.name)) {
          await this.conn.run(
            `ALTER TABLE ${quoteIdent(t.name)} ADD COLUMN ${quoteIdent(c.name)} ${duckdbTypes[c.type]}`,
          );
        }
      }
    }
  }

  private async existingColumns(table: string): Promise<Set<string>> {
    const r = await this.conn.runAndReadAll(
      "SELECT column_name FROM information_schema.columns WHERE table_schema = 'main' AND table_name = $1",
      [table],
    );
    return new Set(r.getRowsJson().map((row) => String(row[0])));
  }

  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  writeBatches(batches: readonly BatchWrite[]): Promise<WriteOutcome> {
    return this.writes.run(async () => {
      const outcome = await this.writeNow(batches);
      this.checkpointWhenIdle();
      return outcome;
    });
  }

  /** Checkpoints once no write came for a few seconds, so that the log does not grow while the store is quiet. */
  private checkpointWhenIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      void this.writes.run(() => this.conn.run('CHECKPOINT')).catch(() => undefined);
    }, IDLE_CHECKPOINT_MS);
    this.idleTimer.unref();
  }

  private async writeNow(batches: readonly BatchWrite[]): Promise<WriteOutcome> {
    const known = await this.storedKeys(batches.map((b) => b.key));
    const fresh: BatchWrite[] = [];
    const duplicates: string[] = [];
    for (const b of batches) {
      if (known.has(b.key)) duplicates.push(b.key);
      else {
        known.add(b.key);
        fresh.push(b);
      }
    }
    if (fresh.length === 0) return { stored: [], duplicates };
    const files = this.writeLoadFiles(fresh);
    try {
      await this.conn.run('BEGIN TRANSACTION');
      try {
        for (const [table, file] of files) {
          const cols = this.options.tables.find((t) => t.name === table)?.columns ?? [];
          const names = cols.map((c) => quoteIdent(c.name)).join(', ');
          // KQL strings are never null: a missing string is stored as the empty string.
          const values = cols
            .map((c) => (c.type === 'string' ? `coalesce(${quoteIdent(c.name)}, '')` : quoteIdent(c.name)))
            .join(', ');
          await this.conn.run(
            `INSERT INTO ${quoteIdent(table)} (${names}) SELECT ${values} FROM read_json(${quoteString(file)}, format = 'newline_delimited', columns = ${this.loadColumns.get(table)}, maximum_object_size = 67108864)`,
          );
        }
        const now = new Date().toISOString();
        const values = fresh.map((_, i) => `($${i * 2 + 1}, $${i * 2 + 2}, CAST(${quoteString(now)} AS TIMESTAMP))`);
        await this.conn.run(
          `INSERT INTO ${BATCHES} VALUES ${values.join(', ')}`,
          fresh.flatMap((b) => [b.key, b.rowCount]),
        );
        await this.conn.run('COMMIT');
      } catch (e) {
        await this.conn.run('ROLLBACK').catch(() => undefined);
        throw e;
      }
    } finally {
      for (const file of files.values()) rmSync(file, { force: true });
    }
    return { stored: fresh.map((b) => b.key), duplicates };
  }

  private writeLoadFiles(batches: readonly BatchWrite[]): Map<string, string> {
    const byTable = new Map<string, Uint8Array[]>();
    for (const b of batches) {
      for (const [table, rows] of b.tables) {
        if (!this.loadColumns.has(table)) throw new Error(`table ${table} is not in the schema`);
        const parts = byTable.get(table) ?? [];
        // The batch's own NDJSON when it has it: no second serialization.
        parts.push(ndjsonOf(rows));
        byTable.set(table, parts);
      }
    }
    const files = new Map<string, string>();
    for (const [table, parts] of byTable) {
      const file = join(this.options.tmpDir, `${table}-${randomUUID()}.ndjson`);
      files.set(table, file);
      const fd = openSync(file, 'w');
      try {
        for (const part of parts) {
          for (let at = 0; at < part.length; ) at += writeSync(fd, part, at, part.length - at);
        }
      } finally {
        closeSync(fd);
      }
    }
    return files;
  }

  private async storedKeys(keys: readonly string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const params = keys.map((_, i) => `$${i + 1}`).join(', ');
    const r = await this.conn.runAndReadAll(`SELECT key FROM ${BATCHES} WHERE key IN (${params})`, [...keys]);
    return new Set(r.getRowsJson().map((row) => String(row[0])));
  }

  async hasBatch(key: string): Promise<boolean> {
    return (await this.storedKeys([key])).has(key);
  }

  async query(sql: string, options: QueryOptions = {}): Promise<QueryResult> {
    const conn = await this.instance.connect();
    const stop = () => conn.interrupt();
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(stop, options.timeoutMs);
    options.signal?.addEventListener('abort', stop, { once: true });
    try {
      if (options.signal?.aborted) throw new Error('the query was cancelled');
      const limited =
        options.maxRows === undefined
          ? sql
          : `SELECT * FROM (${sql}) AS _limited LIMIT ${Math.floor(options.maxRows) + 1}`;
      const reader = await conn.runAndReadAll(limited, (options.params ?? []) as DuckDBValue[]);
      return readResult(reader, options.maxRows);
    } catch (e) {
      if (options.signal?.aborted) throw new Error('the query was cancelled');
      if (timer !== undefined && /interrupt/i.test(String(e)))
        throw new Error(`the query ran over its ${options.timeoutMs} ms limit`);
      throw e;
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      options.signal?.removeEventListener('abort', stop);
      conn.closeSync();
    }
  }

  deleteOlderThan(cutoff: Date): Promise<number> {
    return this.writes.run(async () => {
      let deleted = 0;
      for (const t of this.options.tables) {
        if (!t.timeColumn) continue;
        const r = await this.conn.run(`DELETE FROM ${quoteIdent(t.name)} WHERE ${quoteIdent(t.timeColumn)} < $1`, [
          cutoff.toISOString().replace('Z', ''),
        ]);
        deleted += Number(r.rowsChanged);
      }
      if (deleted > 0) await this.conn.run('CHECKPOINT');
      return deleted;
    });
  }

  async counts(): Promise<readonly TableCount[]> {
    const out: TableCount[] = [];
    for (const t of this.options.tables) {
      const r = await this.conn.runAndReadAll(`SELECT count(*) FROM ${quoteIdent(t.name)}`);
      out.push({ table: t.name, rows: Number(r.getRowsJson()[0]?.[0] ?? 0) });
    }
    return out;
  }

  sizeBytes(): number {
    let size = 0;
    for (const f of [this.options.file, `${this.options.file}.wal`]) {
      try {
        size += statSync(f).size;
      } catch {
        // a missing WAL file is normal after a checkpoint
      }
    }
    return size;
  }

  async close(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    await this.writes.run(async () => {
      this.conn.closeSync();
      this.instance.closeSync();
    });
  }
}
