import type { Diagnostic } from '@vigil/base';
import { closestNames } from '@vigil/protocol';
import type { TableSpec } from '@vigil/schema';
import { toCheckedTree } from './checked-tree.js';
import { CompileError } from './compile-error.js';
import type { KustoService } from './kusto-bridge.js';
import type { PlanColumn, QueryPlan } from './plan.js';
import { splitQueryBlocks } from './query-blocks.js';
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
  /** When the text held several queries separated by blank lines: every block, in order. */
  readonly blocks?: readonly CompiledQuery[];
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
  /** The only folder externaldata may read (absolute); without it externaldata is refused. */
  readonly externalDataDir?: string;
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
  private readonly columns: readonly string[];

  constructor(
    private readonly kusto: KustoService,
    tables: readonly TableSpec[],
    private readonly dialect: Dialect,
  ) {
    this.byName = new Map(tables.map((t) => [t.name, t]));
    this.columns = [...new Set(tables.flatMap((t) => t.columns.map((c) => c.name)))];
  }

  /**
   * Compiles a query. A text that fails as a whole but holds several queries separated by blank lines (as the
   * Defender editor allows) compiles block by block: the result is the first block's, with every block in `blocks`.
   */
  compile(text: string, options: CompileOptions = {}): CompiledQuery | CompileFailure {
    const whole = this.compileOne(text, 0, text, options);
    if (!('stage' in whole) || whole.stage === 'compile') return whole;
    const blocks = splitQueryBlocks(text);
    if (blocks.length < 2) return whole;
    const compiled: CompiledQuery[] = [];
    for (const b of blocks) {
      const r = this.compileOne(b.text, b.start, text, options);
      if ('stage' in r) return r;
      compiled.push(r);
    }
    const [first] = compiled as [CompiledQuery, ...CompiledQuery[]];
    return { ...first, blocks: compiled };
  }

  private compileOne(
    text: string,
    offset: number,
    whole: string,
    options: CompileOptions,
  ): CompiledQuery | CompileFailure {
    const at = (start: number) => offset + start;
    const { root, problems } = this.kusto.analyze(text);
    if (problems.length > 0) {
      const parse = problems.some((p) => PARSE_CODES.test(p.code));
      return {
        stage: parse ? 'parse' : 'bind',
        diagnostics: problems.map((p) =>
          diag(whole, `KQL_${p.code}`, p.message, at(p.start), hintFor(p.message, this.byName, this.columns)),
        ),
      };
    }
    try {
      const now = (options.now ?? new Date()).toISOString();
      const tree = toCheckedTree(root, this.kusto);
      const plan = new QueryBuilder(
        this.byName,
        `${now.slice(0, 10)} ${now.slice(11, 23)}000`,
        options.externalDataDir,
      ).build(tree);
      const stmt = new SqlRenderer(this.dialect, this.byName).statement(plan.rel);
      return { sql: stmt.sql, params: stmt.params, columns: plan.rel.columns, plan };
    } catch (e) {
      if (e instanceof CompileError) {
        return { stage: 'compile', diagnostics: [diag(whole, e.code, e.message, at(e.start), e.hint)] };
      }
      // A defect of ours must still answer with a diagnostic, never crash the caller.
      return {
        stage: 'compile',
        diagnostics: [diag(whole, 'HUNT_INTERNAL', `internal compiler error: ${String(e)}`, at(0))],
      };
    }
  }
}

function hintFor(
  message: string,
  tables: ReadonlyMap<string, TableSpec>,
  columns: readonly string[],
): string | undefined {
  const name = /The name '([^']+)' does not refer/.exec(message)?.[1];
  if (!name) return undefined;
  if (/known table/.test(message) || /^[A-Z][A-Za-z]+(Events|Info|Evidence)$/.test(name)) {
    return `tables: ${[...tables.keys()].join(', ')}`;
  }
  const near = closestNames(name, columns);
  return near.length > 0 ? `did you mean ${near.join(', ')}?` : undefined;
}
