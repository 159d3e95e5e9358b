import type { Diagnostic } from '@vigil/base';
import type { TableSpec } from '@vigil/schema';
import { type KNode, toCheckedTree } from './checked-tree.js';
import { CompileError } from './compile-error.js';
import { type HintContext, inputColumnsAt, kustoHint, SUPPORTED_OPERATORS } from './diagnostic-hints.js';
import { isHelperColumnArgument } from './helper-signatures.js';
import type { BridgeNode, KustoProblem, KustoService } from './kusto-bridge.js';
import type { PlanColumn, QueryPlan } from './plan.js';
import { prune } from './prune.js';
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

function diag(text: string, code: string, message: string, start: number, hint: string): Diagnostic {
  return { code, message, severity: 'error', location: position(text, start), hint };
}

/** A hint for our own compile errors that did not bring one. */
function defaultHint(code: string, message: string): string {
  if (code === 'HUNT_UNSUPPORTED' && /^the operator /.test(message))
    return `supported operators: ${SUPPORTED_OPERATORS}`;
  if (code === 'HUNT_NO_QUERY') return 'end the text with a query, such as DeviceProcessEvents | take 10';
  if (code === 'HUNT_INTERNAL') return "this is a defect of Vigil's compiler: please report the query";
  return 'rewrite this part with the operators and functions listed in the README ("Advanced hunting")';
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

  /** Drops the binder's complaints about columns passed to Defender helpers under invoke (see helper-functions). */
  private withoutHelperArguments(problems: readonly KustoProblem[], root: BridgeNode): KustoProblem[] {
    if (!problems.some((p) => p.code === 'KS142')) return [...problems];
    let tree: KNode;
    try {
      tree = toCheckedTree(root, this.kusto);
    } catch {
      return [...problems];
    }
    return problems.filter((p) => !(p.code === 'KS142' && isHelperColumnArgument(tree, p.start, p.message)));
  }

  private hintContext(root: Parameters<typeof toCheckedTree>[0]): HintContext {
    let tree: KNode | null | undefined;
    return {
      tables: this.byName,
      allColumns: this.columns,
      columnsAt: (offset) => {
        if (tree === undefined) {
          try {
            tree = toCheckedTree(root, this.kusto);
          } catch {
            tree = null;
          }
        }
        return tree ? inputColumnsAt(tree, offset) : undefined;
      },
    };
  }

  private compileOne(
    text: string,
    offset: number,
    whole: string,
    options: CompileOptions,
  ): CompiledQuery | CompileFailure {
    const at = (start: number) => offset + start;
    const analyzed = this.kusto.analyze(text);
    const { root } = analyzed;
    const problems = this.withoutHelperArguments(analyzed.problems, root);
    if (problems.length > 0) {
      const parse = problems.some((p) => PARSE_CODES.test(p.code));
      const ctx = this.hintContext(root);
      return {
        stage: parse ? 'parse' : 'bind',
        diagnostics: problems.map((p) =>
          diag(whole, `KQL_${p.code}`, p.message, at(p.start), kustoHint(p.message, p.start, ctx)),
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
      const pruned = { ...plan, rel: prune(plan.rel) };
      const stmt = new SqlRenderer(this.dialect, this.byName).statement(pruned.rel);
      return { sql: stmt.sql, params: stmt.params, columns: pruned.rel.columns, plan: pruned };
    } catch (e) {
      if (e instanceof CompileError) {
        const hint = e.hint ?? defaultHint(e.code, e.message);
        return { stage: 'compile', diagnostics: [diag(whole, e.code, e.message, at(e.start), hint)] };
      }
      // A defect of ours must still answer with a diagnostic, never crash the caller.
      return {
        stage: 'compile',
        diagnostics: [
          diag(
            whole,
            'HUNT_INTERNAL',
            `internal compiler error: ${String(e)}`,
            at(0),
            defaultHint('HUNT_INTERNAL', ''),
          ),
        ],
      };
    }
  }
}
