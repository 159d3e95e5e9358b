import { child, elements, type KNode, nameText } from './checked-tree.js';
import { unsupported } from './compile-error.js';
import { buildExpr } from './expr-builder.js';
import { planColumns } from './ktypes.js';
import type { Expr, NamedExpr, PlanColumn, Rel } from './plan.js';
import { type Scope, withColumns } from './scope.js';

function itemValue(item: KNode): KNode {
  if (item.kind !== 'SimpleNamedExpression') return item;
  return item.children.filter((c) => !c.isToken && c.kind !== 'NameDeclaration').at(-1) ?? item;
}

function functionName(node: KNode): string {
  if (node.kind !== 'FunctionCallExpression') return '';
  const n = node.children.find((c) => !c.isToken && c.kind !== 'ExpressionList');
  return n ? nameText(n) : '';
}

/** `summarize aggs by groups`; `arg_max`/`arg_min` alone become "first row per group". */
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
  const argItems = aggItems.filter((a) => ['arg_max', 'arg_min'].includes(functionName(itemValue(a))));
  if (argItems.length > 0) {
    if (aggItems.length !== 1) return unsupported('arg_max/arg_min beside other aggregates', op);
    return firstPerGroup(itemValue(argItems[0] as KNode), input, groups, cols, s);
  }
  const aggs: NamedExpr[] = aggItems.map((item, i) => {
    const col = cols[groups.length + i];
    if (!col) return unsupported('this aggregate', item);
    return { name: col.name, expr: buildExpr(itemValue(item), s) };
  });
  if (groups.length + aggs.length !== cols.length) return unsupported('an aggregate with several result columns', op);
  return { kind: 'aggregate', input, groups, aggs, columns: cols };
}

function firstPerGroup(call: KNode, input: Rel, groups: NamedExpr[], cols: PlanColumn[], scope: Scope): Rel {
  const args = elements(child(call, 'ExpressionList') ?? call);
  const first = args[0];
  if (!first) return unsupported('arg_max without arguments', call);
  const order = buildExpr(first, scope);
  const desc = functionName(call) === 'arg_max';
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
  // The binder names the outputs: group columns, the ordering column, then the requested (or all other) columns.
  const produced = planColumns(call.columns);
  const inputNames = new Map(input.columns.map((c) => [c.name, c]));
  const groupByName = new Map(groups.map((g) => [g.name, g.expr]));
  const requested = args.slice(1).filter((a) => a.kind !== 'StarExpression');
  const items: NamedExpr[] = cols.map((c, i) => {
    const g = groupByName.get(c.name);
    if (g && i < groups.length) return { name: c.name, expr: g };
    const k = i - groups.length;
    if (k === 0) return { name: c.name, expr: order };
    const explicit = requested[k - 1];
    if (explicit) return { name: c.name, expr: buildExpr(itemValue(explicit), scope) };
    const source = inputNames.get(stripSuffix(c.name, inputNames)) ?? inputNames.get(produced[k]?.name ?? '');
    if (!source) return unsupported(`the arg_max output column ${c.name}`, call);
    return { name: c.name, expr: { kind: 'column', name: source.name, type: source.type } as Expr };
  });
  return { kind: 'project', input: picked, items, columns: cols };
}

/** arg_max(…, *) renames a column that clashes with a group column by adding a digit (`DeviceName1`). */
function stripSuffix(name: string, names: Map<string, PlanColumn>): string {
  if (names.has(name)) return name;
  const m = /^(.*?)(\d+)$/.exec(name);
  return m && names.has(m[1] as string) ? (m[1] as string) : name;
}
