import type { DuckDBResultReader, DuckDBType } from '@duckdb/node-api';
import type { QueryResult } from '@vigil/storage';

type Convert = (v: unknown) => unknown;

function isoTimestamp(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const [date, time = '00:00:00'] = v.split(' ');
  const [hms, frac = ''] = time.split('.');
  const f = frac.replace(/0+$/, '');
  return `${date}T${hms}${f ? `.${f}` : ''}Z`;
}

function bigint(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v;
}

function json(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

function interval(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  const { months = 0, days = 0, micros = 0 } = v as { months?: number; days?: number; micros?: number | string };
  return (Number(months) * 30 + Number(days)) * 86_400e6 + Number(micros);
}

function converter(type: DuckDBType): Convert | undefined {
  if (type.alias === 'JSON') return json;
  switch (type.toString()) {
    case 'TIMESTAMP':
    case 'TIMESTAMP WITH TIME ZONE':
    case 'TIMESTAMP_NS':
    case 'TIMESTAMP_MS':
    case 'TIMESTAMP_S':
      return isoTimestamp;
    case 'BIGINT':
    case 'HUGEINT':
    case 'UBIGINT':
    case 'UHUGEINT':
      return bigint;
    case 'INTERVAL':
      return interval;
    default:
      return undefined;
  }
}

/** Converts a DuckDB result into engine-neutral column types and values (see QueryResult). */
export function readResult(reader: DuckDBResultReader, maxRows?: number): QueryResult {
  const types = reader.columnTypes();
  const columns = reader.columnNames().map((name, i) => {
    const t = types[i] as DuckDBType;
    return { name, type: t.alias ?? t.toString() };
  });
  const converters = types.map(converter);
  let rows = reader.getRowsJson() as unknown[][];
  const truncated = maxRows !== undefined && rows.length > maxRows;
  if (truncated) rows = rows.slice(0, maxRows);
  if (converters.some((c) => c !== undefined)) {
    for (const row of rows) {
      for (let i = 0; i < row.length; i++) {
        const c = converters[i];
        if (c && row[i] !== null) row[i] = c(row[i]);
      }
    }
  }
  return truncated ? { columns, rows, truncated } : { columns, rows };
}
