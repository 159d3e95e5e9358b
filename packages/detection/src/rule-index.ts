import { AhoCorasick } from './aho-corasick.js';
import type { CompiledRule } from './compile-rule.js';
import type { EventView } from './event-view.js';
import type { PipelineTarget } from './pipeline.js';

interface Entry {
  readonly rule: number;
  readonly target: PipelineTarget;
  readonly key: string;
}

interface Bucket {
  /** Entries of rules without a required literal: always evaluated for events of this bucket. */
  readonly always: Entry[];
  /** How many rules of this bucket are reached through the literal prefilter. */
  literal: number;
}

function targetKeys(t: PipelineTarget): string[] {
  if (t.sources && t.sources.length > 0) {
    return t.sources.flatMap((s) =>
      t.eventIds && t.eventIds.length > 0
        ? t.eventIds.map((id) => `e:${s.toLowerCase()}/${id}`)
        : [`s:${s.toLowerCase()}`],
    );
  }
  if (t.actionTypes && t.actionTypes.length > 0) return t.actionTypes.map((a) => `a:${t.table}/${a}`);
  return [`t:${t.table}`];
}

function eventKeys(view: EventView): string[] {
  const keys = [`t:${view.table}`];
  const at = view.event.row.ActionType;
  if (typeof at === 'string') keys.push(`a:${view.table}/${at}`);
  const src = view.source();
  if (src) {
    keys.push(`s:${src}`);
    const id = view.eventId();
    if (id) keys.push(`e:${src}/${id}`);
  }
  return keys;
}

function applies(t: PipelineTarget, view: EventView): boolean {
  if (t.table !== '*' && t.table !== view.table) return false;
  if (t.actionTypes && t.sources) {
    const at = view.event.row.ActionType;
    if (!t.actionTypes.includes(String(at))) return false;
  }
  if (t.eventIds && !t.sources) {
    const id = view.eventId();
    if (id && !t.eventIds.some((x) => String(x) === id)) return false;
  }
  if (t.platform) {
    const p = view.platform();
    if (p !== undefined && p !== t.platform) return false;
  }
  return true;
}

/**
 * Finds the rules worth evaluating on an event: by table/ActionType or source/event id buckets, then by the
 * literal prefilter (an Aho-Corasick scan of the event's values, case-folded, for each rule's required literals).
 */
export class RuleIndex {
  private readonly buckets = new Map<string, Bucket>();
  private readonly entries: Entry[][];
  private readonly literalRules: number[][] = [];
  private readonly automaton: AhoCorasick;
  private readonly stamp: Uint32Array;
  private readonly literalStamp: Uint32Array;
  private epoch = 0;

  constructor(rules: readonly CompiledRule[]) {
    this.entries = rules.map(() => []);
    this.stamp = new Uint32Array(rules.length);
    const literalIds = new Map<string, number>();
    rules.forEach((rule, i) => {
      const literals = rule.literals;
      for (const target of rule.targets) {
        for (const key of targetKeys(target)) {
          const entry = { rule: i, target, key };
          this.entries[i]!.push(entry);
          const b = this.bucket(key);
          if (literals === null) b.always.push(entry);
          else b.literal++;
        }
      }
      if (literals === null || rule.targets.length === 0) return;
      for (const lit of literals) {
        let id = literalIds.get(lit);
        if (id === undefined) {
          id = literalIds.size;
          literalIds.set(lit, id);
          this.literalRules.push([]);
        }
        this.literalRules[id]!.push(i);
      }
    });
    this.automaton = new AhoCorasick([...literalIds.keys()], { foldCase: true });
    this.literalStamp = new Uint32Array(literalIds.size);
  }

  private bucket(key: string): Bucket {
    let b = this.buckets.get(key);
    if (!b) {
      b = { always: [], literal: 0 };
      this.buckets.set(key, b);
    }
    return b;
  }

  /** The indexes of the rules that may match the event, each once. */
  candidates(view: EventView): number[] {
    const epoch = ++this.epoch;
    const out: number[] = [];
    const keys = eventKeys(view);
    let scan = false;
    for (const key of keys) {
      const b = this.buckets.get(key);
      if (!b) continue;
      if (b.literal > 0) scan = true;
      for (const e of b.always) {
        if (this.stamp[e.rule] !== epoch && applies(e.target, view)) {
          this.stamp[e.rule] = epoch;
          out.push(e.rule);
        }
      }
    }
    if (!scan) return out;
    const hit = (id: number) => {
      if (this.literalStamp[id] === epoch) return;
      this.literalStamp[id] = epoch;
      for (const r of this.literalRules[id]!) {
        if (this.stamp[r] === epoch) continue;
        // Applicability does not depend on which literal hit, so a rejected rule is settled for this event too.
        this.stamp[r] = epoch;
        if (this.entries[r]!.some((e) => keys.includes(e.key) && applies(e.target, view))) out.push(r);
      }
    };
    // Each value on its own: a literal never spans two values.
    view.eachValue((text) => this.automaton.scan(text, hit));
    return out;
  }
}

/** Whether a rule's logsource targets cover an event (what the index buckets decide, without the prefilter). */
export function ruleAppliesTo(rule: CompiledRule, view: EventView): boolean {
  const keys = eventKeys(view);
  return rule.targets.some((t) => targetKeys(t).some((k) => keys.includes(k)) && applies(t, view));
}
