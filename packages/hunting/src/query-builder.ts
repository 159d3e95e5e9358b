import type { TableSpec } from '@vigil/schema';
import { child, elements, type KNode, nameText } from './checked-tree.js';
import { CompileError, unsupported } from './compile-error.js';
import { buildExpr, lit } from './expr-builder.js';
import { buildExternalData } from './external-data.js';
import { buildFind } from './find-builder.js';
import { buildHelper } from './helper-functions.js';
import { helperName } from './helper-signatures.js';
import { planColumns } from './ktypes.js';
import { sentinelColumns } from './kusto-bridge.js';
import type { Expr, PlanColumn, QueryPlan, Rel } from './plan.js';
import { applyOperator, buildUnion, renderHint } from './plan-builder.js';
import type { Scope, UserFunction } from './scope.js';

/** Builds the plan of a whole query (let statements, then one tabular expression). */
export class QueryBuilder {
  private cteCount = 0;
  private readonly ctes: { name: string; rel: Rel; materialize: boolean }[] = [];

  constructor(
    private readonly tables: ReadonlyMap<string, TableSpec>,
    private readonly now: string,
    private readonly externalDataDir?: string,
  ) {}

  build(root: KNode): QueryPlan {
    let scope: Scope = {
      columns: new Map(),
      scalars: new Map(),
      tabulars: new Map(),
      functions: new Map(),
      now: this.now,
      rel: this.rel,
      applyLets: (lets, sc) => lets.reduce((acc, st) => this.let(st, acc, true), sc),
    };
    const statements = elements(root).filter((s) => s.kind !== 'EndOfTextToken');
    let query: KNode | undefined;
    for (const st of statements) {
      if (st.kind === 'LetStatement') scope = this.let(st, scope);
      else if (st.kind === 'ExpressionStatement') query = st.children.find((c) => !c.isToken);
      else if (st.kind === 'SetOptionStatement' || st.kind === 'QueryParametersStatement') continue;
      else return unsupported(`the statement ${st.kind}`, st);
    }
    if (!query)
      throw new CompileError('HUNT_NO_QUERY', 'the text has no tabular expression to run', root.start, root.end);
    let chart: QueryPlan['chart'];
    let body = query;
    if (body.kind === 'PipeExpression') {
      const op = body.children.filter((c) => !c.isToken).at(-1);
      if (op?.kind === 'RenderOperator') {
        chart = renderHint(op);
        body = body.children.find((c) => !c.isToken) ?? body;
      }
    }
    const rel = this.rel(body, scope);
    const plan: Rel = this.ctes.length > 0 ? { kind: 'with', ctes: this.ctes, body: rel, columns: rel.columns } : rel;
    return chart ? { rel: plan, chart } : { rel: plan };
  }

  /** Applies one let statement; inside function bodies tabular values are inlined, since they may use parameters. */
  private let(st: KNode, scope: Scope, inline = false): Scope {
    const decl = child(st, 'NameDeclaration');
    const name = decl ? nameText(decl) : '';
    const value = st.children.filter((c) => !c.isToken && c.kind !== 'NameDeclaration').at(-1);
    if (!value) return unsupported('an empty let', st);
    if (value.kind === 'FunctionDeclaration') {
      const fn = this.functionDecl(value);
      return { ...scope, functions: new Map(scope.functions).set(name, fn) };
    }
    if (value.columns || value.kind === 'MaterializeExpression' || isTabular(value)) {
      const rel = this.rel(value, scope);
      const cte = inline ? rel : this.addCte(name, rel, value.kind === 'MaterializeExpression');
      return { ...scope, tabulars: new Map(scope.tabulars).set(name, cte) };
    }
    const e = buildExpr(value, scope);
    return { ...scope, scalars: new Map(scope.scalars).set(name, e) };
  }

  private functionDecl(node: KNode): UserFunction {
    const params = elements(child(node, 'FunctionParameters') ?? node)
      .filter((p) => p.kind === 'FunctionParameter')
      .map((p) => {
        const nt = child(p, 'NameAndTypeDeclaration');
        const n = nt ? child(nt, 'NameDeclaration') : undefined;
        const def = p.children.filter((c) => !c.isToken && c.kind !== 'NameAndTypeDeclaration').at(-1);
        const tabular = nt ? nt.children.some((c) => c.kind === 'SchemaTypeExpression') : false;
        return { name: n ? nameText(n) : '', tabular, ...(def ? { defaultValue: def } : {}) };
      });
    const body = child(node, 'FunctionBody');
    const statements = body ? elements(body) : [];
    const expr = statements.filter((s) => s.kind !== 'LetStatement').at(-1);
    if (!expr) return unsupported('a function without a body', node);
    const last = expr.kind === 'ExpressionStatement' ? (expr.children.find((c) => !c.isToken) ?? expr) : expr;
    return { params, lets: statements.filter((s) => s.kind === 'LetStatement'), body: last };
  }

  private addCte(name: string, rel: Rel, materialize: boolean): Rel {
    const cteName = `${name.replace(/[^A-Za-z0-9_]/g, '_')}_${++this.cteCount}`;
    this.ctes.push({ name: cteName, rel, materialize });
    return { kind: 'ref', name: cteName, columns: rel.columns };
  }

