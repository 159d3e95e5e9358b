import { child, elements, type KNode, nameText } from './checked-tree.js';
import { unsupported } from './compile-error.js';
import { buildExpr } from './expr-builder.js';
import { planColumns } from './ktypes.js';
import type { Expr, NamedExpr, PlanColumn, Rel } from './plan.js';
import { type Scope, withColumns } from './scope.js';

/** The value of a summarize item: `x`, `name = x` or `(a, b) = x`. */
function itemValue(item: KNode): KNode {
  if (item.kind !== 'SimpleNamedExpression' && item.kind !== 'CompoundNamedExpression') return item;
  return (
    item.children
      .filter((c) => !c.isToken && c.kind !== 'NameDeclaration' && c.kind !== 'ParenthesizedNameDeclarationList')
      .at(-1) ?? item
  );
}

function functionName(node: KNode): string {
  if (node.kind !== 'FunctionCallExpression') return '';
  const n = node.children.find((c) => !c.isToken && c.kind !== 'ExpressionList');
  return n ? nameText(n) : '';
}

const ARG_FUNCTIONS = new Set(['arg_max', 'arg_min', 'argmax', 'argmin']);

/** `summarize aggs by groups`; a lone `arg_max`/`arg_min` becomes "first row per group". */
export function buildSummarize(op: KNode, input: Rel, scope: Scope): Rel {
  const s = withColumns(scope, input.columns);
  const lists = op.children.filter((c) => c.kind === 'List');
  const aggItems = lists.length > 0 ? elements(lists[lists.length - 1] as KNode) : [];
  const byClause = child(op, 'SummarizeByClause');
  const byItems = byClause ? elements(byClause) : [];
  const cols = planColumns(op.columns);
  const groups: NamedExpr[] = byItems.map((item, i) => ({
    name: cols[i]?.name ?? nameText(item),
    expr: buildExpr(itemValue(item), s),
  }));
  if (aggItems.length === 1 && ARG_FUNCTIONS.has(functionName(itemValue(aggItems[0] as KNode)))) {
    const call = itemValue(aggItems[0] as KNode);
    const args = elements(child(call, 'ExpressionList') ?? call);
    if (args.some((a) => a.kind === 'StarExpression')) return firstPerGroup(call, input, groups, cols, s);
    return argRow(call, input, groups, cols, s);
  }
  // The binder does not always type an arg_max(…, *) call beside other aggregates: its width is what is left.
  const widths = aggItems.map((item) => {
    const value = itemValue(item);
    if (functionName(value) === 'percentiles') return elements(child(value, 'ExpressionList') ?? value).length - 1;
    if (!ARG_FUNCTIONS.has(functionName(value))) return 1;
    const args = elements(child(value, 'ExpressionList') ?? value);
    return args.some((a) => a.kind === 'StarExpression') ? -1 : args.length;
  });
  const fixed = widths.filter((w) => w > 0).reduce((a, b) => a + b, 0);
  const exprs: Expr[] = [];
  aggItems.forEach((item, i) => {
    const value = itemValue(item);
    if (functionName(value) === 'percentiles') {
      exprs.push(...percentiles(value, s));
      return;
    }
    if (!ARG_FUNCTIONS.has(functionName(value))) {
      exprs.push(buildExpr(value, s));
      return;
    }
    const width = (widths[i] ?? 1) > 0 ? (widths[i] as number) : cols.length - groups.length - fixed;
    const names = cols.slice(groups.length + exprs.length, groups.length + exprs.length + width).map((c) => c.name);
    exprs.push(...argAggregates(value, input, s, names));
  });
  const aggs: NamedExpr[] = exprs.map((expr, i) => {
    const col = cols[groups.length + i];
    if (!col) return unsupported('this aggregate', op);
    return { name: col.name, expr };
  });
  if (groups.length + aggs.length !== cols.length) return unsupported('an aggregate with several result columns', op);
  return { kind: 'aggregate', input, groups, aggs, columns: cols };
}

interface ArgParts {
  readonly order: Expr;
  readonly desc: boolean;
  /** The value expression of each produced column after the first (which is the ordering value). */
  readonly values: Expr[];
}

function argParts(call: KNode, input: Rel, scope: Scope, names?: readonly string[]): ArgParts {
  const args = elements(child(call, 'ExpressionList') ?? call);
  const first = args[0] ?? unsupported('arg_max without arguments', call);
  const order = buildExpr(first, scope);
  const desc = /max/.test(functionName(call));
  const produced = names ? names.map((name) => ({ name })) : planColumns(call.columns);
  const inputNames = new Map(input.columns.map((c) => [c.name, c]));
  const explicit = args.slice(1).filter((a) => a.kind !== 'StarExpression');
  const star = args.slice(1).some((a) => a.kind === 'StarExpression');
  const values: Expr[] = [];
  if (!star) for (const a of explicit) values.push(buildExpr(itemValue(a), scope));
  else {
    for (const c of produced.slice(1)) {
      const source = inputNames.get(stripSuffix(c.name, inputNames));
      if (!source) return unsupported(`the arg_max output column ${c.name}`, call);
      values.push({ kind: 'column', name: source.name, type: source.type });
    }
  }
  return { order, desc, values };
}

