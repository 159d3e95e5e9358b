import type { KNode } from './checked-tree.js';
import type { Expr, PlanColumn, Rel } from './plan.js';

/** A user function declared with `let f = (a:long) { ... }`. */
export interface UserFunction {
  readonly params: readonly { readonly name: string; readonly defaultValue?: KNode }[];
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
}

/** A map of columns by name. */
export function columnMap(cols: readonly PlanColumn[]): Map<string, PlanColumn> {
  return new Map(cols.map((c) => [c.name, c]));
}

/** The same scope over other input columns. */
export function withColumns(scope: Scope, cols: readonly PlanColumn[]): Scope {
  return { ...scope, columns: columnMap(cols) };
}

/** Builds the plan of a tabular expression. */
export type BuildRel = (node: KNode, scope: Scope) => Rel;
