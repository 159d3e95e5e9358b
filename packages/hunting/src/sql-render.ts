import type { TableSpec } from '@vigil/schema';
import { CompileError } from './compile-error.js';
import { type SqlParts, seriesParts, topNestedSql } from './nested-sql.js';
import type { Expr, PlanColumn, Rel, SortKey } from './plan.js';
import { type Dialect, SqlContext } from './sql-context.js';

/** A compiled statement: SQL text and the values bound to its parameters. */
export interface SqlStatement {
  readonly sql: string;
  readonly params: readonly unknown[];
}

/** The conversion function to each type, for typed mv-expand. */
const CONVERT: Partial<Record<string, string>> = {
  string: 'tostring',
  guid: 'tostring',
  long: 'tolong',
  int: 'toint',
  real: 'todouble',
  decimal: 'todouble',
  bool: 'tobool',
  datetime: 'todatetime',
  timespan: 'totimespan',
};

/**
 * Arguments rendered only when a dialect template reads them: a template that binds its own form of a literal (a
 * lower-cased needle, a regex) must not leave the plain form bound but unused.
 */
function lazyArgs(args: readonly Expr[], render: (e: Expr) => string): readonly string[] {
  const cache: (string | undefined)[] = new Array(args.length).fill(undefined);
  return new Proxy(cache as string[], {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && /^\d+$/.test(prop)) {
        const i = Number(prop);
        const e = args[i];
        if (e === undefined) return undefined;
        target[i] ??= render(e);
        return target[i];
      }
      return Reflect.get(target, prop, receiver);
    },
  });
}

/** Renders plans as SQL of one dialect; only scans of the given tables reach storage. */
export class SqlRenderer {
  private readonly ctx = new SqlContext();

  constructor(
    private readonly dialect: Dialect,
    private readonly tables: ReadonlyMap<string, TableSpec>,
  ) {
    this.ctx.render = (e) => this.expr(e);
  }

  /** Renders a whole plan. */
  statement(rel: Rel): SqlStatement {
    const sql = this.rel(rel);
    return { sql, params: this.ctx.params };
  }

  private q(name: string): string {
    return this.dialect.quoteIdent(name);
  }

  private cols(columns: readonly PlanColumn[]): string {
    return columns.map((c) => this.q(c.name)).join(', ');
  }

  expr(e: Expr, alias?: { left: string; right: string }): string {
    switch (e.kind) {
      case 'column': {
        const prefix = e.from && alias ? `${e.from === 'left' ? alias.left : alias.right}.` : '';
        return `${prefix}${this.q(e.name)}`;
      }
      case 'literal':
        return this.dialect.literal(e.value, e.type, this.ctx);
      case 'list':
        return `[${e.items.map((i) => this.expr(i, alias)).join(', ')}]`;
      case 'star':
        return '*';
      case 'window': {
        const over = e.order.length > 0 ? `ORDER BY ${this.order(e.order)}` : '';
        const args = e.args.map((a) => this.expr(a, alias));
        switch (e.fn) {
          case 'row_number':
            return `(row_number() OVER (${over}) + ${args[0] ?? '1'} - 1)`;
          case 'cumsum':
            return `sum(${args[0]}) OVER (${over} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)`;
          default:
            return `${e.fn}(${args.join(', ')}) OVER (${over})`;
        }
      }
      case 'subquery': {
        const first = e.rel.columns[0];
        if (!first) throw new CompileError('HUNT_NO_COLUMN', 'the tabular expression has no column', 0, 0);
        return `(SELECT ${this.q(first.name)} FROM (${this.rel(e.rel)}) AS _s LIMIT 1)`;
      }
      case 'call':
        return this.dialect.call(
          e.fn,
          lazyArgs(e.args, (a) => this.expr(a, alias)),
          e.args,
          e.type,
          this.ctx,
        );
      case 'agg': {
        const filter = e.filter ? this.expr(e.filter, alias) : undefined;
        const args = e.args.filter((a) => a.kind !== 'star');
        return this.dialect.aggregate(
          e.fn,
          lazyArgs(args, (a) => this.expr(a, alias)),
          args,
          filter,
          this.ctx,
        );
      }
      case 'case': {
        const whens = e.whens.map(([c, v]) => `WHEN ${this.expr(c, alias)} THEN ${this.expr(v, alias)}`).join(' ');
        return `(CASE ${whens} ELSE ${this.expr(e.otherwise, alias)} END)`;
      }
    }
  }

