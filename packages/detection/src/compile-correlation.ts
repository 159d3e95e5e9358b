import type { Diagnostic } from '@vigil/base';
import { attackTechniques, type CompiledRule } from './compile-rule.js';
import { sigmaDiagnostic } from './sigma-diagnostic.js';
import type { CollectedCorrelationRule, CorrelationType, CountCondition } from './sigma-types.js';

/** A correlation rule resolved against the compiled base rules (by their index in the ruleset). */
export interface CompiledCorrelation {
  readonly id: string;
  readonly title: string;
  readonly level: string;
  readonly tags: readonly string[];
  readonly techniques: readonly string[];
  readonly file: string;
  readonly type: CorrelationType;
  /** Indexes of the base rules, in the order the correlation lists them. */
  readonly ruleIndexes: readonly number[];
  readonly groupBy: readonly string[];
  readonly timespanMs: number;
  readonly condition: CountCondition;
  /** For each group-by alias: base rule index → field name. */
  readonly aliases: ReadonlyMap<string, ReadonlyMap<number, string>>;
  readonly generate: boolean;
}

/** Resolves a correlation's rule references (name or id) to compiled rules; unknown references are errors. */
export function compileCorrelation(
  c: CollectedCorrelationRule,
  rules: readonly CompiledRule[],
  diagnostics: Diagnostic[],
): CompiledCorrelation | undefined {
  const byRef = new Map<string, number>();
  rules.forEach((r, i) => {
    byRef.set(r.id, i);
    if (r.name) byRef.set(r.name, i);
  });
  const ruleIndexes: number[] = [];
  for (const ref of c.rules) {
    const i = byRef.get(ref);
    if (i === undefined) {
      diagnostics.push(
        sigmaDiagnostic(
          'SIGMA_UNKNOWN_CORRELATED_RULE',
          `correlation "${c.title}" refers to rule "${ref}", which is not loaded (or is itself a correlation)`,
          c.location,
          'load the base rule in the same set, referring to it by its `name` or `id`',
        ),
      );
      return undefined;
    }
    ruleIndexes.push(i);
  }
  const aliases = new Map<string, Map<number, string>>();
  for (const [alias, perRule] of c.aliases) {
    const m = new Map<number, string>();
    for (const [ref, field] of perRule) {
      const i = byRef.get(ref);
      if (i !== undefined) m.set(i, field);
    }
    aliases.set(alias, m);
  }
  return {
    id: c.id ?? c.name ?? `${c.file}#${c.title}`,
    title: c.title,
    level: c.level,
    tags: c.tags,
    techniques: attackTechniques(c.tags),
    file: c.file,
    type: c.type,
    ruleIndexes,
    groupBy: c.groupBy,
    timespanMs: c.timespanMs,
    condition: c.condition,
    aliases,
    generate: c.generate,
  };
}

/** Whether a count satisfies a correlation condition (all given comparisons must hold). */
export function countSatisfies(n: number, c: CountCondition): boolean {
  if (c.gt !== undefined && !(n > c.gt)) return false;
  if (c.gte !== undefined && !(n >= c.gte)) return false;
  if (c.lt !== undefined && !(n < c.lt)) return false;
  if (c.lte !== undefined && !(n <= c.lte)) return false;
  if (c.eq !== undefined && n !== c.eq) return false;
  return true;
}
