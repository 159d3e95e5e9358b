import { child, elements, type KNode } from './checked-tree.js';
import { CompileError, unsupported } from './compile-error.js';
import { buildExpr, call, lit, sourceText } from './expr-builder.js';
import { planColumns } from './ktypes.js';
import type { Expr, NamedExpr, Rel, TopNestedLevel } from './plan.js';
import { type Scope, withColumns } from './scope.js';

const NUMERIC = new Set(['long', 'int', 'real', 'decimal']);

function namedValue(node: KNode): KNode {
  if (node.kind !== 'SimpleNamedExpression') return node;
  return node.children.filter((c) => !c.isToken && c.kind !== 'NameDeclaration').at(-1) ?? node;
}

function clauseValue(clause: KNode | undefined): KNode | undefined {
  return clause?.children.filter((c) => !c.isToken).at(-1);
}

/** `make-series agg [default = v], … on axis [from a] [to b] step s | in range(a, b, s) [by groups]`. */
export function buildMakeSeries(op: KNode, input: Rel, scope: Scope): Rel {
  const s = withColumns(scope, input.columns);
  const cols = planColumns(op.columns);
  const items = elements(op.children.filter((c) => c.kind === 'List').at(-1) ?? op).filter(
    (e) => e.kind === 'MakeSeriesExpression',
  );
  const byItems = elements(child(op, 'MakeSeriesByClause') ?? { ...op, children: [] });
  const groups: NamedExpr[] = byItems.map((item, i) => ({
    name: cols[i]?.name ?? sourceText(item),
    expr: buildExpr(namedValue(item), s),
  }));
  const aggs = items.map((item, i) => {
    const value = item.children.find((c) => !c.isToken && c.kind !== 'DefaultExpressionClause') ?? item;
    const expr = buildExpr(namedValue(value), s);
    const given = clauseValue(child(item, 'DefaultExpressionClause'));
    const fallback = NUMERIC.has(expr.type) ? lit(0, expr.type) : lit(null, expr.type);
    return {
      name: cols[groups.length + i]?.name ?? `series_${i}`,
      expr,
      default: given ? buildExpr(given, s) : fallback,
    };
  });
  const onValue = clauseValue(child(op, 'MakeSeriesOnClause'));
  if (!onValue) return unsupported('make-series without on', op);
  const axis = { name: cols.at(-1)?.name ?? 'axis', expr: buildExpr(onValue, s) };
  const range = child(op, 'MakeSeriesInRangeClause');
  let from: Expr | undefined;
  let to: Expr | undefined;
  let step: Expr | undefined;
  if (range) {
    const list = child(range, 'ExpressionList');
    const args = list ? elements(list) : elements(range).filter((e) => !e.isToken);
    const [start, stop, by] = args.map((a) => buildExpr(a, s));
    // range() includes its stop, as KQL's range() does: the bins end one step after it.
    [from, to, step] = [start, stop && by ? call('add', [stop, by], stop.type) : stop, by];
  } else {
    const fts = child(op, 'MakeSeriesFromToStepClause');
    const part = (kind: string) => {
      const v = clauseValue(fts ? child(fts, kind) : undefined);
      return v ? buildExpr(v, s) : undefined;
    };
    from = part('MakeSeriesFromClause');
    to = part('MakeSeriesToClause');
    step = part('MakeSeriesStepClause');
  }
  if (!step) return unsupported('make-series without a step', op);
  if (groups.length + aggs.length + 1 !== cols.length) return unsupported('this make-series', op);
  return {
    kind: 'series',
    input,
    groups,
    aggs,
    axis,
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    step,
    columns: cols,
  };
}

/** `top-nested [n] of key [with others = v] by agg [asc|desc], …`. */
export function buildTopNested(op: KNode, input: Rel, scope: Scope): Rel {
  const s = withColumns(scope, input.columns);
  const clauses = elements(op).filter((e) => e.kind === 'TopNestedClause');
  const levels: TopNestedLevel[] = clauses.map((clause) => {
    const parts = clause.children.filter((c) => !c.isToken);
    const ofIndex = clause.children.findIndex((c) => c.isToken && c.text.toLowerCase() === 'of');
    const countNode = clause.children.slice(0, ofIndex).find((c) => !c.isToken);
    const keyNode = clause.children.slice(ofIndex + 1).find((c) => !c.isToken);
    const ordered = parts.at(-1);
    if (!keyNode || !ordered || ordered === keyNode) return unsupported('this top-nested level', clause);
    const aggNode =
      ordered.kind === 'OrderedExpression' ? (ordered.children.find((c) => !c.isToken) ?? ordered) : ordered;
    const ordering =
      ordered.kind === 'OrderedExpression' ? sourceText(child(ordered, 'OrderingClause') ?? ordered) : '';
    const count = countNode ? buildExpr(countNode, s) : undefined;
    if (count && (count.kind !== 'literal' || typeof count.value !== 'number')) {
      throw new CompileError(
        'HUNT_NOT_CONSTANT',
        'the top-nested count must be a constant',
        countNode?.start ?? 0,
        countNode?.end ?? 0,
      );
    }
    const others = clauseValue(child(clause, 'TopNestedWithOthersClause'));
    return {
      ...(count?.kind === 'literal' && typeof count.value === 'number' ? { count: count.value } : {}),
      key: buildExpr(namedValue(keyNode), s),
      agg: buildExpr(namedValue(aggNode), s),
      desc: !/^asc/i.test(ordering.trim()),
      ...(others ? { others: buildExpr(others, s) } : {}),
    };
  });
  const cols = planColumns(op.columns);
  if (cols.length !== levels.length * 2) return unsupported('this top-nested', op);
  return { kind: 'top-nested', input, levels, columns: cols };
}