  private order(keys: readonly SortKey[]): string {
    return keys
      .map((k) => `${this.expr(k.expr)} ${k.desc ? 'DESC' : 'ASC'} NULLS ${k.nullsFirst ? 'FIRST' : 'LAST'}`)
      .join(', ');
  }

  private rel(r: Rel): string {
    switch (r.kind) {
      case 'scan':
        return this.scan(r.table, r.columns).sql;
      case 'ref':
        return `SELECT * FROM ${this.q(r.name)}`;
      case 'values': {
        const rows = r.rows.map((row) => `(${row.map((v) => this.expr(v)).join(', ')})`).join(', ');
        if (r.rows.length === 0) {
          return `SELECT ${r.columns.map((c) => `${this.dialect.literal(null, c.type, this.ctx)} AS ${this.q(c.name)}`).join(', ')} WHERE FALSE`;
        }
        return `SELECT * FROM (VALUES ${rows}) AS _v(${this.cols(r.columns)})`;
      }
      case 'filter': {
        if (r.input.kind !== 'scan')
          return `SELECT * FROM (${this.rel(r.input)}) AS _t WHERE ${this.expr(r.predicate)}`;
        const { sql, whole } = this.scan(r.input.table, r.input.columns, r.predicate);
        return whole ? sql : `SELECT * FROM (${sql}) AS _t WHERE ${this.expr(r.predicate)}`;
      }
      case 'project':
        return `SELECT ${r.items.map((i) => `${this.expr(i.expr)} AS ${this.q(i.name)}`).join(', ')} FROM (${this.rel(r.input)}) AS _t`;
      case 'aggregate': {
        const items = [...r.groups, ...r.aggs].map((i) => `${this.expr(i.expr)} AS ${this.q(i.name)}`);
        const group = r.groups.length > 0 ? ` GROUP BY ${r.groups.map((_, i) => i + 1).join(', ')}` : '';
        return `SELECT ${items.join(', ')} FROM (${this.rel(r.input)}) AS _t${group}`;
      }
      case 'sort':
        return `SELECT * FROM (${this.rel(r.input)}) AS _t ORDER BY ${this.order(r.keys)}`;
      case 'limit':
        return `SELECT * FROM (${this.rel(r.input)}) AS _t LIMIT ${Math.max(0, Math.floor(r.count))}`;
      case 'distinct':
        return `SELECT DISTINCT * FROM (${this.rel(r.input)}) AS _t`;
      case 'first-per-group':
        return this.dialect.firstPerGroup(
          this.rel(r.input),
          r.partition.map((p) => this.expr(p)),
          this.order(r.order),
        );
      case 'join':
        return this.join(r);
      case 'union':
        return this.union(r);
      case 'expand': {
        const select = r.columns
          .map((c) =>
            c.name === r.column
              ? `${c.type === 'dynamic' || c.type === 'unknown' ? '_x._v' : this.dialect.call(CONVERT[c.type] ?? 'tostring', ['_x._v'], [{ kind: 'column', name: '_v', type: 'dynamic' }], c.type, this.ctx)} AS ${this.q(c.name)}`
              : `_t.${this.q(c.name)}`,
          )
          .join(', ');
        return this.dialect.expand(this.rel(r.input), select, this.expr(r.expr), r.limit);
      }
      case 'external':
        return this.dialect.externalFiles(r.files, r.format, r.ignoreFirstRecord, r.columns, this.ctx);
      case 'series':
        return this.dialect.makeSeries(seriesParts(r, this.parts()));
      case 'top-nested':
        return topNestedSql(r, this.parts());
      case 'with': {
        const ctes = r.ctes.map(
          (c) => `${this.q(c.name)} AS ${c.materialize ? 'MATERIALIZED ' : ''}(${this.rel(c.rel)})`,
        );
        return `WITH ${ctes.join(', ')} ${this.rel(r.body)}`;
      }
    }
  }

  private parts(): SqlParts {
    return {
      expr: (e) => this.expr(e),
      rel: (r) => this.rel(r),
      q: (n) => this.q(n),
      empty: (t) => this.dialect.literal(t === 'string' ? '' : null, t, this.ctx),
    };
  }

