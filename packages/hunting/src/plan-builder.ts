import { elements, type KNode, nameText } from './checked-tree.js';
import { CompileError, unsupported } from './compile-error.js';
import { buildExpr, sourceText } from './expr-builder.js';
import { buildJoin, buildLookup } from './join-builder.js';
import { planColumns } from './ktypes.js';
import { buildParse } from './parse-builder.js';
import type { Expr, NamedExpr, PlanColumn, QueryPlan, Rel, SortKey } from './plan.js';
import { type BuildRel, columnMap, type Scope, serialOrderOf, withColumns } from './scope.js';
import { buildMakeSeries, buildTopNested } from './series-builder.js';
import { buildSummarize } from './summarize-builder.js';

/** The output columns the binder computed for a node, or the input's when it computed none. */
export function outColumns(node: KNode, fallback: readonly PlanColumn[]): PlanColumn[] {
  return node.columns ? planColumns(node.columns) : [...fallback];
}

const colRef = (c: PlanColumn): Expr => ({ kind: 'column', name: c.name, type: c.type });

function operatorArgs(node: KNode): KNode[] {
  return node.children.filter((c) => !c.isToken && c.kind !== 'List' && c.kind !== 'NameAndTypeDeclaration');
}

function namedItems(list: KNode | undefined): KNode[] {
  return list ? elements(list) : [];
}

/** The name and value of a `name = expr` item, or a bare column reference. */
function itemName(item: KNode): { name: string | undefined; value: KNode } {
  if (item.kind === 'SimpleNamedExpression') {
    const decl = item.children.find((c) => c.kind === 'NameDeclaration');
    const value = item.children.filter((c) => !c.isToken && c.kind !== 'NameDeclaration').at(-1);
    return { name: decl ? nameText(decl) : undefined, value: value ?? item };
  }
  return { name: item.kind === 'NameReference' ? nameText(item) : undefined, value: item };
}

function project(node: KNode, input: Rel, scope: Scope): Rel {
  const cols = outColumns(node, input.columns);
  const s = withColumns(scope, input.columns);
  // The operator's children: keyword, the parameter list, the expression list.
  const items = namedItems(lastList(node));
  const exprs: NamedExpr[] = [];
  let i = 0;
  for (const item of items) {
    if (item.kind === 'CompoundNamedExpression') return unsupported('(a, b) = … in project', item);
    const { value } = itemName(item);
    const col = cols[i++];
    if (!col) break;
    exprs.push({ name: col.name, expr: buildExpr(value, s) });
  }
  if (exprs.length !== cols.length) return unsupported('this project list', node);
  return { kind: 'project', input, items: exprs, columns: cols };
}

function lastList(node: KNode): KNode | undefined {
  return [...node.children].reverse().find((c) => c.kind === 'List');
}

function extend(node: KNode, input: Rel, scope: Scope): Rel {
  // The output is the input's columns plus the new ones: the binder's view can be narrower inside a function whose
  // tabular parameter declares only some columns, while the table passed in has more.
  const analyzed = outColumns(node, input.columns);
  const analyzedByName = new Map(analyzed.map((c) => [c.name, c]));
  const known = new Set(input.columns.map((c) => c.name));
  const cols = [
    ...input.columns.map((c) => analyzedByName.get(c.name) ?? c),
    ...analyzed.filter((c) => !known.has(c.name)),
  ];
  const s = withColumns(scope, input.columns);
  const defined = new Map<string, Expr>();
  const items = namedItems(lastList(node));
  const inputNames = new Set(input.columns.map((c) => c.name));
  const added = cols.filter((c) => !inputNames.has(c.name));
  let addedIndex = 0;
  for (const item of items) {
    if (item.kind === 'CompoundNamedExpression') return unsupported('(a, b) = … in extend', item);
    const { name, value } = itemName(item);
    const target = name ?? added[addedIndex]?.name;
    if (!name) addedIndex++;
    else if (!inputNames.has(name)) addedIndex++;
    if (!target) return unsupported('this extend item', item);
    defined.set(target, buildExpr(value, s));
  }
  const exprs = cols.map((c) => ({ name: c.name, expr: defined.get(c.name) ?? colRef(c) }));
  return { kind: 'project', input, items: exprs, columns: cols };
}

function keep(node: KNode, input: Rel): Rel {
  const cols = outColumns(node, input.columns);
  return { kind: 'project', input, items: cols.map((c) => ({ name: c.name, expr: colRef(c) })), columns: cols };
}

function rename(node: KNode, input: Rel): Rel {
  const cols = outColumns(node, input.columns);
  const renames = new Map<string, string>();
  for (const item of namedItems(lastList(node))) {
    const { name, value } = itemName(item);
    if (name) renames.set(name, nameText(value));
  }
  const byName = columnMap(input.columns);
  const items = cols.map((c) => {
    const source = byName.get(renames.get(c.name) ?? c.name) ?? c;
    return { name: c.name, expr: colRef(source) };
  });
  return { kind: 'project', input, items, columns: cols };
}

