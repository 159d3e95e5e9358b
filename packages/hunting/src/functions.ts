import { child, elements, type KNode, nameText } from './checked-tree.js';
import { CompileError, unsupported } from './compile-error.js';
import { ktype } from './ktypes.js';
import type { Expr, KType } from './plan.js';
import type { Scope } from './scope.js';

type Build = (node: KNode, scope: Scope) => Expr;
type Handler = (args: Expr[], type: KType, node: KNode, scope: Scope) => Expr;

const c = (fn: string, args: readonly Expr[], type: KType): Expr => ({ kind: 'call', fn, args, type });
const agg = (fn: string, args: readonly Expr[], type: KType, filter?: Expr): Expr =>
  filter ? { kind: 'agg', fn, args, type, filter } : { kind: 'agg', fn, args, type };

/** Scalar functions whose plan function has the same arguments: KQL name → plan name. */
const SAME: Readonly<Record<string, string>> = {
  tolower: 'lower',
  toupper: 'upper',
  strlen: 'strlen',
  tostring: 'tostring',
  tolong: 'tolong',
  toint: 'toint',
  todouble: 'todouble',
  toreal: 'todouble',
  tobool: 'tobool',
  toboolean: 'tobool',
  todatetime: 'todatetime',
  totimespan: 'totimespan',
  toguid: 'tostring',
  todecimal: 'todouble',
  parse_json: 'parse_json',
  parsejson: 'parse_json',
  url_encode: 'url_encode',
  url_encode_component: 'url_encode',
  todynamic: 'parse_json',
  isempty: 'isempty',
  isnotempty: 'isnotempty',
  notempty: 'isnotempty',
  notnull: 'isnotnull',
  isnull: 'isnull',
  isnotnull: 'isnotnull',
  strcat: 'concat',
  substring: 'substring',
  split: 'split',
  replace_string: 'replace_string',
  replace_regex: 'replace_regex',
  replace: 'replace_regex',
  trim: 'trim_regex',
  trim_start: 'trim_start_regex',
  trim_end: 'trim_end_regex',
  extract: 'extract',
  extract_all: 'extract_all',
  extractall: 'extract_all',
  range: 'range_array',
  sin: 'sin',
  cos: 'cos',
  tan: 'tan',
  asin: 'asin',
  acos: 'acos',
  atan: 'atan',
  atan2: 'atan2',
  degrees: 'degrees',
  radians: 'radians',
  pi: 'pi',
  floor_number: 'floor',
  ceiling: 'ceil',
  sign: 'sign',
  log2: 'log2',
  extractjson: 'extractjson',
  extract_json: 'extractjson',
  array_length: 'array_length',
  coalesce: 'coalesce',
  bin: 'bin',
  floor: 'bin',
  startofday: 'startofday',
  startofweek: 'startofweek',
  startofmonth: 'startofmonth',
  startofyear: 'startofyear',
  endofday: 'endofday',
  datetime_diff: 'datetime_diff',
  datetime_add: 'datetime_add',
  format_datetime: 'format_datetime',
  format_timespan: 'format_timespan',
  dayofweek: 'dayofweek',
  hourofday: 'hourofday',
  dayofmonth: 'dayofmonth',
  getmonth: 'getmonth',
  getyear: 'getyear',
  monthofyear: 'getmonth',
  base64_decode_tostring: 'base64_decode_tostring',
  base64_decodestring: 'base64_decode_tostring',
  base64_decode_toarray: 'base64_decode_toarray',
  make_string: 'make_string',
  base64_encode_tostring: 'base64_encode_tostring',
  base64_encodestring: 'base64_encode_tostring',
  rand: 'rand',
  array_slice: 'array_slice',
  cot: 'cot',
  array_sort_asc: 'array_sort_asc',
  array_sort_desc: 'array_sort_desc',
  isutf8: 'isutf8',
  tostring_array: 'tostring',
  parse_url: 'parse_url',
  parseurl: 'parse_url',
  parse_path: 'parse_path',
  parse_command_line: 'parse_command_line',
  url_decode: 'url_decode',
  indexof: 'indexof',
  countof: 'countof',
  reverse: 'reverse',
  strcat_array: 'strcat_array',
  array_strcat: 'strcat_array',
  ipv4_is_private: 'ipv4_is_private',
  ipv4_is_match: 'ipv4_is_match',
  ipv4_is_in_range: 'ipv4_is_in_range',
  abs: 'abs',
  round: 'round',
  log10: 'log10',
  log: 'ln',
  sqrt: 'sqrt',
  pow: 'pow',
  exp: 'exp',
  iff: 'iff',
  iif: 'iff',
  array_concat: 'array_concat',
  set_has_element: 'set_has_element',
  array_index_of: 'array_index_of',
  bag_keys: 'bag_keys',
  hash_sha256: 'hash_sha256',
  hash_md5: 'hash_md5',
  strrep: 'strrep',
  unixtime_seconds_todatetime: 'unixtime_seconds_todatetime',
  unixtime_milliseconds_todatetime: 'unixtime_milliseconds_todatetime',
  datetime_part: 'datetime_part',
  todatetime_utc: 'todatetime',
  isascii: 'isascii',
  make_datetime: 'make_datetime',
  gettype: 'gettype',
  tohex: 'tohex',
  string_size: 'strlen',
  min_of: 'least',
  max_of: 'greatest',
  series_stats: 'unsupported',
};

