import type { Diagnostic, SourceLocation } from '@vigil/base';
import type { CompiledTest } from './compile-context.js';
import type { EventView } from './event-view.js';
import { bestLiterals, unionLiterals } from './literal-sets.js';
import { sigmaDiagnostic } from './sigma-diagnostic.js';
import type { ConditionNode } from './sigma-types.js';

function and(children: readonly CompiledTest[]): CompiledTest {
  const tests = children.map((c) => c.test);
  return {
    test: (view: EventView) => {
      for (const t of tests) if (!t(view)) return false;
      return true;
    },
    literals: bestLiterals(children.map((c) => c.literals)),
  };
}

function or(children: readonly CompiledTest[]): CompiledTest {
  const tests = children.map((c) => c.test);
  return {
    test: (view: EventView) => {
      for (const t of tests) if (t(view)) return true;
      return false;
    },
    literals: unionLiterals(children.map((c) => c.literals)),
  };
}

function atLeast(n: number, children: readonly CompiledTest[]): CompiledTest {
  if (n <= 1) return or(children);
  const tests = children.map((c) => c.test);
  return {
    test: (view: EventView) => {
      let hits = 0;
      for (const t of tests) if (t(view) && ++hits >= n) return true;
      return false;
    },
    literals: unionLiterals(children.map((c) => c.literals)),
  };
}

/** Search identifiers whose name matches an `of` pattern (`*` wildcards; `them` = all not starting with `_`). */
function matchingNames(pattern: string, names: readonly string[]): string[] {
  if (pattern === '*') return names.filter((n) => !n.startsWith('_'));
  const re = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  return names.filter((n) => re.test(n));
}

/** Compiles a condition tree against the compiled search identifiers. */
export function compileCondition(
  node: ConditionNode,
  identifiers: ReadonlyMap<string, CompiledTest>,
  location: SourceLocation,
  diagnostics: Diagnostic[],
): CompiledTest | undefined {
  const rec = (n: ConditionNode) => compileCondition(n, identifiers, location, diagnostics);
  switch (node.kind) {
    case 'ref': {
      const name = (node as { name: string }).name;
      const t = identifiers.get(name);
      if (!t) diagnostics.push(unknownIdentifier(`"${name}"`, location));
      return t;
    }
    case 'not': {
      const child = rec((node as { child: ConditionNode }).child);
      return child && { test: (v: EventView) => !child.test(v), literals: null };
    }
    case 'of': {
      const { quantifier, pattern } = node as { quantifier: 'all' | number; pattern: string };
      const names = matchingNames(pattern, [...identifiers.keys()]);
      if (names.length === 0) {
        diagnostics.push(unknownIdentifier(`matching "${pattern}"`, location));
        return undefined;
      }
      const children = names.map((n) => identifiers.get(n)!);
      return quantifier === 'all' ? and(children) : atLeast(quantifier, children);
    }
    default: {
      const list = (node as { children: readonly ConditionNode[] }).children.map(rec);
      if (list.some((c) => c === undefined)) return undefined;
      return node.kind === 'and' ? and(list as CompiledTest[]) : or(list as CompiledTest[]);
    }
  }
}

function unknownIdentifier(what: string, location: SourceLocation): Diagnostic {
  return sigmaDiagnostic(
    'SIGMA_UNKNOWN_IDENTIFIER',
    `the condition names no search identifier ${what}`,
    location,
    'every name in the condition must be a key of `detection`',
  );
}

/** Combines several compiled tests with OR (a condition given as a list). */
export function anyOf(children: readonly CompiledTest[]): CompiledTest {
  return children.length === 1 ? children[0]! : or(children);
}

/** Combines compiled tests with AND (the items of one search map). */
export function allOf(children: readonly CompiledTest[]): CompiledTest {
  return children.length === 1 ? children[0]! : and(children);
}
