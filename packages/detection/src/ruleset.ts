import type { Diagnostic } from '@vigil/base';
import { type CompiledCorrelation, compileCorrelation } from './compile-correlation.js';
import { type CompiledRule, type CompileOptions, compileRule } from './compile-rule.js';
import { CorrelationState, feedCorrelation } from './correlation-state.js';
import type { DetectionEvent } from './detection-event.js';
import { EventView } from './event-view.js';
import { loadRules } from './load-rules.js';
import type { Pipeline } from './pipeline.js';
import { RuleIndex } from './rule-index.js';
import type { RuleMatch } from './rule-match.js';
import type { CollectedRule, RuleSource } from './sigma-types.js';

/** An immutable, indexed set of compiled rules; build a new one to add or remove rules. */
export interface Ruleset {
  readonly rules: readonly CompiledRule[];
  readonly correlations: readonly CompiledCorrelation[];
  /** Every diagnostic of loading and compiling, errors and warnings. */
  readonly diagnostics: readonly Diagnostic[];
  /** The detection rules matching one event. */
  match(event: DetectionEvent): RuleMatch[];
  /** How many rules the index and literal prefilter left to evaluate for an event, of how many loaded. */
  explain(event: DetectionEvent): { candidates: number; rules: number };
  /**
   * False when no rule can match the row that an NDJSON line of this table holds, decided without parsing the line
   * (see RuleIndex.mayMatchLine); true means parse and evaluate it.
   */
  mayMatchLine(table: string, line: string): boolean;
  /** A global regex touching every line of a table's NDJSON that mayMatchLine could keep (see RuleIndex). */
  lineFinder(table: string): RegExp | undefined;
  /** A fresh correlation state (one per stream, e.g. per tenant). */
  createState(): CorrelationState;
  /** Detection matches plus the correlations they complete; rules used only by correlations are left out. */
  evaluate(event: DetectionEvent, state: CorrelationState): RuleMatch[];
}

function isSource(x: RuleSource | CollectedRule): x is RuleSource {
  return 'text' in x;
}

function eventTime(event: DetectionEvent): number | undefined {
  const t = event.row.Timestamp;
  const ms = typeof t === 'string' ? Date.parse(t) : typeof t === 'number' ? t : Number.NaN;
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * Compiles rules (file texts, or rules already collected) with the field-mapping pipelines into a ruleset
 * indexed by table/ActionType/source and prefiltered on required literals.
 */
export function compileRuleset(
  rules: readonly (RuleSource | CollectedRule)[],
  pipelines: readonly Pipeline[],
  options: CompileOptions = {},
): Ruleset {
  const diagnostics: Diagnostic[] = [];
  const collected: CollectedRule[] = [];
  const sources = rules.filter(isSource);
  for (const f of loadRules(sources)) {
    diagnostics.push(...f.diagnostics);
    collected.push(...f.rules);
  }
  collected.push(...rules.filter((r): r is CollectedRule => !isSource(r)));
  const compiled: CompiledRule[] = [];
  for (const r of collected) {
    if (r.kind !== 'detection') continue;
    const c = compileRule(r, pipelines, options);
    diagnostics.push(...c.diagnostics);
    if (c.value) compiled.push(c.value);
  }
  const correlations: CompiledCorrelation[] = [];
  for (const r of collected) {
    if (r.kind !== 'correlation') continue;
    const c = compileCorrelation(r, compiled, diagnostics);
    if (c) correlations.push(c);
  }
  return buildRuleset(compiled, correlations, diagnostics);
}

function buildRuleset(
  rules: readonly CompiledRule[],
  correlations: readonly CompiledCorrelation[],
  diagnostics: readonly Diagnostic[],
): Ruleset {
  const index = new RuleIndex(rules);
  const byRule = new Map<number, number[]>();
  correlations.forEach((c, ci) => {
    for (const r of new Set(c.ruleIndexes)) byRule.set(r, [...(byRule.get(r) ?? []), ci]);
  });
  const hidden = new Set<number>();
  for (const [r, cs] of byRule) if (cs.every((ci) => !correlations[ci]!.generate)) hidden.add(r);
  const toMatch = (i: number): RuleMatch => {
    const r = rules[i]!;
    const m = { kind: 'detection' as const, ruleId: r.id, title: r.title, level: r.level, tags: r.tags };
    return { ...m, techniques: r.techniques, file: r.file, ...(hidden.has(i) ? { correlationOnly: true } : {}) };
  };
  const matchIndexes = (view: EventView) => index.candidates(view).filter((i) => rules[i]!.matches(view));
  return {
    rules,
    correlations,
    diagnostics,
    match: (event) => matchIndexes(new EventView(event)).map(toMatch),
    explain: (event) => ({ candidates: index.candidates(new EventView(event)).length, rules: rules.length }),
    mayMatchLine: (table, line) => index.mayMatchLine(table, line),
    lineFinder: (table) => index.lineFinder(table),
    createState: () => new CorrelationState(),
    evaluate(event, state) {
      const view = new EventView(event);
      const hits = matchIndexes(view);
      const out = hits.filter((i) => !hidden.has(i)).map(toMatch);
      const time = eventTime(event);
      if (time === undefined) return out;
      if (state.tick()) state.sweep(time, (key) => correlations[Number(key.split('\u0000')[0])]?.timespanMs ?? 0);
      for (const i of hits) {
        for (const ci of byRule.get(i) ?? []) {
          const c = correlations[ci]!;
          const info = feedCorrelation(state, String(ci), c, i, rules, view, time);
          if (!info) continue;
          const m = { kind: 'correlation' as const, ruleId: c.id, title: c.title, level: c.level, tags: c.tags };
          out.push({ ...m, techniques: c.techniques, file: c.file, correlation: info });
        }
      }
      return out;
    },
  };
}
