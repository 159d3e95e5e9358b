import type { Expr } from './plan.js';

/** DuckDB's forms of the plan's aggregates; `f` is the FILTER clause or ''. */
export const DUCKDB_AGGREGATES: Readonly<
  Record<string, (s: readonly string[], a: readonly Expr[], f: string) => string>
> = {
  count: (s, _a, f) => `count(${s[0] ?? '*'})${f}`,
  dcount: (s, _a, f) => `count(DISTINCT ${s[0]})${f}`,
  sum: (s, _a, f) => `sum(${s[0]})${f}`,
  avg: (s, _a, f) => `avg(${s[0]})${f}`,
  min: (s, _a, f) => `min(${s[0]})${f}`,
  max: (s, _a, f) => `max(${s[0]})${f}`,
  any: (s, _a, f) => `any_value(${s[0]})${f}`,
  stdev: (s, _a, f) => `stddev_samp(${s[0]})${f}`,
  variance: (s, _a, f) => `var_samp(${s[0]})${f}`,
  percentile: (s, _a, f) => `quantile_disc(${s[0]}, (${s[1]}) / 100.0)${f}`,
  arg_max: (s, _a, f) => `arg_max(${s[0]}, ${s[1]})${f}`,
  arg_min: (s, _a, f) => `arg_min(${s[0]}, ${s[1]})${f}`,
  // arg_max_null: the picked row's values may be null; a struct keeps them from one row.
  arg_row_max: (s, _a, f) => `arg_max_null(${rowStruct(s)}, ${s[0]})${f}`,
  arg_row_min: (s, _a, f) => `arg_min_null(${rowStruct(s)}, ${s[0]})${f}`,
  make_set: (s, _a, f) => limitList(`list(DISTINCT ${s[0]})${nonNull(s[0] as string, f)}`, s[1]),
  make_list: (s, _a, f) => limitList(`list(${s[0]})${nonNull(s[0] as string, f)}`, s[1]),
  // The properties of every bag merged into one (a later row's value wins, as KQL's make_bag keeps one).
  make_bag: (s, _a, f) =>
    `coalesce(list_reduce(list(CAST(${s[0]} AS JSON))${nonNull(s[0] as string, f)}, (a, b) -> json_merge_patch(a, b)), '{}'::JSON)`,
};

function rowStruct(s: readonly string[]): string {
  const fields: string[] = [];
  for (let i = 1; s[i] !== undefined; i++) fields.push(`f${i - 1} := ${s[i]}`);
  return `struct_pack(${fields.join(', ')})`;
}

function nonNull(arg: string, filter: string): string {
  const cond = `${arg} IS NOT NULL`;
  return filter ? filter.replace(/\)$/, ` AND ${cond})`) : ` FILTER (WHERE ${cond})`;
}

function limitList(list: string, max: string | undefined): string {
  return max === undefined
    ? `coalesce(to_json(${list}), '[]'::JSON)`
    : `coalesce(to_json(list_slice(${list}, 1, ${max})), '[]'::JSON)`;
}
