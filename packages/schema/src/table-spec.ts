/** The column types of the advanced-hunting tables, as Kusto names them. */
export type ColumnType = 'string' | 'datetime' | 'long' | 'int' | 'bool' | 'real' | 'dynamic';

/** The column types, in a fixed order. */
export const columnTypes = [
  'string',
  'datetime',
  'long',
  'int',
  'bool',
  'real',
  'dynamic',
] as const satisfies readonly ColumnType[];

/** One column of a hunting table. */
export interface ColumnSpec {
  readonly name: string;
  readonly type: ColumnType;
  readonly description: string;
}

/** Who may write rows of a table: endpoint sensors and importers, or only the server itself (alerts). */
export type TableWriter = 'sensor' | 'server';

/** An example hunting query for a table, shown in the docs and compiled by the hunting tests. */
export interface TableExample {
  readonly title: string;
  readonly query: string;
}

/** A hunting table: its name, what it holds, its columns in documented order and example queries. */
export interface TableSpec {
  readonly name: string;
  readonly description: string;
  /** Docs grouping. */
  readonly group: 'devices' | 'alerts' | 'vulnerability-management' | 'vigil';
  /** Who may write rows; agents and importers may only write `sensor` tables. */
  readonly writers: readonly TableWriter[];
  /** The event-time column that retention and time filters use; absent for snapshot tables. */
  readonly timeColumn?: string;
  readonly columns: readonly ColumnSpec[];
  readonly examples: readonly TableExample[];
}