function argAggregates(call: KNode, input: Rel, scope: Scope, names: readonly string[]): Expr[] {
  const { order, desc, values } = argParts(call, input, scope, names);
  const pick = desc ? 'arg_max' : 'arg_min';
  return [
    { kind: 'agg', fn: desc ? 'max' : 'min', args: [order], type: order.type },
    ...values.map((v): Expr => ({ kind: 'agg', fn: pick, args: [v, order], type: v.type })),
  ];
}

/**
 * `summarize arg_max(T, a, b) by g` with named columns: one aggregate picks the whole row (a, b) of the greatest T,
 * so the values come from one row, as in KQL; this is much cheaper than numbering the rows of every group.
 */
function argRow(call: KNode, input: Rel, groups: NamedExpr[], cols: PlanColumn[], scope: Scope): Rel {
  const { order, desc, values } = argParts(
    call,
    input,
    scope,
    cols.slice(groups.length).map((c) => c.name),
  );
  // Rows without a value of the ordering expression never win (KQL ignores nulls).
  const filtered: Rel = {
    kind: 'filter',
    input,
    predicate: { kind: 'call', fn: 'isnotnull', args: [order], type: 'bool' },
    columns: input.columns,
  };
  const row: Expr = {
    kind: 'agg',
    fn: desc ? 'arg_row_max' : 'arg_row_min',
    args: [order, ...values],
    type: 'unknown',
  };
  const orderName = cols[groups.length]?.name ?? 'max';
  const aggregated: Rel = {
    kind: 'aggregate',
    input: filtered,
    groups,
    aggs: [
      { name: orderName, expr: { kind: 'agg', fn: desc ? 'max' : 'min', args: [order], type: order.type } },
      { name: '__row', expr: row },
    ],
    columns: [...cols.slice(0, groups.length + 1), { name: '__row', type: 'unknown' }],
  };
  const items: NamedExpr[] = cols.map((c, i) => {
    if (i <= groups.length) return { name: c.name, expr: { kind: 'column', name: c.name, type: c.type } };
    const field: Expr = { kind: 'literal', value: i - groups.length - 1, type: 'long' };
    return {
      name: c.name,
      expr: {
        kind: 'call',
        fn: 'row_field',
        args: [{ kind: 'column', name: '__row', type: 'unknown' }, field],
        type: c.type,
      },
    };
  });
  return { kind: 'project', input: aggregated, items, columns: cols };
}

function firstPerGroup(call: KNode, input: Rel, groups: NamedExpr[], cols: PlanColumn[], scope: Scope): Rel {
  const { order, desc } = argParts(call, input, scope);
  // Rows without a value of the ordering expression never win (KQL ignores nulls).
  const filtered: Rel = {
    kind: 'filter',
    input,
    predicate: { kind: 'call', fn: 'isnotnull', args: [order], type: 'bool' },
    columns: input.columns,
  };
  const picked: Rel = {
    kind: 'first-per-group',
    input: filtered,
    partition: groups.map((g) => g.expr),
    order: [{ expr: order, desc, nullsFirst: false }],
    columns: input.columns,
  };
  const args = elements(child(call, 'ExpressionList') ?? call);
  const explicit = args.slice(1).filter((a) => a.kind !== 'StarExpression');
  const inputNames = new Map(input.columns.map((c) => [c.name, c]));
  const items: NamedExpr[] = cols.map((c, i) => {
    if (i < groups.length) return { name: c.name, expr: groups[i]?.expr as Expr };
    const k = i - groups.length;
    if (k === 0) return { name: c.name, expr: order };
    const e = explicit[k - 1];
    if (e) return { name: c.name, expr: buildExpr(itemValue(e), scope) };
    const source = inputNames.get(stripSuffix(c.name, inputNames));
    if (!source) return unsupported(`the arg_max output column ${c.name}`, call);
    return { name: c.name, expr: { kind: 'column', name: source.name, type: source.type } };
  });
  return { kind: 'project', input: picked, items, columns: cols };
}

/** arg_max(…, *) renames a column that clashes with a group column by adding a digit (`DeviceName1`). */
function stripSuffix(name: string, names: Map<string, PlanColumn>): string {
  if (names.has(name)) return name;
  const m = /^(.*?)(\d+)$/.exec(name);
  return m && names.has(m[1] as string) ? (m[1] as string) : name;
}

/** `percentiles(x, p1, p2, …)`: one percentile column per requested point. */
function percentiles(call: KNode, scope: Scope): Expr[] {
  const [value, ...points] = elements(child(call, 'ExpressionList') ?? call);
  if (!value || points.length === 0) return unsupported('percentiles without points', call);
  const x = buildExpr(value, scope);
  return points.map((p): Expr => ({ kind: 'agg', fn: 'percentile', args: [x, buildExpr(p, scope)], type: x.type }));
}
