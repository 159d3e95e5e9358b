import type { Expr, PlanColumn, Rel } from './plan.js';

/** Column names an expression reads (of its own relation: subqueries have their own). */
export function exprColumns(e: Expr, out: Set<string> = new Set()): Set<string> {
  switch (e.kind) {
    case 'column':
      out.add(e.name);
      break;
    case 'call':
      for (const a of e.args) exprColumns(a, out);
      break;
    case 'agg':
      for (const a of e.args) exprColumns(a, out);
      if (e.filter) exprColumns(e.filter, out);
      break;
    case 'case':
      for (const [c, v] of e.whens) {
        exprColumns(c, out);
        exprColumns(v, out);
      }
      exprColumns(e.otherwise, out);
      break;
    case 'list':
      for (const i of e.items) exprColumns(i, out);
      break;
    case 'window':
      for (const a of e.args) exprColumns(a, out);
      for (const k of e.order) exprColumns(k.expr, out);
      break;
    default:
      break;
  }
  return out;
}

const union = (a: ReadonlySet<string>, ...exprs: readonly Expr[]) => {
  const out = new Set(a);
  for (const e of exprs) exprColumns(e, out);
  return out;
};

const keep = (cols: readonly PlanColumn[], needed: ReadonlySet<string>) => cols.filter((c) => needed.has(c.name));

/**
 * Projection pruning: every scan reads only the columns the query uses, and projections drop the items nobody reads.
 * DuckDB prunes through our nested subqueries too, but a plan that names 70 columns at every layer costs parse and
 * bind time on every query, which is most of the time of a selective query. `needed` are the output columns the
 * caller reads; the result has the same rows and those columns.
 */
export function prune(rel: Rel, needed: ReadonlySet<string> = new Set(rel.columns.map((c) => c.name))): Rel {
  switch (rel.kind) {
    case 'scan': {
      const cols = keep(rel.columns, needed);
      // A count(*) reads no column, but a SELECT needs one.
      return { ...rel, columns: cols.length > 0 ? cols : rel.columns.slice(0, 1) };
    }
    case 'project': {
      const items = rel.items.filter((i) => needed.has(i.name));
      const kept = items.length > 0 ? items : rel.items.slice(0, 1);
      const input = prune(rel.input, union(new Set(), ...kept.map((i) => i.expr)));
      // A projection that passes its input through unchanged is one subquery layer too many.
      const identity =
        kept.length === input.columns.length &&
        kept.every((i, n) => i.expr.kind === 'column' && i.expr.name === i.name && input.columns[n]?.name === i.name);
      if (identity && input.kind !== 'scan') return input;
      return {
        ...rel,
        input,
        items: subqueries(kept),
        columns: kept.map((i) => rel.columns.find((c) => c.name === i.name) as PlanColumn),
      };
    }
    case 'filter':
    case 'sort':
    case 'limit':
    case 'first-per-group': {
      const extra =
        rel.kind === 'filter'
          ? [rel.predicate]
          : rel.kind === 'sort'
            ? rel.keys.map((k) => k.expr)
            : rel.kind === 'first-per-group'
              ? [...rel.partition, ...rel.order.map((k) => k.expr)]
              : [];
      const input = prune(rel.input, union(needed, ...extra));
      return { ...rel, input, columns: input.columns } as Rel;
    }
    case 'distinct':
      return { ...rel, input: prune(rel.input, new Set(rel.columns.map((c) => c.name))) };
    case 'aggregate': {
      const exprs = [...rel.groups, ...rel.aggs].map((i) => i.expr);
      return { ...rel, input: prune(rel.input, union(new Set(), ...exprs)) };
    }
    case 'join':
      return pruneJoin(rel, needed);
    case 'union': {
      const columns = keep(rel.columns, needed);
      const cols = columns.length > 0 ? columns : rel.columns.slice(0, 1);
      const names = new Set(cols.map((c) => c.name));
      return { ...rel, inputs: rel.inputs.map((i) => prune(i, names)), columns: cols };
    }
    case 'expand': {
      const wanted = new Set([...needed].filter((n) => n !== rel.column));
      const input = prune(rel.input, union(wanted, rel.expr));
      const have = new Set(input.columns.map((c) => c.name));
      return { ...rel, input, columns: rel.columns.filter((c) => c.name === rel.column || have.has(c.name)) };
    }
    case 'series': {
      const exprs = [...rel.groups.map((g) => g.expr), ...rel.aggs.map((a) => a.expr), rel.axis.expr];
      return { ...rel, input: prune(rel.input, union(new Set(), ...exprs)) };
    }
    case 'top-nested':
      return { ...rel, input: prune(rel.input, union(new Set(), ...rel.levels.flatMap((l) => [l.key, l.agg]))) };
    case 'with':
      return { ...rel, body: prune(rel.body, needed) };
    default:
      return rel;
  }
}

function pruneJoin(rel: Extract<Rel, { kind: 'join' }>, needed: ReadonlySet<string>): Rel {
  const kept = rel.output.filter((o) => needed.has(o.name));
  const output = kept.length > 0 ? kept : rel.output.slice(0, 1);
  const side = (s: 'left' | 'right') => {
    const names = new Set(output.filter((o) => o.side === s).map((o) => o.source));
    for (const c of rel.on) exprColumns(s === 'left' ? c.left : c.right, names);
    return names;
  };
  return {
    ...rel,
    left: prune(rel.left, side('left')),
    right: prune(rel.right, side('right')),
    output,
    columns: output.map((o) => rel.columns.find((c) => c.name === o.name) as PlanColumn),
  };
}

/** Prunes the plans of subqueries inside expressions to the one column they give. */
function subqueries<T extends { readonly expr: Expr }>(items: readonly T[]): T[] {
  return items.map((i) => ({ ...i, expr: pruneExpr(i.expr) }));
}

function pruneExpr(e: Expr): Expr {
  switch (e.kind) {
    case 'subquery': {
      const first = e.rel.columns[0];
      return first ? { ...e, rel: prune(e.rel, new Set([first.name])) } : e;
    }
    case 'call':
      return { ...e, args: e.args.map(pruneExpr) };
    default:
      return e;
  }
}
