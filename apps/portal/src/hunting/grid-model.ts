import { cellText } from '../common/format';

/** How the results grid is sorted. */
export interface GridSort {
  readonly column: string;
  readonly direction: 'asc' | 'desc';
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined || a === '') return 1;
  if (b === null || b === undefined || b === '') return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return cellText(a).localeCompare(cellText(b), undefined, { numeric: true });
}

/** Rows whose cells contain `filter` (case-insensitive, any column), sorted; empty values sort last. */
export function viewRows(
  rows: readonly Record<string, unknown>[],
  filter: string,
  sort: GridSort | null,
): Record<string, unknown>[] {
  const needle = filter.trim().toLowerCase();
  const kept = needle
    ? rows.filter((row) => Object.values(row).some((v) => cellText(v).toLowerCase().includes(needle)))
    : [...rows];
  if (sort) {
    const sign = sort.direction === 'asc' ? 1 : -1;
    kept.sort((x, y) => {
      const a = x[sort.column];
      const b = y[sort.column];
      const empty = (v: unknown) => v === null || v === undefined || v === '';
      // Empty values stay last whichever way the column is sorted.
      if (empty(a) || empty(b)) return compare(a, b);
      return sign * compare(a, b);
    });
  }
  return kept;
}

/** The next sort after a click on a column header: ascending, descending, then unsorted. */
export function nextSort(current: GridSort | null, column: string): GridSort | null {
  if (current?.column !== column) return { column, direction: 'asc' };
  return current.direction === 'asc' ? { column, direction: 'desc' } : null;
}
