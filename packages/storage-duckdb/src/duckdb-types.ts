import type { ColumnType } from '@vigil/schema';

/** The DuckDB type that stores each hunting column type. */
export const duckdbTypes: Readonly<Record<ColumnType, string>> = {
  string: 'VARCHAR',
  datetime: 'TIMESTAMP',
  long: 'BIGINT',
  int: 'INTEGER',
  bool: 'BOOLEAN',
  real: 'DOUBLE',
  dynamic: 'JSON',
};

/** Quotes an identifier for DuckDB. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quotes a string literal for DuckDB, for the few places where parameters are not accepted. */
export function quoteString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