  /** Builds the plan of a tabular expression. */
  rel = (node: KNode, scope: Scope): Rel => {
    switch (node.kind) {
      case 'PipeExpression': {
        const [input, op] = node.children.filter((c) => !c.isToken);
        if (!input || !op) return unsupported('an incomplete pipe', node);
        if (op.kind === 'RenderOperator') return this.rel(input, scope);
        if (op.kind === 'InvokeOperator') {
          const call = op.children.find((c) => c.kind === 'FunctionCallExpression');
          if (!call) return unsupported('this invoke', op);
          if (helperName(call) && !scope.functions.has(helperName(call) ?? '')) {
            return buildHelper(call, scope, this.tables, planColumns(op.columns), this.rel(input, scope));
          }
          return this.tabularCall(call, scope, this.rel(input, scope));
        }
        return applyOperator(op, this.rel(input, scope), scope, this.rel);
      }
      case 'NameReference':
        return this.source(node, scope);
      case 'ParenthesizedExpression': {
        const inner = node.children.find((c) => !c.isToken);
        return inner ? this.rel(inner, scope) : unsupported('empty parentheses', node);
      }
      case 'MaterializeExpression': {
        const inner = node.children.filter((c) => !c.isToken).at(-1);
        if (!inner) return unsupported('an empty materialize()', node);
        return this.rel(inner, scope);
      }
      case 'UnionOperator':
        return buildUnion(node, scope, this.rel);
      case 'DataTableExpression':
        return this.datatable(node, scope);
      case 'FunctionCallExpression':
        return this.tabularCall(node, scope);
      case 'PrintOperator': {
        const columns = planColumns(node.columns);
        const items = elements(node).map((item) => {
          const value =
            item.kind === 'SimpleNamedExpression' ? (item.children.filter((c) => !c.isToken).at(-1) ?? item) : item;
          return buildExpr(value, scope);
        });
        return { kind: 'values', rows: [items], columns };
      }
      case 'ExternalDataExpression':
        return buildExternalData(node, this.externalDataDir);
      case 'FindOperator':
        return buildFind(node, scope, this.rel);
      default:
        return unsupported(`the tabular expression ${node.kind}`, node);
    }
  };

  private source(node: KNode, scope: Scope): Rel {
    const name = nameText(node);
    const tabular = scope.tabulars.get(name);
    if (tabular) return tabular;
    const table = this.tables.get(name);
    if (table) return scanOf(table);
    throw new CompileError(
      'HUNT_UNKNOWN_TABLE',
      `unknown table "${name}"`,
      node.start,
      node.end,
      `tables: ${[...this.tables.keys()].join(', ')}`,
    );
  }

  /** Calls a user function that returns a table; `input` is the piped table of `invoke`. */
  tabularCall(node: KNode, scope: Scope, input?: Rel): Rel {
    const nameNode = node.children.find((c) => !c.isToken && c.kind !== 'ExpressionList');
    const name = nameNode ? nameText(nameNode) : '';
    const fn = scope.functions.get(name);
    if (!fn && helperName(node)) return buildHelper(node, scope, this.tables, planColumns(node.columns), input);
    if (!fn) return unsupported(`the tabular function ${name}()`, node);
    const argNodes = elements(child(node, 'ExpressionList') ?? node);
    const shift = input ? 1 : 0;
    const params = new Map(scope.params ?? []);
    const tabulars = new Map(scope.tabulars);
    fn.params.forEach((p, i) => {
      if (input && i === 0) {
        tabulars.set(p.name, input);
        return;
      }
      const a = argNodes[i - shift] ?? p.defaultValue;
      if (!a) return;
      if (p.tabular) tabulars.set(p.name, this.rel(a, scope));
      else params.set(p.name, buildExpr(a, scope));
    });
    const inner: Scope = { ...scope, params, tabulars };
    return this.rel(fn.body, this.applyFunctionLets(fn, inner));
  }

  private applyFunctionLets(fn: { lets: readonly KNode[] }, scope: Scope): Scope {
    return fn.lets.reduce((acc, st) => this.let(st, acc, true), scope);
  }

  private datatable(node: KNode, scope: Scope): Rel {
    const columns: PlanColumn[] = planColumns(node.columns);
    const values = elements(node.children.filter((c) => c.kind === 'List').at(-1) ?? node).map((v) =>
      buildExpr(v, scope),
    );
    if (columns.length === 0) return unsupported('a datatable without columns', node);
    const rows: Expr[][] = [];
    for (let i = 0; i < values.length; i += columns.length) {
      rows.push(columns.map((c, j) => retype(values[i + j] ?? lit(null, c.type), c.type)));
    }
    return { kind: 'values', rows, columns };
  }
}

function retype(e: Expr, type: PlanColumn['type']): Expr {
  return e.kind === 'literal' ? { ...e, type } : e;
}

function isTabular(node: KNode): boolean {
  return ['PipeExpression', 'UnionOperator', 'DataTableExpression'].includes(node.kind);
}

/** A scan of a hunting table, with the Sentinel columns added. */
export function scanOf(table: TableSpec): Rel {
  const columns: PlanColumn[] = table.columns.map((c) => ({ name: c.name, type: c.type }));
  const names = new Set(columns.map((c) => c.name));
  for (const [name, type] of sentinelColumns) if (!names.has(name)) columns.push({ name, type });
  return { kind: 'scan', table: table.name, columns };
}
