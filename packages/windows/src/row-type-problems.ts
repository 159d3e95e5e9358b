import { type ColumnType, findTable, type TableSpec } from '@vigil/schema';

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const LONG_TEXT = /^-?\d{1,19}$/;

function isLong(v: unknown): boolean {
  if (typeof v === 'number') return Number.isSafeInteger(v);
  if (typeof v !== 'string' || !LONG_TEXT.test(v)) return false;
  const b = BigInt(v);
  return b <= 0x7fff_ffff_ffff_ffffn && b >= -0x8000_0000_0000_0000n;
}

const checks: Readonly<Record<ColumnType, (v: unknown) => boolean>> = {
  string: (v) => typeof v === 'string',
  datetime: (v) => typeof v === 'string' && DATETIME.test(v) && !Number.isNaN(Date.parse(v)),
  long: isLong,
  int: (v) => typeof v === 'number' && Number.isInteger(v) && v >= -2147483648 && v <= 2147483647,
  bool: (v) => typeof v === 'boolean',
  real: (v) => typeof v === 'number' && Number.isFinite(v),
  dynamic: (v) => v !== undefined && typeof v !== 'function' && typeof v !== 'bigint',
};

const typesByTable = new Map<TableSpec, ReadonlyMap<string, ColumnType>>();

function columnTypesOf(spec: TableSpec): ReadonlyMap<string, ColumnType> {
  let types = typesByTable.get(spec);
  if (types === undefined) {
    types = new Map(spec.columns.map((c): [string, ColumnType] => [c.name, c.type]));
    typesByTable.set(spec, types);
  }
  return types;
}

/**
 * What is wrong with a row for its hunting table: unknown columns, values of the wrong type (datetimes must be
 * `YYYY-MM-DDTHH:MM:SS.ffffffZ`, longs safe integers or decimal strings) and a missing time column. Empty when the
 * row is valid.
 */
export function rowTypeProblems(table: string, row: Readonly<Record<string, unknown>>): string[] {
  const spec = findTable(table);
  if (spec === undefined) return [`unknown table ${table}`];
  const types = columnTypesOf(spec);
  const problems: string[] = [];
  for (const [name, value] of Object.entries(row)) {
    const type = types.get(name);
    if (type === undefined) problems.push(`${table} has no column ${name}`);
    else if (!checks[type](value)) problems.push(`${table}.${name} (${type}) cannot hold ${JSON.stringify(value)}`);
  }
  if (spec.timeColumn !== undefined && row[spec.timeColumn] === undefined) {
    problems.push(`${table} rows need ${spec.timeColumn}`);
  }
  return problems;
}
