import type { ColumnInfo } from './checked-tree.js';
import type { KType, PlanColumn } from './plan.js';

const KNOWN = new Set(['string', 'long', 'int', 'real', 'decimal', 'bool', 'datetime', 'timespan', 'dynamic', 'guid']);

/** Maps a Kusto type name to the plan's type. */
export function ktype(name: string | undefined): KType {
  if (!name) return 'unknown';
  if (name === 'boolean') return 'bool';
  if (name === 'double') return 'real';
  if (name === 'date') return 'datetime';
  if (name === 'time') return 'timespan';
  return KNOWN.has(name) ? (name as KType) : 'unknown';
}

/** Plan columns of a tabular result. */
export function planColumns(cols: readonly ColumnInfo[] | undefined): PlanColumn[] {
  return (cols ?? []).map((c) => ({ name: c.name, type: ktype(c.type) }));
}
