import { CompileError } from './compile-error.js';
import { DUCKDB_AGGREGATES } from './duckdb-aggregates.js';
import {
  formatTimespan,
  ipv4Number,
  ipv4Prefix,
  parseCommandLine,
  parsePath,
  parseUrl,
  strftimeFormat,
} from './duckdb-formats.js';
import { duckdbMakeSeries } from './duckdb-series.js';
import { anyAll, ci, hasOp, inList, literalString, q, text } from './duckdb-text.js';
import type { Expr, KType } from './plan.js';
import type { Dialect, SqlContext } from './sql-context.js';

function compare(op: string, a: string, b: string, args: readonly Expr[]): string {
  const [x, y] = args;
  if (x?.type === 'dynamic' && y && y.type !== 'dynamic') return `(${cast(a, x, y.type)} ${op} ${b})`;
  if (y?.type === 'dynamic' && x && x.type !== 'dynamic') return `(${a} ${op} ${cast(b, y, x.type)})`;
  return `(${a} ${op} ${b})`;
}

function cast(sql: string, e: Expr, to: KType): string {
  if (to === 'string' || to === 'unknown') return text(sql, e);
  const target = {
    long: 'BIGINT',
    int: 'INTEGER',
    real: 'DOUBLE',
    decimal: 'DOUBLE',
    bool: 'BOOLEAN',
    datetime: 'TIMESTAMP',
    timespan: 'INTERVAL',
    guid: 'VARCHAR',
    dynamic: 'JSON',
  }[to];
  if (e.type === 'dynamic') return `TRY_CAST(json_extract_string(${sql}, '$') AS ${target})`;
  return `TRY_CAST(${sql} AS ${target})`;
}

const DATE_PARTS: Readonly<Record<string, string>> = {
  year: 'year',
  quarter: 'quarter',
  month: 'month',
  week: 'week',
  day: 'day',
  hour: 'hour',
  minute: 'minute',
  second: 'second',
  millisecond: 'millisecond',
  microsecond: 'microsecond',
};

function datePart(e: Expr | undefined): string {
  const p = literalString(e)?.toLowerCase();
  const part = p ? DATE_PARTS[p] : undefined;
  if (!part)
    throw new CompileError(
      'HUNT_BAD_ARGUMENT',
      `"${p ?? '?'}" is not a date part`,
      0,
      0,
      Object.keys(DATE_PARTS).join(', '),
    );
  return `'${part}'`;
}

function constInt(e: Expr | undefined, what: string): number {
  if (e?.kind === 'literal' && typeof e.value === 'number' && Number.isInteger(e.value)) return e.value;
  throw new CompileError('HUNT_NOT_CONSTANT', `${what} must be a constant whole number`, 0, 0);
}

type Render = (s: readonly string[], a: readonly Expr[], t: KType, ctx: SqlContext) => string;

