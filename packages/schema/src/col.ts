import { type CommonColumnName, commonColumnDescriptions, isCommonColumnName } from './common-columns.js';
import type { ColumnSpec, ColumnType } from './table-spec.js';

/** A column whose name and type are kept as literal types, so callers can derive row types from a table spec. */
export interface Column<N extends string = string, T extends ColumnType = ColumnType> extends ColumnSpec {
  readonly name: N;
  readonly type: T;
}

/**
 * Declares a column. A shared column (see `common-columns.ts`) takes its description from there unless one is
 * given; any other column must be given one, which the overloads enforce at compile time and the body at run time.
 */
export function col<const N extends CommonColumnName, const T extends ColumnType>(
  name: N,
  type: T,
  description?: string,
): Column<N, T>;
export function col<const N extends string, const T extends ColumnType>(
  name: N,
  type: T,
  description: string,
): Column<N, T>;
export function col<const N extends string, const T extends ColumnType>(
  name: N,
  type: T,
  description?: string,
): Column<N, T> {
  const text = description ?? (isCommonColumnName(name) ? commonColumnDescriptions[name] : undefined);
  if (text === undefined || text.trim() === '') {
    throw new Error(`Column ${name} has no description: pass one to col() or add it to common-columns.ts`);
  }
  return { name, type, description: text };
}
