import type { KNode } from './checked-tree.js';
import type { Expr, PlanColumn, Rel, SortKey } from './plan.js';

/** A user function declared with `let f = (a:long) { ... }`. */
export interface UserFunction {
  readonly params: readonly { readonly name: string; readonly tabular: boolean; readonly defaultValue?: KNode }[];
  /** `let` statements of the body, applied at each call (they may use the parameters). */
  readonly lets: readonly KNode[];
  readonly body: KNode;
}

/** What names mean while building: input columns, `let` bindings and the query's fixed time. */
export interface Scope {
  readonly columns: ReadonlyMap<string, PlanColumn>;
  /** For join conditions: the columns of each side. */
  readonly sides?: { readonly left: ReadonlyMap<string, PlanColumn>; readonly right: ReadonlyMap<string, PlanColumn> };
  readonly scalars: ReadonlyMap<string, Expr>;
  readonly tabulars: ReadonlyMap<string, Rel>;
  readonly functions: ReadonlyMap<string, UserFunction>;
  /** now() of this query, as `YYYY-MM-DD HH:MM:SS.ffffff` UTC: every now()/ago() in a query sees one time. */
  readonly now: string;
  /** The row when building the body of a user function: parameter name → argument. */
  readonly params?: ReadonlyMap<string, Expr>;
  /** Builds tabular expressions met inside scalar ones (toscalar, in). */
  readonly rel?: BuildRel;
  /** The order of the rows, for prev()/next()/row_number(): the keys of the last sort, when still known. */
  readonly serialOrder?: readonly SortKey[];
  /** Applies the `let` statements of a function body to a scope. */
  readonly applyLets?: (lets: readonly KNode[], scope: Scope) => Scope;
}

/** A map of columns by name. */
export function columnMap(cols: readonly PlanColumn[]): Map<string, PlanColumn> {
  return new Map(cols.map((c) => [c.name, c]));
}

/** The same scope over other input columns. */
export function withColumns(scope: Scope, cols: readonly PlanColumn[]): Scope {
  return { ...scope, columns: columnMap(cols) };
}

/** The sort keys that still order a relation's rows (through filters and projections that keep the key columns). */
export function serialOrderOf(rel: Rel): readonly SortKey[] {
  let r: Rel = rel;
  const names = new Set(rel.columns.map((c) => c.name));
  for (;;) {
    if (r.kind === 'sort') {
      const plain = r.keys.every((k) => k.expr.kind === 'column' && names.has(k.expr.name));
      return plain ? r.keys : [];
    }
    if (r.kind === 'filter' || r.kind === 'project' || r.kind === 'limit') r = r.input;
    else return [];
  }
}

/** Builds the plan of a tabular expression. */
export type BuildRel = (node: KNode, scope: Scope) => Rel;