function sortKeys(list: KNode | undefined, scope: Scope, defaultDesc: boolean): SortKey[] {
  return namedItems(list).map((item) => {
    const ordered = item.kind === 'OrderedExpression' ? item : undefined;
    const exprNode = ordered ? (ordered.children.find((c) => !c.isToken) ?? item) : item;
    const words = (ordered ? sourceText(ordered) : '').toLowerCase();
    const desc = /\basc\b/.test(words.replace(sourceText(exprNode).toLowerCase(), ''))
      ? false
      : /\bdesc\b/.test(words)
        ? true
        : defaultDesc;
    const nullsFirst = /nullsfirst|nulls first/.test(words) ? true : /nullslast|nulls last/.test(words) ? false : !desc;
    return { expr: buildExpr(exprNode, scope), desc, nullsFirst };
  });
}

function countOf(node: KNode, scope: Scope): number {
  const n = node.children.find((c) => !c.isToken && c.kind !== 'List');
  if (!n) return unsupported('take without a count', node);
  const e = buildExpr(n, scope);
  if (e.kind !== 'literal' || typeof e.value !== 'number') return unsupported('a computed row count', n);
  return e.value;
}

/** Applies one pipe operator to its input. */
export function applyOperator(op: KNode, input: Rel, scope0: Scope, buildRel: BuildRel): Rel {
  const scope: Scope = { ...scope0, serialOrder: serialOrderOf(input) };
  const s = withColumns(scope, input.columns);
  switch (op.kind) {
    case 'FilterOperator': {
      const pred = operatorArgs(op).at(-1) ?? unsupported('where without a predicate', op);
      const predicate = buildExpr(pred, s);
      if (!hasWindow(predicate)) return { kind: 'filter', input, predicate, columns: input.columns };
      // SQL evaluates window functions after WHERE: compute the predicate as a column first.
      const keepCols = input.columns.map((c) => ({ name: c.name, expr: colRef(c) }));
      const flagged: Rel = {
        kind: 'project',
        input,
        items: [...keepCols, { name: '__where', expr: predicate }],
        columns: [...input.columns, { name: '__where', type: 'bool' }],
      };
      const filtered: Rel = {
        kind: 'filter',
        input: flagged,
        predicate: { kind: 'column', name: '__where', type: 'bool' },
        columns: flagged.columns,
      };
      return { kind: 'project', input: filtered, items: keepCols, columns: input.columns };
    }
    case 'ProjectOperator':
      return project(op, input, scope);
    case 'ExtendOperator':
      return extend(op, input, scope);
    case 'ProjectAwayOperator':
    case 'ProjectKeepOperator':
    case 'ProjectReorderOperator':
      return keep(op, input);
    case 'ProjectRenameOperator':
      return rename(op, input);
    case 'SummarizeOperator':
      return buildSummarize(op, input, scope);
    case 'SortOperator':
      return { kind: 'sort', input, keys: sortKeys(lastList(op), s, true), columns: input.columns };
    case 'TakeOperator':
    case 'SampleOperator':
      return { kind: 'limit', input, count: countOf(op, s), columns: input.columns };
    case 'TopOperator': {
      const count = countOf(op, s);
      const byIndex = op.children.findIndex((c) => c.isToken && c.text.toLowerCase() === 'by');
      const keyNode = op.children.slice(byIndex + 1).find((c) => !c.isToken);
      const keys = sortKeys(keyNode ? { ...keyNode, kind: 'List', children: [keyNode] } : undefined, s, true);
      const sorted: Rel = { kind: 'sort', input, keys, columns: input.columns };
      return { kind: 'limit', input: sorted, count, columns: input.columns };
    }
    case 'CountOperator': {
      const cols = outColumns(op, [{ name: 'Count', type: 'long' }]);
      return {
        kind: 'aggregate',
        input,
        groups: [],
        aggs: [{ name: cols[0]?.name ?? 'Count', expr: { kind: 'agg', fn: 'count', args: [], type: 'long' } }],
        columns: cols,
      };
    }
    case 'DistinctOperator': {
      const cols = outColumns(op, input.columns);
      const items = namedItems(lastList(op));
      if (items.length === 1 && items[0]?.kind === 'StarExpression')
        return { kind: 'distinct', input, columns: input.columns };
      const groups = items.map((item, i) => ({
        name: cols[i]?.name ?? nameText(item),
        expr: buildExpr(itemName(item).value, s),
      }));
      return { kind: 'aggregate', input, groups, aggs: [], columns: cols };
    }
    case 'JoinOperator':
      return buildJoin(op, input, scope, buildRel);
    case 'LookupOperator':
      return buildLookup(op, input, scope, buildRel);
    case 'UnionOperator':
      return buildUnion(op, scope, buildRel, input);
    case 'SerializeOperator': {
      const items = namedItems(lastList(op));
      return items.length > 0 ? extend(op, input, scope) : input;
    }
    case 'AsOperator':
      return input;
    case 'MvExpandOperator':
      return buildMvExpand(op, input, scope);
    case 'ParseOperator':
      return buildParse(op, input, scope);
    case 'MakeSeriesOperator':
      return buildMakeSeries(op, input, scope);
    case 'TopNestedOperator':
      return buildTopNested(op, input, scope);
    default:
      return unsupported(`the operator ${op.kind.replace(/Operator$/, '')}`, op);
  }
}

