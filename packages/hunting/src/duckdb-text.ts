import type { Expr } from './plan.js';
import type { SqlContext } from './sql-context.js';

/** A quoted identifier. DuckDB's parser stops at a NUL character, so a name holding one could end the quotes early. */
export const q = (name: string) => `"${name.replaceAll('"', '""').replaceAll('\u0000', '\ufffd')}"`;
const TERM = '[0-9a-z]';

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Text of a value for string operators: dynamic values give their string or their JSON text. */
export function text(sql: string, e: Expr | undefined): string {
  if (e?.type === 'dynamic') {
    return `(CASE WHEN json_type(${sql}) = 'VARCHAR' THEN json_extract_string(${sql}, '$') ELSE CAST(${sql} AS VARCHAR) END)`;
  }
  if (e && e.type !== 'string' && e.type !== 'unknown') return `CAST(${sql} AS VARCHAR)`;
  return sql;
}

export function literalString(e: Expr | undefined): string | undefined {
  return e?.kind === 'literal' && typeof e.value === 'string' ? e.value : undefined;
}

/** A term-match regex: KQL `has` matches whole terms of ASCII letters and digits. */
function termPattern(needle: string, prefix: boolean, suffix: boolean, cs: boolean): string {
  const left = prefix ? `(^|[^${TERM.slice(1, -1)}])` : '';
  const right = suffix ? `($|[^${TERM.slice(1, -1)}])` : '';
  return `${cs ? '' : '(?i)'}${left}${escapeRegex(needle)}${right}`;
}

export function hasOp(
  s: readonly string[],
  args: readonly Expr[],
  ctx: SqlContext,
  prefix: boolean,
  suffix: boolean,
  cs: boolean,
) {
  const lhs = text(s[0] as string, args[0]);
  const needle = literalString(args[1]);
  if (needle !== undefined) {
    if (needle === '') return 'TRUE';
    const pattern = ctx.bind(termPattern(needle, prefix, suffix, cs));
    const pre = cs
      ? `contains(${lhs}, ${ctx.bind(needle)})`
      : `contains(lower(${lhs}), ${ctx.bind(needle.toLowerCase())})`;
    return `(${pre} AND regexp_matches(${lhs}, ${pattern}))`;
  }
  const l = prefix ? "'(^|[^0-9a-z])'" : "''";
  const r = suffix ? "'($|[^0-9a-z])'" : "''";
  return `regexp_matches(${lhs}, ${cs ? "''" : "'(?i)'"} || ${l} || regexp_escape(${text(s[1] as string, args[1])}) || ${r})`;
}

/** The lower-cased form of argument i: a literal is lowered here and bound once; anything else gets lower(). */
export function ci(s: readonly string[], i: number, a: readonly Expr[], ctx: SqlContext): string {
  const lit = literalString(a[i]);
  return lit !== undefined ? ctx.bind(lit.toLowerCase()) : `lower(${text(s[i] as string, a[i])})`;
}

function listItems(a: readonly Expr[]): readonly Expr[] {
  const l = a[1];
  return l?.kind === 'list' ? l.items : [];
}

export function inList(s: readonly string[], a: readonly Expr[], caseInsensitive: boolean, ctx: SqlContext): string {
  const items = listItems(a);
  if (items.length === 0) return 'FALSE';
  const lhs = caseInsensitive || a[0]?.type === 'dynamic' ? text(s[0] as string, a[0]) : (s[0] as string);
  const rhs = items.map((e) => {
    if (e.kind === 'subquery') {
      const first = e.rel.columns[0]?.name ?? '';
      const sub = ctx.render(e).replace(/ LIMIT 1\)$/, ')');
      const col = caseInsensitive ? `lower(CAST(${q(first)} AS VARCHAR))` : q(first);
      return sub.replace(/^\(SELECT "(?:[^"]|"")*"/, `(SELECT ${col}`);
    }
    const lit = literalString(e);
    if (caseInsensitive) return lit !== undefined ? ctx.bind(lit.toLowerCase()) : `lower(${text(ctx.render(e), e)})`;
    return ctx.render(e);
  });
  return `(${caseInsensitive ? `lower(${lhs})` : lhs} IN (${rhs.join(', ')}))`;
}

export function anyAll(s: readonly string[], a: readonly Expr[], ctx: SqlContext, joiner: string): string {
  const items = listItems(a);
  if (items.length === 0) return joiner === ' OR ' ? 'FALSE' : 'TRUE';
  const parts = items.map((e) => {
    const args = [a[0] as Expr, e];
    const lazy = [s[0] as string];
    return hasOp(
      new Proxy(lazy, { get: (t, p, r) => (p === '1' ? ctx.render(e) : Reflect.get(t, p, r)) }),
      args,
      ctx,
      true,
      true,
      false,
    );
  });
  return `(${parts.join(joiner)})`;
}
