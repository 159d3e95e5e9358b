import type { QueryResult } from '@vigil/storage';

/** The output formats of commands that print rows. */
export type RowFormat = 'table' | 'json' | 'ndjson' | 'csv';

function objects(r: QueryResult): Record<string, unknown>[] {
  return r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c.name, row[i] ?? null])));
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function csvCell(v: unknown): string {
  const s = cell(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** Renders a result as an aligned text table, JSON, NDJSON or CSV. */
export function formatRows(r: QueryResult, format: RowFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(objects(r), null, 2)}\n`;
    case 'ndjson':
      return objects(r)
        .map((o) => `${JSON.stringify(o)}\n`)
        .join('');
    case 'csv':
      return [r.columns.map((c) => csvCell(c.name)).join(','), ...r.rows.map((row) => row.map(csvCell).join(','))]
        .map((l) => `${l}\n`)
        .join('');
    case 'table': {
      const head = r.columns.map((c) => c.name);
      const body = r.rows.map((row) => row.map((v) => cell(v).replaceAll('\n', ' ')));
      const widths = head.map((h, i) => Math.min(60, Math.max(h.length, ...body.map((b) => (b[i] ?? '').length))));
      const line = (cells: string[]) =>
        cells
          .map((c, i) =>
            c.length > (widths[i] ?? 0) ? `${c.slice(0, (widths[i] ?? 1) - 1)}…` : c.padEnd(widths[i] ?? 0),
          )
          .join('  ')
          .trimEnd();
      const sep = widths.map((w) => '-'.repeat(w)).join('  ');
      return `${[line(head), sep, ...body.map(line)].join('\n')}\n(${r.rows.length} row${r.rows.length === 1 ? '' : 's'})\n`;
    }
  }
}
