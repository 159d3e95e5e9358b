import { type CompiledCorrelation, countSatisfies } from './compile-correlation.js';
import type { CompiledRule } from './compile-rule.js';
import type { EventView } from './event-view.js';
import type { CorrelationMatchInfo } from './rule-match.js';
import { valueTexts } from './value-matcher.js';

interface Hit {
  readonly time: number;
  readonly rule: number;
  readonly value?: string;
}

/** The time-windowed memory of correlations: per correlation and group, the base-rule hits still in the window. */
export class CorrelationState {
  readonly groups = new Map<string, Hit[]>();
  private events = 0;

  /** Forgets groups whose newest hit left the window; called every few thousand events. */
  sweep(now: number, spanOf: (key: string) => number): void {
    for (const [key, hits] of this.groups) {
      const last = hits[hits.length - 1];
      if (!last || last.time < now - spanOf(key)) this.groups.delete(key);
    }
  }

  /** Counts events and says when a sweep is due. */
  tick(): boolean {
    this.events++;
    return this.events % 4096 === 0;
  }
}

function groupValues(
  c: CompiledCorrelation,
  ruleIndex: number,
  rules: readonly CompiledRule[],
  view: EventView,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const g of c.groupBy) {
    const field = c.aliases.get(g)?.get(ruleIndex) ?? g;
    out[g] = valueTexts(rules[ruleIndex]?.field(field).get(view)).join(',');
  }
  return out;
}

function evaluateHits(c: CompiledCorrelation, hits: readonly Hit[]): number | undefined {
  switch (c.type) {
    case 'event_count':
      return countSatisfies(hits.length, c.condition) ? hits.length : undefined;
    case 'value_count': {
      const n = new Set(hits.map((h) => h.value).filter((v) => v !== undefined && v !== '')).size;
      return countSatisfies(n, c.condition) ? n : undefined;
    }
    case 'temporal': {
      const n = new Set(hits.map((h) => h.rule)).size;
      const enough = c.condition.gte === undefined ? n === c.ruleIndexes.length : countSatisfies(n, c.condition);
      return enough ? n : undefined;
    }
    case 'temporal_ordered': {
      let pos = 0;
      for (const h of hits) if (h.rule === c.ruleIndexes[pos] && ++pos === c.ruleIndexes.length) return pos;
      return undefined;
    }
  }
}

/**
 * Feeds one base-rule match into a correlation; returns what fired, if anything. A firing group is cleared, so
 * the next alert needs a fresh window of events.
 */
export function feedCorrelation(
  state: CorrelationState,
  key: string,
  c: CompiledCorrelation,
  ruleIndex: number,
  rules: readonly CompiledRule[],
  view: EventView,
  time: number,
): CorrelationMatchInfo | undefined {
  const group = groupValues(c, ruleIndex, rules, view);
  const groupKey = `${key}\u0000${JSON.stringify(group)}`;
  let hits = state.groups.get(groupKey);
  if (!hits) {
    hits = [];
    state.groups.set(groupKey, hits);
  }
  const value =
    c.type === 'value_count' && c.condition.field !== undefined
      ? valueTexts(rules[ruleIndex]?.field(c.condition.field).get(view)).join(',')
      : undefined;
  hits.push(value === undefined ? { time, rule: ruleIndex } : { time, rule: ruleIndex, value });
  if (hits.length > 1 && hits[hits.length - 2]!.time > time) hits.sort((a, b) => a.time - b.time);
  const from = hits.reduce((m, h) => Math.max(m, h.time), time) - c.timespanMs;
  const kept = hits.filter((h) => h.time >= from);
  state.groups.set(groupKey, kept);
  const count = evaluateHits(c, kept);
  if (count === undefined) return undefined;
  state.groups.delete(groupKey);
  return {
    type: c.type,
    group,
    count,
    firstTime: kept[0]?.time ?? time,
    lastTime: kept[kept.length - 1]?.time ?? time,
    ruleIds: [...new Set(kept.map((h) => rules[h.rule]?.id ?? ''))],
  };
}
