import type { SeriesSql } from './nested-sql.js';
import type { Expr, KType } from './plan.js';

/** Collects the bound parameter values of one SQL statement. */
export class SqlContext {
  readonly params: unknown[] = [];

  /** Renders a plan expression (set by the renderer), for templates that render list items themselves. */
  render: (e: Expr) => string = () => {
    throw new Error('no renderer');
  };

  /** Binds a value and returns its placeholder. */
  bind(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }
}

/** How one engine spells the plan: quoting, literals, functions and aggregates. */
export interface Dialect {
  readonly name: string;
  quoteIdent(name: string): string;
  literal(value: string | number | boolean | null, type: KType, ctx: SqlContext): string;
  /** Renders a plan function; `sql` are the rendered arguments, `args` the plan expressions. */
  call(fn: string, sql: readonly string[], args: readonly Expr[], type: KType, ctx: SqlContext): string;
  /** Renders an aggregate, with an optional FILTER predicate. */
  aggregate(
    fn: string,
    sql: readonly string[],
    args: readonly Expr[],
    filter: string | undefined,
    ctx: SqlContext,
  ): string;
  /** The SQL of a Sentinel column that a table lacks (TimeGenerated, TenantId, …). */
  sentinel(column: string, table: string, hasTimestamp: boolean, ctx: SqlContext): string;
  /** A row number per partition, used for first-row-per-group. */
  firstPerGroup(inner: string, partition: readonly string[], order: string): string;
  /** Reads local files of a format with the given typed columns. */
  externalFiles(
    files: readonly string[],
    format: string,
    header: boolean,
    columns: readonly { name: string; type: KType }[],
    ctx: SqlContext,
  ): string;
  /** make-series: the bins of the axis per group, aggregated into arrays. */
  makeSeries(parts: SeriesSql): string;
  /** Expands a dynamic array column into rows. */
  expand(inner: string, select: string, value: string, limit?: number): string;
}