  /**
   * A table's columns as the query sees them. With the predicate of a filter right above, its conjuncts that
   * compare a string column with a non-empty string are put on the stored column, where DuckDB pushes them into the
   * scan: a stored NULL (read as '') never equals a non-empty string, so they select the same rows. `whole` when
   * that is all the predicate says (no filter above is needed then).
   */
  private scan(table: string, columns: readonly PlanColumn[], predicate?: Expr): { sql: string; whole: boolean } {
    const spec = this.tables.get(table);
    if (!spec) throw new CompileError('HUNT_UNKNOWN_TABLE', `unknown table "${table}"`, 0, 0);
    const own = new Map(spec.columns.map((c) => [c.name, c.type]));
    const hasTimestamp = own.has('Timestamp');
    // KQL strings are never null; the store keeps a missing string as NULL (cheaper to store), read here as ''.
    const items = columns.map((c) => {
      const type = own.get(c.name);
      if (type === undefined)
        return `${this.dialect.sentinel(c.name, table, hasTimestamp, this.ctx)} AS ${this.q(c.name)}`;
      return type === 'string' ? `coalesce(${this.q(c.name)}, '') AS ${this.q(c.name)}` : this.q(c.name);
    });
    const terms = predicate ? conjuncts(predicate) : [];
    const stored = terms.filter((e) => equalsNonEmptyString(e, own));
    const where = stored.length > 0 ? ` WHERE ${stored.map((e) => this.expr(e)).join(' AND ')}` : '';
    return {
      sql: `SELECT ${items.join(', ')} FROM ${this.q(table)}${where}`,
      whole: stored.length > 0 && stored.length === terms.length,
    };
  }

  private join(r: Extract<Rel, { kind: 'join' }>): string {
    const swap = r.join === 'rightsemi' || r.join === 'rightanti' || r.join === 'rightouter';
    let left = this.rel(r.left);
    const right = this.rel(r.right);
    const cond = r.on
      .map(
        (c) => `${this.expr(c.left, { left: '_l', right: '_r' })} = ${this.expr(c.right, { left: '_l', right: '_r' })}`,
      )
      .join(' AND ');
    if (r.join === 'innerunique') {
      const keys = r.on.map((c) =>
        this.expr({ ...c.left, ...(c.left.kind === 'column' ? { from: undefined } : {}) } as Expr),
      );
      left = this.dialect.firstPerGroup(left, keys, keys.join(', '));
    }
    const sql: Record<string, string> = {
      innerunique: 'INNER JOIN',
      inner: 'INNER JOIN',
      leftouter: 'LEFT JOIN',
      rightouter: 'RIGHT JOIN',
      fullouter: 'FULL JOIN',
      leftanti: 'ANTI JOIN',
      leftsemi: 'SEMI JOIN',
      rightanti: 'ANTI JOIN',
      rightsemi: 'SEMI JOIN',
    };
    const select = r.output
      .map((o) => `${o.side === 'left' ? '_l' : '_r'}.${this.q(o.source)} AS ${this.q(o.name)}`)
      .join(', ');
    if (swap && r.join !== 'rightouter') {
      return `SELECT ${select} FROM (${right}) AS _r ${sql[r.join]} (${left}) AS _l ON ${cond}`;
    }
    return `SELECT ${select} FROM (${left}) AS _l ${sql[r.join]} (${right}) AS _r ON ${cond}`;
  }

  private union(r: Extract<Rel, { kind: 'union' }>): string {
    const legs = r.inputs.map((input, i) => {
      const have = new Set(input.columns.map((c) => c.name));
      const items = r.columns.map((c) => {
        if (r.source && c.name === r.source.column) {
          return `CAST(${this.ctx.bind(r.source.names[i] ?? '')} AS VARCHAR) AS ${this.q(c.name)}`;
        }
        return have.has(c.name)
          ? this.q(c.name)
          : `${this.dialect.literal(null, c.type, this.ctx)} AS ${this.q(c.name)}`;
      });
      return `SELECT ${items.join(', ')} FROM (${this.rel(input)}) AS _u${i}`;
    });
    return legs.join(' UNION ALL ');
  }
}

/** The terms of a chain of `and`. */
function conjuncts(e: Expr): Expr[] {
  return e.kind === 'call' && e.fn === 'and' ? e.args.flatMap(conjuncts) : [e];
}

/** `column == "text"` (either way round) on a string column of the table, the text not empty. */
function equalsNonEmptyString(e: Expr, own: ReadonlyMap<string, string>): boolean {
  if (e.kind !== 'call' || e.fn !== 'eq' || e.args.length !== 2) return false;
  const [a, b] = e.args as [Expr, Expr];
  const [column, literal] = a.kind === 'column' ? [a, b] : [b, a];
  return (
    column.kind === 'column' &&
    column.from === undefined &&
    own.get(column.name) === 'string' &&
    literal.kind === 'literal' &&
    typeof literal.value === 'string' &&
    literal.value !== ''
  );
}
