import { closestNames } from '@vigil/protocol';
import type { TableSpec } from '@vigil/schema';
import type { KNode } from './checked-tree.js';
import { knownFunctionNames } from './functions.js';

/** The operators the compiler translates, for hints about an operator it does not. */
export const SUPPORTED_OPERATORS =
  'where, project, project-away, project-keep, project-rename, project-reorder, extend, summarize, count, distinct, ' +
  'sort/order, top, take/limit, join, lookup, union, mv-expand, parse, find, invoke, make-series, top-nested, ' +
  'serialize, as, render';

/** What a hint may look at besides the message: the schema and, lazily, the columns in scope at an offset. */
export interface HintContext {
  readonly tables: ReadonlyMap<string, TableSpec>;
  readonly allColumns: readonly string[];
  /** Columns of the input of the innermost operator around the offset, when the tree tells. */
  readonly columnsAt: (offset: number) => readonly string[] | undefined;
}

const TYPE_EXAMPLES: Readonly<Record<string, string>> = {
  timespan: 'a timespan such as 1d, 2h or 30m',
  datetime: 'a datetime such as datetime(2026-01-31) or ago(1d)',
  string: 'a string in quotes such as "cmd.exe"',
  long: 'a whole number such as 10',
  int: 'a whole number such as 10',
  real: 'a number such as 1.5',
  bool: 'true, false or a comparison',
  dynamic: 'a dynamic value such as dynamic(["a", "b"]) or parse_json(AdditionalFields)',
};

/** A hint for one of Kusto's parse or bind problems: what would fix it. */
export function kustoHint(message: string, offset: number, ctx: HintContext): string {
  const name = /The name '([^']+)' does not refer/.exec(message)?.[1];
  if (name !== undefined) return unknownNameHint(name, message, offset, ctx);
  const missing = /^Missing:? (.*?)\.?$/.exec(message)?.[1];
  if (missing !== undefined) return `add the missing ${missing} here`;
  const expectedType = /A value of type (\w+) expected/.exec(message)?.[1];
  if (expectedType !== undefined) return `give ${TYPE_EXAMPLES[expectedType] ?? `a ${expectedType} value`} here`;
  if (/Query operator expected/i.test(message)) return `after | comes an operator: ${SUPPORTED_OPERATORS}`;
  if (/expression expected|Missing expression/i.test(message)) return 'complete the expression, e.g. FileName == "x"';
  return 'compare the text at this line and column with the KQL syntax of the operator or function';
}

function unknownNameHint(name: string, message: string, offset: number, ctx: HintContext): string {
  if (/known table/.test(message) || /^[A-Z][A-Za-z]+(Events|Info|Evidence|KB)$/.test(name)) {
    const near = closestNames(name, [...ctx.tables.keys()]);
    const list = `tables: ${[...ctx.tables.keys()].join(', ')}`;
    return near.length > 0 ? `did you mean ${near.join(', ')}? ${list}` : list;
  }
  if (/known function/.test(message)) {
    const near = closestNames(name, knownFunctionNames());
    return near.length > 0
      ? `did you mean ${near.map((n) => `${n}()`).join(', ')}?`
      : 'see the README for the supported functions';
  }
  const here = ctx.columnsAt(offset);
  if (here && here.length > 0) {
    const near = closestNames(name, here);
    if (near.length > 0) return `did you mean ${near.join(', ')}?`;
    const gone = ctx.allColumns.includes(name) ? ` (an earlier project or summarize removed ${name})` : '';
    return `the columns here are ${here.slice(0, 30).join(', ')}${here.length > 30 ? ', …' : ''}${gone}`;
  }
  const near = closestNames(name, ctx.allColumns);
  return near.length > 0 ? `did you mean ${near.join(', ')}?` : 'declare it with let, or check the spelling';
}

/** The columns of the input of the innermost pipe operator that holds the offset. */
export function inputColumnsAt(root: KNode, offset: number): readonly string[] | undefined {
  let found: readonly string[] | undefined;
  const walk = (n: KNode) => {
    if (n.isToken || offset < n.start || offset > n.end) return;
    if (n.kind === 'PipeExpression') {
      const [input, op] = n.children.filter((c) => !c.isToken);
      if (input?.columns && op && offset >= op.start) found = input.columns.map((c) => c.name);
    }
    for (const c of n.children) walk(c);
  };
  walk(root);
  return found;
}