/** Aggregates: KQL name → plan aggregate name; `*if` forms take their predicate as a filter. */
const AGGREGATES: Readonly<Record<string, { fn: string; conditional?: boolean }>> = {
  count: { fn: 'count' },
  countif: { fn: 'count', conditional: true },
  dcount: { fn: 'dcount' },
  dcountif: { fn: 'dcount', conditional: true },
  sum: { fn: 'sum' },
  sumif: { fn: 'sum', conditional: true },
  avg: { fn: 'avg' },
  avgif: { fn: 'avg', conditional: true },
  min: { fn: 'min' },
  minif: { fn: 'min', conditional: true },
  max: { fn: 'max' },
  maxif: { fn: 'max', conditional: true },
  make_set: { fn: 'make_set' },
  makeset: { fn: 'make_set' },
  make_set_if: { fn: 'make_set', conditional: true },
  make_list: { fn: 'make_list' },
  makelist: { fn: 'make_list' },
  make_list_if: { fn: 'make_list', conditional: true },
  make_bag: { fn: 'make_bag' },
  make_bag_if: { fn: 'make_bag', conditional: true },
  any: { fn: 'any' },
  take_any: { fn: 'any' },
  anyif: { fn: 'any', conditional: true },
  take_anyif: { fn: 'any', conditional: true },
  stdev: { fn: 'stdev' },
  variance: { fn: 'variance' },
  percentile: { fn: 'percentile' },
  arg_max: { fn: 'arg_max' },
  arg_min: { fn: 'arg_min' },
  argmax: { fn: 'arg_max' },
  argmin: { fn: 'arg_min' },
};

/** True when a KQL function name is an aggregate. */
export function isAggregate(name: string): boolean {
  return name in AGGREGATES;
}

const SPECIAL: Readonly<Record<string, Handler>> = {
  now: (args, _t, _n, scope) =>
    args[0] ? c('add', [{ kind: 'literal', value: scope.now, type: 'datetime' }, args[0]], 'datetime') : now(scope),
  ago: (args, _t, node, scope) => {
    const span = args[0] ?? unsupported('ago() without a timespan', node);
    return c('sub', [now(scope), span], 'datetime');
  },
  datetime: (args) => args[0] ?? { kind: 'literal', value: null, type: 'datetime' },
  pack: (args) => c('pack', args, 'dynamic'),
  bag_pack: (args) => c('pack', args, 'dynamic'),
  pack_array: (args) => c('pack_array', args, 'dynamic'),
  case: (args, type) => {
    const whens: [Expr, Expr][] = [];
    for (let i = 0; i + 1 < args.length; i += 2) whens.push([args[i] as Expr, args[i + 1] as Expr]);
    return { kind: 'case', whens, otherwise: args[args.length - 1] as Expr, type };
  },
  not: (args) => c('not', args, 'bool'),
  strcat_delim: (args) => c('concat_ws', args, 'string'),
  isnan: (args) => c('isnan', args, 'bool'),
  tostring: (args) => c('tostring', args, 'string'),
  ingestion_time: () => ({ kind: 'literal', value: null, type: 'datetime' }),
  prev: (args, type, _n, scope) => ({ kind: 'window', fn: 'lag', args, order: scope.serialOrder ?? [], type }),
  next: (args, type, _n, scope) => ({ kind: 'window', fn: 'lead', args, order: scope.serialOrder ?? [], type }),
  row_number: (args, type, _n, scope) => ({
    kind: 'window',
    fn: 'row_number',
    args,
    order: scope.serialOrder ?? [],
    type,
  }),
  row_cumsum: (args, type, _n, scope) => ({ kind: 'window', fn: 'cumsum', args, order: scope.serialOrder ?? [], type }),
};

function now(scope: Scope): Expr {
  return { kind: 'literal', value: scope.now, type: 'datetime' };
}

function argNodes(node: KNode): KNode[] {
  const list = child(node, 'ExpressionList');
  return list ? elements(list) : [];
}

/** Builds a function call: a user `let` function, an aggregate or a built-in scalar function. */
export function callFunction(node: KNode, scope: Scope, build: Build): Expr {
  const nameNode = node.children.find((x) => !x.isToken && x.kind !== 'ExpressionList');
  const name = nameNode ? nameText(nameNode) : '';
  const type = ktype(node.type);
  const argsNodes = argNodes(node);
  const user = scope.functions.get(name);
  if (user) {
    const params = new Map(scope.params ?? []);
    user.params.forEach((p, i) => {
      const a = argsNodes[i] ?? p.defaultValue;
      if (a) params.set(p.name, build(a, scope));
    });
    const inner: Scope = { ...scope, params };
    return build(user.body, scope.applyLets ? scope.applyLets(user.lets, inner) : inner);
  }
  const spec = AGGREGATES[name];
  if (spec) {
    if (name === 'count' && argsNodes.length === 0) return agg('count', [], 'long');
    const args = argsNodes.map((a) =>
      a.kind === 'StarExpression' ? ({ kind: 'star', type: 'unknown' } as Expr) : build(a, scope),
    );
    if (spec.conditional) {
      const predIndex = name === 'countif' ? 0 : args.length - 1;
      const filter = args[predIndex] as Expr;
      const rest = args.filter((_, i) => i !== predIndex);
      return agg(spec.fn, rest, type, filter);
    }
    return agg(spec.fn, args, type);
  }
  const args = argsNodes.map((a) => build(a, scope));
  const special = SPECIAL[name];
  if (special) return special(args, type, node, scope);
  const same = SAME[name];
  if (same && same !== 'unsupported') return c(same, args, type);
  throw new CompileError(
    'HUNT_UNKNOWN_FUNCTION',
    `the function ${name}() is not supported yet`,
    node.start,
    node.end,
    'see the README for the supported functions',
  );
}

/** Every KQL function name the compiler translates (for "did you mean" hints). */
export function knownFunctionNames(): string[] {
  return [
    ...Object.keys(SAME).filter((k) => SAME[k] !== 'unsupported'),
    ...Object.keys(SPECIAL),
    ...Object.keys(AGGREGATES),
  ];
}
