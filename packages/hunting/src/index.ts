export type { ColumnInfo, KNode } from './checked-tree.js';
export {
  type CompiledQuery,
  type CompileFailure,
  type CompileOptions,
  type HuntStage,
  KqlCompiler,
} from './compile-kql.js';
export { duckdbDialect } from './duckdb-dialect.js';
export { type KustoService, loadKusto, sentinelColumns } from './kusto-bridge.js';
export type { Expr, KType, PlanColumn, QueryPlan, Rel } from './plan.js';
export type { Dialect } from './sql-context.js';
