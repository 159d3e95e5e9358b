import type { Expr, KType, Rel } from './plan.js';

/** What the make-series and top-nested renderers need from the SQL renderer. */
export interface SqlParts {
  expr(e: Expr): string;
  rel(r: Rel): string;
  q(name: string): string;
  /** A typed "nothing" of a KQL type: '' for strings (never null in KQL), else NULL. */
  empty(type: KType): string;
}

/** The parts of a make-series, rendered; a dialect turns them into SQL. */
export interface SeriesSql {
  readonly input: string;
  readonly groups: readonly string[];
  readonly aggs: readonly { readonly sql: string; readonly fallback: string }[];
  readonly axis: string;
  readonly axisType: KType;
  readonly from?: string;
  readonly to?: string;
  readonly step: string;
  /** Output column names, quoted: groups, aggregates, then the axis. */
  readonly names: readonly string[];
}

/** Renders the parts of a make-series. */
export function seriesParts(r: Extract<Rel, { kind: 'series' }>, p: SqlParts): SeriesSql {
  return {
    input: p.rel(r.input),
    groups: r.groups.map((g) => p.expr(g.expr)),
    aggs: r.aggs.map((a) => ({ sql: p.expr(a.expr), fallback: p.expr(a.default) })),
    axis: p.expr(r.axis.expr),
    axisType: r.axis.expr.type,
    ...(r.from ? { from: p.expr(r.from) } : {}),
    ...(r.to ? { to: p.expr(r.to) } : {}),
    step: p.expr(r.step),
    names: r.columns.map((c) => p.q(c.name)),
  };
}

const k = (i: number) => `"__k${i}"`;
const a = (i: number) => `"__a${i}"`;
const rn = (i: number) => `"__r${i}"`;
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/**
 * top-nested in plain SQL: level i groups the rows whose upper keys are kept by level i-1, ranks its groups within
 * each parent, and keeps the first `count`; `with others` adds one row per parent for the rest, whose lower levels
 * are empty.
 */
export function topNestedSql(r: Extract<Rel, { kind: 'top-nested' }>, p: SqlParts): string {
  const n = r.levels.length;
  const keys = r.levels.map((l, i) => `${p.expr(l.key)} AS ${k(i + 1)}`);
  const ctes = [`"__s" AS (SELECT *, ${keys.join(', ')} FROM (${p.rel(r.input)}) AS _t)`];
  const kept = (i: number, alias: string) => {
    const c = r.levels[i - 1]?.count;
    return c === undefined ? 'TRUE' : `${alias}.${rn(i)} <= ${Math.max(0, Math.floor(c))}`;
  };
  const parentJoin = (i: number) => {
    if (i === 1) return '';
    const on = range(i - 1).map((j) => `s.${k(j)} IS NOT DISTINCT FROM p.${k(j)}`);
    return ` JOIN "__t${i - 1}" AS p ON ${on.join(' AND ')} AND ${kept(i - 1, 'p')}`;
  };
  const upperAggs = (i: number) => range(i - 1).map((j) => `any_value(p.${a(j)}) AS ${a(j)}`);
  r.levels.forEach((level, idx) => {
    const i = idx + 1;
    const agg = p.expr(level.agg);
    const partition = range(i - 1).map((j) => `s.${k(j)}`);
    const over = `${partition.length > 0 ? `PARTITION BY ${partition.join(', ')} ` : ''}ORDER BY ${agg} ${level.desc ? 'DESC' : 'ASC'} NULLS LAST, s.${k(i)} ASC NULLS LAST`;
    const select = [
      ...range(i).map((j) => `s.${k(j)}`),
      ...upperAggs(i),
      `${agg} AS ${a(i)}`,
      `row_number() OVER (${over}) AS ${rn(i)}`,
    ];
    const group = range(i).map((j) => `s.${k(j)}`);
    ctes.push(
      `"__t${i}" AS (SELECT ${select.join(', ')} FROM "__s" AS s${parentJoin(i)} GROUP BY ${group.join(', ')})`,
    );
  });
  const out = (i: number) => r.columns[i] ?? { name: `c${i}`, type: 'unknown' as KType };
  const leafCols = range(n).flatMap((j) => [
    `${k(j)} AS ${p.q(out(2 * j - 2).name)}`,
    `${a(j)} AS ${p.q(out(2 * j - 1).name)}`,
  ]);
  const parts = [`SELECT ${leafCols.join(', ')} FROM "__t${n}" AS t WHERE ${kept(n, 't')}`];
  r.levels.forEach((level, idx) => {
    const i = idx + 1;
    if (!level.others) return;
    const on = range(i).map((j) => `s.${k(j)} IS NOT DISTINCT FROM o.${k(j)}`);
    const cols = range(n).flatMap((j) => {
      const [kc, ac] = [out(2 * j - 2), out(2 * j - 1)];
      if (j < i) return [`s.${k(j)} AS ${p.q(kc.name)}`, `any_value(p.${a(j)}) AS ${p.q(ac.name)}`];
      if (j === i)
        return [`${p.expr(level.others as Expr)} AS ${p.q(kc.name)}`, `${p.expr(level.agg)} AS ${p.q(ac.name)}`];
      return [`${p.empty(kc.type)} AS ${p.q(kc.name)}`, `${p.empty(ac.type)} AS ${p.q(ac.name)}`];
    });
    const join = `${parentJoin(i)} JOIN "__t${i}" AS o ON ${on.join(' AND ')} AND NOT (${kept(i, 'o')})`;
    parts.push(`SELECT ${cols.join(', ')} FROM "__s" AS s${join} GROUP BY ALL`);
  });
  return `WITH ${ctes.join(', ')} ${parts.join(' UNION ALL ')}`;
}