function buildMvExpand(op: KNode, input: Rel, scope: Scope): Rel {
  const s = withColumns(scope, input.columns);
  const items = namedItems(
    op.children.find((c) => c.kind === 'List' && elements(c).some((e) => e.kind === 'MvExpandExpression')),
  );
  if (items.length !== 1) return unsupported('mv-expand of several columns', op);
  const item = items[0] as KNode;
  const inner = item.children.find((c) => !c.isToken) ?? item;
  const { name, value } = itemName(inner);
  const column = name ?? nameText(value);
  const cols = outColumns(op, input.columns);
  const limitWord = op.children.findIndex((c) => c.isToken && c.text.toLowerCase() === 'limit');
  const limitNode = limitWord >= 0 ? op.children.slice(limitWord + 1).find((c) => !c.isToken) : undefined;
  const limit = limitNode
    ? Number(
        buildExpr(limitNode, s).kind === 'literal' ? (buildExpr(limitNode, s) as { value: number }).value : Number.NaN,
      )
    : undefined;
  return {
    kind: 'expand',
    input,
    column,
    expr: buildExpr(value, s),
    ...(limit !== undefined && Number.isFinite(limit) ? { limit } : {}),
    columns: cols,
  };
}

/** `union [withsource=T] A, B, …` (also as a pipe operator, whose input is the first leg). */
export function buildUnion(op: KNode, scope: Scope, buildRel: BuildRel, input?: Rel): Rel {
  const legs = elements(lastList(op) ?? op).filter((c) => c.kind !== 'NamedParameter');
  const inputs = [...(input ? [input] : []), ...legs.map((l) => buildRel(l, scope))];
  const params = op.children
    .filter((c) => c.kind === 'List')
    .flatMap((l) => elements(l))
    .filter((c) => c.kind === 'NamedParameter');
  const cols = outColumns(op, inputs[0]?.columns ?? []);
  let source: { column: string; names: string[] } | undefined;
  for (const p of params) {
    const text = sourceText(p);
    const m = /^withsource=(.+)$/i.exec(text.replace(/\s+/g, ''));
    if (m) {
      const names = [
        ...(input ? ['(input)'] : []),
        ...legs.map((l) => (l.kind === 'NameReference' ? nameText(l) : 'union_arg')),
      ];
      source = { column: (m[1] ?? '').replace(/^\[['"]?|['"]?\]$/g, ''), names };
    }
  }
  return { kind: 'union', inputs, ...(source ? { source } : {}), columns: cols };
}

/** Reads `render chart [with (...)]` into a chart hint. */
export function renderHint(op: KNode): NonNullable<QueryPlan['chart']> {
  const text = sourceText(op);
  const words = op.children.flatMap((c) =>
    c.isToken ? [c.text] : c.kind === 'NameReference' || c.kind === 'TokenName' ? [nameText(c)] : [],
  );
  const type = words[1] ?? 'table';
  const properties: Record<string, string> = {};
  const withPart = /with\((.*)\)/is.exec(text)?.[1];
  for (const pair of withPart?.split(',') ?? []) {
    const [k, v] = pair.split('=');
    if (k && v) properties[k.trim()] = v.trim().replace(/^["']|["']$/g, '');
  }
  return { type, properties };
}

/** A literal row count or scalar, for operators that need one. */
export function literalNumber(node: KNode, scope: Scope): number {
  const e = buildExpr(node, scope);
  if (e.kind === 'literal' && typeof e.value === 'number') return e.value;
  throw new CompileError('HUNT_NOT_CONSTANT', 'a constant number is needed here', node.start, node.end);
}

function hasWindow(e: Expr): boolean {
  switch (e.kind) {
    case 'window':
      return true;
    case 'call':
    case 'agg':
      return e.args.some(hasWindow);
    case 'case':
      return e.whens.some(([a, b]) => hasWindow(a) || hasWindow(b)) || hasWindow(e.otherwise);
    case 'list':
      return e.items.some(hasWindow);
    default:
      return false;
  }
}