const FUNCTIONS: Readonly<Record<string, Render>> = {
  eq: (s, a) => compare('=', s[0] as string, s[1] as string, a),
  ne: (s, a) => compare('<>', s[0] as string, s[1] as string, a),
  lt: (s, a) => compare('<', s[0] as string, s[1] as string, a),
  le: (s, a) => compare('<=', s[0] as string, s[1] as string, a),
  gt: (s, a) => compare('>', s[0] as string, s[1] as string, a),
  ge: (s, a) => compare('>=', s[0] as string, s[1] as string, a),
  and: (s) => `(${s[0]} AND ${s[1]})`,
  or: (s) => `(${s[0]} OR ${s[1]})`,
  not: (s) => `(NOT ${s[0]})`,
  neg: (s) => `(-${s[0]})`,
  add: (s) => `(${s[0]} + ${s[1]})`,
  sub: (s) => `(${s[0]} - ${s[1]})`,
  mul: (s) => `(${s[0]} * ${s[1]})`,
  mod: (s) => `(${s[0]} % ${s[1]})`,
  div: (s, a) => {
    const [x, y] = a;
    if (x?.type === 'timespan' && y?.type === 'timespan') return `(epoch(${s[0]}) / epoch(${s[1]}))`;
    const ints = ['long', 'int'];
    if (ints.includes(x?.type ?? '') && ints.includes(y?.type ?? '')) return `(${s[0]} // ${s[1]})`;
    return `(${s[0]} / ${s[1]})`;
  },
  eq_ci: (s, a, _t, ctx) => `(lower(${text(s[0] as string, a[0])}) = ${ci(s, 1, a, ctx)})`,
  ne_ci: (s, a, _t, ctx) => `(lower(${text(s[0] as string, a[0])}) <> ${ci(s, 1, a, ctx)})`,
  contains: (s, a, _t, ctx) => `contains(lower(${text(s[0] as string, a[0])}), ${ci(s, 1, a, ctx)})`,
  contains_cs: (s, a) => `contains(${text(s[0] as string, a[0])}, ${text(s[1] as string, a[1])})`,
  startswith: (s, a, _t, ctx) => `starts_with(lower(${text(s[0] as string, a[0])}), ${ci(s, 1, a, ctx)})`,
  startswith_cs: (s, a) => `starts_with(${text(s[0] as string, a[0])}, ${text(s[1] as string, a[1])})`,
  endswith: (s, a, _t, ctx) => `ends_with(lower(${text(s[0] as string, a[0])}), ${ci(s, 1, a, ctx)})`,
  endswith_cs: (s, a) => `ends_with(${text(s[0] as string, a[0])}, ${text(s[1] as string, a[1])})`,
  has: (s, a, _t, ctx) => hasOp(s, a, ctx, true, true, false),
  has_cs: (s, a, _t, ctx) => hasOp(s, a, ctx, true, true, true),
  hasprefix: (s, a, _t, ctx) => hasOp(s, a, ctx, true, false, false),
  hasprefix_cs: (s, a, _t, ctx) => hasOp(s, a, ctx, true, false, true),
  hassuffix: (s, a, _t, ctx) => hasOp(s, a, ctx, false, true, false),
  hassuffix_cs: (s, a, _t, ctx) => hasOp(s, a, ctx, false, true, true),
  matches_regex: (s, a) => `regexp_matches(${text(s[0] as string, a[0])}, ${s[1]})`,
  between: (s, a) =>
    a[0]?.type === 'datetime' && a[2]?.type === 'timespan'
      ? `(${s[0]} BETWEEN ${s[1]} AND (${s[1]} + ${s[2]}))`
      : `(${s[0]} BETWEEN ${s[1]} AND ${s[2]})`,
  lower: (s, a) => `lower(${text(s[0] as string, a[0])})`,
  upper: (s, a) => `upper(${text(s[0] as string, a[0])})`,
  strlen: (s, a) => `length(${text(s[0] as string, a[0])})`,
  substring: (s, a) =>
    s[2] === undefined
      ? `substr(${text(s[0] as string, a[0])}, (${s[1]}) + 1)`
      : `substr(${text(s[0] as string, a[0])}, (${s[1]}) + 1, ${s[2]})`,
  concat: (s, a) => `concat(${s.map((x, i) => text(x, a[i])).join(', ')})`,
  concat_ws: (s, a) => `concat_ws(${s.map((x, i) => text(x, a[i])).join(', ')})`,
  tostring: (s, a) => {
    const e = a[0];
    if (e?.type === 'datetime') return `strftime(${s[0]}, '%Y-%m-%dT%H:%M:%S.%fZ')`;
    return `coalesce(${text(s[0] as string, e)}, '')`;
  },
  tolong: (s, a) => cast(s[0] as string, a[0] as Expr, 'long'),
  toint: (s, a) => cast(s[0] as string, a[0] as Expr, 'int'),
  todouble: (s, a) => cast(s[0] as string, a[0] as Expr, 'real'),
  tobool: (s, a) => cast(s[0] as string, a[0] as Expr, 'bool'),
  todatetime: (s, a) => (a[0]?.type === 'datetime' ? (s[0] as string) : cast(s[0] as string, a[0] as Expr, 'datetime')),
  totimespan: (s, a) => (a[0]?.type === 'timespan' ? (s[0] as string) : cast(s[0] as string, a[0] as Expr, 'timespan')),
  parse_json: (s, a) =>
    a[0]?.type === 'dynamic'
      ? (s[0] as string)
      : `(CASE WHEN json_valid(${text(s[0] as string, a[0])}) THEN CAST(${text(s[0] as string, a[0])} AS JSON) ELSE to_json(${s[0]}) END)`,
  dyn_get: (s, a, _t, ctx) => {
    const base = a[0]?.type === 'dynamic' ? (s[0] as string) : `TRY_CAST(${s[0]} AS JSON)`;
    const key = a[1];
    if (key?.kind === 'literal' && typeof key.value === 'number') {
      return `json_extract(${base}, ${ctx.bind(key.value < 0 ? `$[#${key.value}]` : `$[${key.value}]`)})`;
    }
    if (key?.kind === 'literal' && typeof key.value === 'string') {
      return `json_extract(${base}, ${ctx.bind(`$."${key.value.replaceAll('"', '\\"')}"`)})`;
    }
    return `json_extract(${base}, '$."' || ${s[1]} || '"')`;
  },
  isempty: (s, a) =>
    a[0]?.type === 'string' || a[0]?.type === 'dynamic'
      ? `(${s[0]} IS NULL OR ${text(s[0] as string, a[0])} = '')`
      : `(${s[0]} IS NULL)`,
  isnotempty: (s, a) =>
    a[0]?.type === 'string' || a[0]?.type === 'dynamic'
      ? `(${s[0]} IS NOT NULL AND ${text(s[0] as string, a[0])} <> '')`
      : `(${s[0]} IS NOT NULL)`,
  isnull: (s) => `(${s[0]} IS NULL)`,
  isnotnull: (s) => `(${s[0]} IS NOT NULL)`,
  iff: (s) => `(CASE WHEN ${s[0]} THEN ${s[1]} ELSE ${s[2]} END)`,
  coalesce: (s, a) => `coalesce(${s.map((x, i) => (a[i]?.type === 'string' ? `nullif(${x}, '')` : x)).join(', ')})`,
  bin: (s, a) =>
    a[0]?.type === 'datetime'
      ? `time_bucket(${s[1]}, ${s[0]}, TIMESTAMP '0001-01-01 00:00:00')`
      : a[0]?.type === 'timespan'
        ? `to_microseconds(CAST(floor(epoch_us(${s[0]}) / epoch_us(${s[1]})) * epoch_us(${s[1]}) AS BIGINT))`
        : `(floor((${s[0]}) / (${s[1]})) * (${s[1]}))`,
  startofday: (s) => `date_trunc('day', ${s[0]})`,
  startofweek: (s) => `CAST(date_trunc('day', ${s[0]}) - to_days(CAST(dayofweek(${s[0]}) AS INTEGER)) AS TIMESTAMP)`,
  startofmonth: (s) => `date_trunc('month', ${s[0]})`,
  startofyear: (s) => `date_trunc('year', ${s[0]})`,
  endofday: (s) => `(date_trunc('day', ${s[0]}) + INTERVAL 1 DAY - INTERVAL 1 MICROSECOND)`,
  datetime_diff: (s, a) => `date_diff(${datePart(a[0])}, ${s[2]}, ${s[1]})`,
  datetime_add: (s, a) => `(${s[2]} + ${s[1]} * INTERVAL 1 ${datePart(a[0]).slice(1, -1)})`,
  format_timespan: (s, a, _t, ctx) => formatTimespan(s[0] as string, literalString(a[1]) ?? 'd.hh:mm:ss', ctx),
  format_datetime: (s, a, _t, ctx) =>
    `strftime(${s[0]}, ${ctx.bind(strftimeFormat(literalString(a[1]) ?? 'yyyy-MM-dd HH:mm:ss'))})`,
  dayofweek: (s) => `to_days(CAST(dayofweek(${s[0]}) AS INTEGER))`,
  hourofday: (s) => `hour(${s[0]})`,
  dayofmonth: (s) => `day(${s[0]})`,
  getmonth: (s) => `month(${s[0]})`,
  getyear: (s) => `year(${s[0]})`,
  split: (s, a) =>
    s[2] === undefined
      ? `to_json(string_split(${text(s[0] as string, a[0])}, ${s[1]}))`
      : `to_json([string_split(${text(s[0] as string, a[0])}, ${s[1]})[(${s[2]}) + 1]])`,
  replace_string: (s, a) => `replace(${text(s[0] as string, a[0])}, ${s[1]}, ${s[2]})`,
  replace_regex: (s, a, _t, _ctx) =>
    a.length === 3 && a[0]?.kind === 'literal' && a[2]?.kind !== 'literal'
      ? `regexp_replace(${text(s[2] as string, a[2])}, ${s[0]}, ${s[1]}, 'g')`
      : `regexp_replace(${text(s[0] as string, a[0])}, ${s[1]}, ${s[2]}, 'g')`,
  trim_regex: (s, a) =>
    `regexp_replace(${text(s[1] as string, a[1])}, '^(' || ${s[0]} || ')+|(' || ${s[0]} || ')+$', '', 'g')`,
  trim_start_regex: (s, a) => `regexp_replace(${text(s[1] as string, a[1])}, '^(' || ${s[0]} || ')+', '')`,
  trim_end_regex: (s, a) => `regexp_replace(${text(s[1] as string, a[1])}, '(' || ${s[0]} || ')+$', '')`,
  extract: (s, a) =>
    `nullif(regexp_extract(${text(s[2] as string, a[2])}, ${s[0]}, ${constInt(a[1], 'the capture group')}), '')`,
  extract_all: (s, a) => {
    const src = a.length === 3 ? text(s[2] as string, a[2]) : text(s[1] as string, a[1]);
    const re = literalString(a[0]) ?? '';
    const group = /\((?!\?)/.test(re) ? 1 : 0;
    return `to_json(regexp_extract_all(${src}, ${s[0]}, ${group}))`;
  },
  extractjson: (s, a) => {
    const value = `json_extract_string(${text(s[1] as string, a[1])}, ${s[0]})`;
    const t = a[2]?.kind === 'literal' ? String(a[2].value) : 'string';
    return t === 'string' || t === 'dynamic'
      ? value
      : `TRY_CAST(${value} AS ${t === 'long' || t === 'int' ? 'BIGINT' : t === 'bool' ? 'BOOLEAN' : t === 'datetime' ? 'TIMESTAMP' : 'DOUBLE'})`;
  },
  url_encode: (s, a) => `url_encode(${text(s[0] as string, a[0])})`,
  parse_url: (s, a) => parseUrl(text(s[0] as string, a[0])),
  array_length: (s, a) => `json_array_length(${a[0]?.type === 'dynamic' ? s[0] : `TRY_CAST(${s[0]} AS JSON)`})`,
  pack: (s) => `json_object(${s.map((x, i) => (i % 2 === 0 ? `CAST(${x} AS VARCHAR)` : x)).join(', ')})`,
  rand: (s) => (s[0] === undefined ? 'random()' : `floor(random() * (${s[0]}))`),
  array_slice: (s) =>
    `to_json(list_slice(CAST(json_extract(${s[0]}, '$[*]') AS JSON[]), (${s[1]}) + 1, (${s[2]}) + 1))`,
  array_sort_asc: (s) => `to_json(list_sort(CAST(json_extract(${s[0]}, '$[*]') AS JSON[])))`,
  array_sort_desc: (s) => `to_json(list_reverse_sort(CAST(json_extract(${s[0]}, '$[*]') AS JSON[])))`,
  cot: (s) => `cot(${s[0]})`,
  isutf8: () => 'TRUE',
  range_array: (s) => `to_json(range(${s[0]}, (${s[1]}) + ${s[2] ?? '1'}, ${s[2] ?? '1'}))`,
  ...Object.fromEntries(
    ['sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'atan2', 'degrees', 'radians', 'pi', 'ceil', 'sign', 'log2'].map(
      (f) => [f, (s: readonly string[]) => `${f}(${s.join(', ')})`],
    ),
  ),
  pack_array: (s) => `json_array(${s.join(', ')})`,
  base64_decode_tostring: (s, a) => `TRY(decode(from_base64(${text(s[0] as string, a[0])})))`,
  base64_decode_toarray: (s, a) =>
    `to_json(list_transform(range(0, length(hex(TRY(from_base64(${text(s[0] as string, a[0])})))), 2), i -> ('0x' || substr(hex(TRY(from_base64(${text(s[0] as string, a[0])}))), i + 1, 2))::INTEGER))`,
  make_string: (s, a) =>
    `concat(${s
      .map((x, i) =>
        a[i]?.type === 'dynamic'
          ? `coalesce(array_to_string(list_transform(CAST(json_extract_string(${x}, '$[*]') AS INTEGER[]), c -> chr(c)), ''), '')`
          : `chr(CAST(${x} AS INTEGER))`,
      )
      .join(', ')})`,
  base64_encode_tostring: (s, a) => `to_base64(encode(${text(s[0] as string, a[0])}))`,
  url_decode: (s, a) => `url_decode(${text(s[0] as string, a[0])})`,
  indexof: (s, a) => `(strpos(${text(s[0] as string, a[0])}, ${s[1]}) - 1)`,
  countof: (s, a) =>
    `((length(${text(s[0] as string, a[0])}) - length(replace(${text(s[0] as string, a[0])}, ${s[1]}, ''))) // greatest(length(${s[1]}), 1))`,
  reverse: (s, a) => `reverse(${text(s[0] as string, a[0])})`,
  strcat_array: (s) => `array_to_string(CAST(json_extract_string(${s[0]}, '$[*]') AS VARCHAR[]), ${s[1]})`,
  parse_path: (s, a) => parsePath(text(s[0] as string, a[0])),
  parse_command_line: (s, a) => parseCommandLine(text(s[0] as string, a[0])),
  ipv4_is_match: (s, a) => {
    const x = text(s[0] as string, a[0]);
    const y = text(s[1] as string, a[1]);
    const bits = `least(${ipv4Prefix(x, undefined)}, ${ipv4Prefix(y, s[2])})`;
    const mask = `(4294967296 - (1::BIGINT << (32 - ${bits})))`;
    return `((${ipv4Number(x)} & ${mask}) = (${ipv4Number(y)} & ${mask}))`;
  },
  ipv4_is_in_range: (s, a) => {
    const x = text(s[0] as string, a[0]);
    const y = text(s[1] as string, a[1]);
    const mask = `(4294967296 - (1::BIGINT << (32 - ${ipv4Prefix(y, undefined)})))`;
    return `((${ipv4Number(x)} & ${mask}) = (${ipv4Number(y)} & ${mask}))`;
  },
  ipv4_is_private: (s, a) =>
    `regexp_matches(${text(s[0] as string, a[0])}, '^(10\\.|192\\.168\\.|172\\.(1[6-9]|2[0-9]|3[01])\\.)')`,
  abs: (s, a) => (a[0]?.type === 'timespan' ? `to_microseconds(abs(epoch_us(${s[0]})))` : `abs(${s[0]})`),
  coalesce_empty: (s) => `coalesce(${s[0]}, '')`,
  round: (s) => (s[1] === undefined ? `round(${s[0]})` : `round(${s[0]}, ${s[1]})`),
  log10: (s) => `log10(${s[0]})`,
  ln: (s) => `ln(${s[0]})`,
  sqrt: (s) => `sqrt(${s[0]})`,
  pow: (s) => `pow(${s[0]}, ${s[1]})`,
  exp: (s) => `exp(${s[0]})`,
  least: (s) => `least(${s.join(', ')})`,
  greatest: (s) => `greatest(${s.join(', ')})`,
  hash_sha256: (s, a) => `sha256(${text(s[0] as string, a[0])})`,
  hash_md5: (s, a) => `md5(${text(s[0] as string, a[0])})`,
  unixtime_seconds_todatetime: (s) => `CAST(to_timestamp(${s[0]}) AS TIMESTAMP)`,
  unixtime_milliseconds_todatetime: (s) => `CAST(epoch_ms(CAST(${s[0]} AS BIGINT)) AS TIMESTAMP)`,
  tohex: (s) => `lower(hex(${s[0]}))`,
  set_has_element: (s, a) =>
    `list_contains(CAST(json_extract_string(${s[0]}, '$[*]') AS VARCHAR[]), ${text(s[1] as string, a[1])})`,
  array_concat: (s) => `to_json(list_concat(${s.map((x) => `CAST(json_extract(${x}, '$[*]') AS JSON[])`).join(', ')}))`,
  bag_keys: (s) => `to_json(json_keys(${s[0]}))`,
  row_field: (s, a) => `struct_extract(${s[0]}, 'f${a[1]?.kind === 'literal' ? Number(a[1].value) : 0}')`,
  in: (s, a, _t, ctx) => inList(s, a, false, ctx),
  in_ci: (s, a, _t, ctx) => inList(s, a, true, ctx),
  has_any: (s, a, _t, ctx) => anyAll(s, a, ctx, ' OR '),
  has_all: (s, a, _t, ctx) => anyAll(s, a, ctx, ' AND '),
};

/** The DuckDB type of each plan type. */
const SQL_TYPES: Readonly<Record<KType, string>> = {
  string: 'VARCHAR',
  long: 'BIGINT',
  int: 'INTEGER',
  real: 'DOUBLE',
  decimal: 'DOUBLE',
  bool: 'BOOLEAN',
  datetime: 'TIMESTAMP',
  timespan: 'INTERVAL',
  dynamic: 'JSON',
  guid: 'VARCHAR',
  unknown: 'VARCHAR',
};

/** DuckDB: parameters `$n`, TIMESTAMP and INTERVAL for datetime and timespan, JSON for dynamic. */
export const duckdbDialect: Dialect = {
  name: 'duckdb',
  quoteIdent: q,
  literal(value, type, ctx) {
    if (value === null) {
      return `CAST(NULL AS ${SQL_TYPES[type]})`;
    }
    switch (type) {
      case 'datetime':
        if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}$/.test(value)) {
          return `CAST(${ctx.bind(String(value))} AS TIMESTAMP)`;
        }
        return `TIMESTAMP '${value}'`;
      case 'timespan':
        return `to_microseconds(CAST(${Number(value)} AS BIGINT))`;
      case 'dynamic':
        return `CAST(${ctx.bind(String(value))} AS JSON)`;
      case 'bool':
        return value ? 'TRUE' : 'FALSE';
      case 'long':
      case 'int':
        return Number.isInteger(value) ? `CAST(${Number(value)} AS BIGINT)` : `${Number(value)}`;
      case 'real':
      case 'decimal':
        return `CAST(${Number(value)} AS DOUBLE)`;
      default:
        return typeof value === 'number' ? `${value}` : `CAST(${ctx.bind(String(value))} AS VARCHAR)`;
    }
  },
  call(fn, sql, args, type, ctx) {
    const render = FUNCTIONS[fn];
    if (!render) throw new CompileError('HUNT_UNKNOWN_FUNCTION', `the function ${fn} has no DuckDB form`, 0, 0);
    return render(sql, args, type, ctx);
  },
  aggregate(fn, sql, args, filter) {
    const render = DUCKDB_AGGREGATES[fn];
    if (!render) throw new CompileError('HUNT_UNKNOWN_FUNCTION', `the aggregate ${fn} has no DuckDB form`, 0, 0);
    return render(sql, args, filter ? ` FILTER (WHERE ${filter})` : '');
  },
  sentinel(column, table, hasTimestamp, ctx) {
    switch (column) {
      case 'TimeGenerated':
        return hasTimestamp ? q('Timestamp') : 'CAST(NULL AS TIMESTAMP)';
      case 'Type':
        return `CAST(${ctx.bind(table)} AS VARCHAR)`;
      case 'SourceSystem':
        return "'Vigil'";
      default:
        return "''";
    }
  },
  firstPerGroup(inner, partition, order) {
    const over = `${partition.length > 0 ? `PARTITION BY ${partition.join(', ')} ` : ''}ORDER BY ${order}`;
    return `SELECT * FROM (${inner}) AS _t QUALIFY row_number() OVER (${over}) = 1`;
  },
  externalFiles(files, format, header, columns, ctx) {
    const cols = `{${columns.map((c) => `'${c.name.replaceAll("'", "''")}': '${SQL_TYPES[c.type]}'`).join(', ')}}`;
    const list = `[${files.map((f) => ctx.bind(f)).join(', ')}]`;
    if (format === 'json' || format === 'multijson') {
      return `SELECT * FROM read_json(${list}, columns = ${cols}, format = '${format === 'json' ? 'newline_delimited' : 'auto'}')`;
    }
    const delim = { csv: ',', scsv: ';', psv: '|', tsv: '\t', txt: '\x1f' }[format] ?? ',';
    return `SELECT * FROM read_csv(${list}, header = ${header ? 'true' : 'false'}, delim = E'${delim}', columns = ${cols}, auto_detect = false, quote = '${format === 'txt' ? '' : '"'}')`;
  },
  makeSeries: duckdbMakeSeries,
  expand(inner, select, value, limit) {
    const list = `(CASE WHEN json_type(${value}) = 'ARRAY' THEN CAST(json_extract(${value}, '$[*]') AS JSON[]) WHEN ${value} IS NULL THEN CAST([] AS JSON[]) ELSE [CAST(${value} AS JSON)] END)`;
    const sliced = limit === undefined ? list : `list_slice(${list}, 1, ${limit})`;
    return `SELECT ${select} FROM (${inner}) AS _t, unnest(${sliced}) AS _x(_v)`;
  },
};
