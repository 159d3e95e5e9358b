import type { DuckDBResultReader } from '@duckdb/node-api';
import type { QueryResult } from '@vigil/storage';

/** Converts a DuckDB result into column names, type names and JSON-ready rows. */
export function readResult(reader: DuckDBResultReader): QueryResult {
  const columns = reader.columnNames().map((name, i) => ({ name, type: reader.columnType(i).toString() }));
  return { columns, rows: reader.getRowsJson() };
}
