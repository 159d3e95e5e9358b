/** Kusto scalar types as the plan carries them. */
export type KType =
  | 'string'
  | 'long'
  | 'int'
  | 'real'
  | 'decimal'
  | 'bool'
  | 'datetime'
  | 'timespan'
  | 'dynamic'
  | 'guid'
  | 'unknown';

/** A column of a relation's output. */
export interface PlanColumn {
  readonly name: string;
  readonly type: KType;
}

/** A scalar expression with KQL semantics made explicit; `fn` names are engine-neutral (see functions.ts). */
export type Expr =
  | { readonly kind: 'column'; readonly name: string; readonly type: KType; readonly from?: 'left' | 'right' }
  | { readonly kind: 'literal'; readonly value: string | number | boolean | null; readonly type: KType }
  | { readonly kind: 'call'; readonly fn: string; readonly args: readonly Expr[]; readonly type: KType }
  | {
      readonly kind: 'agg';
      readonly fn: string;
      readonly args: readonly Expr[];
      readonly type: KType;
      readonly filter?: Expr;
    }
  | {
      readonly kind: 'case';
      readonly whens: readonly (readonly [Expr, Expr])[];
      readonly otherwise: Expr;
      readonly type: KType;
    }
  | { readonly kind: 'list'; readonly items: readonly Expr[]; readonly type: KType }
  | { readonly kind: 'star'; readonly type: KType }
  /** A function over the serialized row order (prev, next, row_number, row_cumsum). */
  | {
      readonly kind: 'window';
      readonly fn: string;
      readonly args: readonly Expr[];
      readonly order: readonly SortKey[];
      readonly type: KType;
    }
  /** The first column of a tabular expression: a scalar (toscalar) or, inside `in`, a set of values. */
  | { readonly kind: 'subquery'; readonly rel: Rel; readonly type: KType };

/** A named output expression. */
export interface NamedExpr {
  readonly name: string;
  readonly expr: Expr;
}

/** A sort key. */
export interface SortKey {
  readonly expr: Expr;
  readonly desc: boolean;
  readonly nullsFirst: boolean;
}

/** One level of top-nested: `top-nested [count] of key [with others = v] by agg [asc|desc]`. */
export interface TopNestedLevel {
  readonly count?: number;
  readonly key: Expr;
  readonly agg: Expr;
  readonly desc: boolean;
  readonly others?: Expr;
}

/** The join kinds of KQL. */
export type JoinKind =
  | 'innerunique'
  | 'inner'
  | 'leftouter'
  | 'rightouter'
  | 'fullouter'
  | 'leftanti'
  | 'rightanti'
  | 'leftsemi'
  | 'rightsemi';

/** A relational operator; every node knows its output columns. */
export type Rel =
  | { readonly kind: 'scan'; readonly table: string; readonly columns: readonly PlanColumn[] }
  | { readonly kind: 'ref'; readonly name: string; readonly columns: readonly PlanColumn[] }
  | { readonly kind: 'values'; readonly rows: readonly (readonly Expr[])[]; readonly columns: readonly PlanColumn[] }
  | { readonly kind: 'filter'; readonly input: Rel; readonly predicate: Expr; readonly columns: readonly PlanColumn[] }
  | {
      readonly kind: 'project';
      readonly input: Rel;
      readonly items: readonly NamedExpr[];
      readonly columns: readonly PlanColumn[];
    }
  | {
      readonly kind: 'aggregate';
      readonly input: Rel;
      readonly groups: readonly NamedExpr[];
      readonly aggs: readonly NamedExpr[];
      readonly columns: readonly PlanColumn[];
    }
  | {
      readonly kind: 'sort';
      readonly input: Rel;
      readonly keys: readonly SortKey[];
      readonly columns: readonly PlanColumn[];
    }
  | { readonly kind: 'limit'; readonly input: Rel; readonly count: number; readonly columns: readonly PlanColumn[] }
  | { readonly kind: 'distinct'; readonly input: Rel; readonly columns: readonly PlanColumn[] }
  | {
      /** Keeps the first row of each partition in the given order (arg_max, innerunique, dedup). */
      readonly kind: 'first-per-group';
      readonly input: Rel;
      readonly partition: readonly Expr[];
      readonly order: readonly SortKey[];
      readonly columns: readonly PlanColumn[];
    }
  | {
      readonly kind: 'join';
      readonly join: JoinKind;
      readonly left: Rel;
      readonly right: Rel;
      readonly on: readonly { readonly left: Expr; readonly right: Expr }[];
      /** Output columns: each from the left or right input column of the given name. */
      readonly output: readonly { readonly name: string; readonly side: 'left' | 'right'; readonly source: string }[];
      readonly columns: readonly PlanColumn[];
    }
  | {
      readonly kind: 'union';
      readonly inputs: readonly Rel[];
      readonly source?: { readonly column: string; readonly names: readonly string[] };
      readonly columns: readonly PlanColumn[];
    }
  | {
      /** mv-expand: one output row per element of a dynamic array column. */
      readonly kind: 'expand';
      readonly input: Rel;
      readonly column: string;
      readonly expr: Expr;
      readonly limit?: number;
      readonly columns: readonly PlanColumn[];
    }
  | {
      /** Rows of local files the admin allowed (externaldata). */
      readonly kind: 'external';
      readonly files: readonly string[];
      readonly format: string;
      readonly ignoreFirstRecord: boolean;
      readonly columns: readonly PlanColumn[];
    }
  | {
      /** make-series: per group, one array per aggregate over the bins of the axis, and the axis itself. */
      readonly kind: 'series';
      readonly input: Rel;
      readonly groups: readonly NamedExpr[];
      readonly aggs: readonly (NamedExpr & { readonly default: Expr })[];
      readonly axis: NamedExpr;
      /** Start and end (exclusive) of the axis; when absent, the data's first bin and the bin after its last. */
      readonly from?: Expr;
      readonly to?: Expr;
      readonly step: Expr;
      readonly columns: readonly PlanColumn[];
    }
  | {
      /** top-nested: the top groups of each level within each group of the level above. */
      readonly kind: 'top-nested';
      readonly input: Rel;
      readonly levels: readonly TopNestedLevel[];
      readonly columns: readonly PlanColumn[];
    }
  | {
      readonly kind: 'with';
      readonly ctes: readonly { readonly name: string; readonly rel: Rel; readonly materialize: boolean }[];
      readonly body: Rel;
      readonly columns: readonly PlanColumn[];
    };

/** What a query compiles to: its plan and, when it ends in `render`, the chart hint. */
export interface QueryPlan {
  readonly rel: Rel;
  readonly chart?: { readonly type: string; readonly properties: Readonly<Record<string, string>> };
}
