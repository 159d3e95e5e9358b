import type { Diagnostic } from '@vigil/base';
import type { TableSpec } from '@vigil/schema';
import { toCheckedTree } from './checked-tree.js';
import { CompileError } from './compile-error.js';
import type { KustoService } from './kusto-bridge.js';
import type { PlanColumn, QueryPlan } from './plan.js';
import { QueryBuilder } from './query-builder.js';
import type { Dialect } from './sql-context.js';
import { SqlRenderer } from './sql-render.js';

/** Where a failure happened. */
export type HuntStage = 'parse' | 'bind' | 'compile' | 'run';

/** A compiled query: its SQL, parameters, result columns and chart hint. */
export interface CompiledQuery {
  readonly sql: string;
  readonly params: readonly unknown[];
  readonly columns: readonly PlanColumn[];
  readonly plan: QueryPlan;
}

/** A failed compile: the stage and its diagnostics (line and column from 1). */
export interface CompileFailure {
  readonly stage: HuntStage;
  readonly diagnostics: readonly Diagnostic[];
}

/** Options of one compile. */
export interface CompileOptions {
  /** now() of the query (default: the current time). */
  readonly now?: Date;
}

function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      last = i;
    }
  }
  return { line, column: offset - last };
}

function diag(text: string, code: string, message: string, start: number, hint?: string): Diagnostic {
  return { code, message, severity: 'error', location: position(text, start), ...(hint ? { hint } : {}) };
}

const PARSE_CODES = /^KS0\d\d$/;

/** Compiles KQL: Kusto's parser and binder, then our plan, then SQL of the dialect. */
export class KqlCompiler {
  private readonly byName: ReadonlyMap<string, TableSpec>;

  constructor(
    private readonly kusto: KustoService,
    tables: readonly TableSpec[],
    private readonly dialect: Dialect,
  ) {
    this.byName = new Map(tables.map((t) => [t.name, t]));
  }

  compile(text: string, options: CompileOptions = {}): CompiledQuery | CompileFailure {
    const { root, problems } = this.kusto.analyze(text);
    if (problems.length > 0) {
      const parse = problems.some((p) => PARSE_CODES.test(p.code));
      return {
        stage: parse ? 'parse' : 'bind',
        diagnostics: problems.map((p) =>
          diag(text, `KQL_${p.code}`, p.message, p.start, hintFor(p.message, this.byName)),
        ),
      };
    }
    try {
      const now = (options.now ?? new Date()).toISOString();
      const tree = toCheckedTree(root, this.kusto);
      const plan = new QueryBuilder(this.byName, `${now.slice(0, 10)} ${now.slice(11, 23)}000`).build(tree);
      const stmt = new SqlRenderer(this.dialect, this.byName).statement(plan.rel);
      return { sql: stmt.sql, params: stmt.params, columns: plan.rel.columns, plan };
    } catch (e) {
      if (e instanceof CompileError) {
        return { stage: 'compile', diagnostics: [diag(text, e.code, e.message, e.start, e.hint)] };
      }
      // A defect of ours must still answer with a diagnostic, never crash the caller.
      return {
        stage: 'compile',
        diagnostics: [diag(text, 'HUNT_INTERNAL', `internal compiler error: ${String(e)}`, 0)],
      };
    }
  }
}

function hintFor(message: string, tables: ReadonlyMap<string, TableSpec>): string | undefined {
  if (/does not refer to any known/.test(message)) return `tables: ${[...tables.keys()].join(', ')}`;
  return undefined;
}
