import { AhoCorasick } from './aho-corasick.js';
import type { CompiledRule } from './compile-rule.js';
import type { EventPlatform } from './detection-event.js';
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
  /** Each literal id's text. */
  private readonly literals: string[] = [];
  /** The automaton finds each literal as written and as JSON spells it inside a string (once and twice). */
  private readonly automaton: AhoCorasick;
  /** The literal ids of each of the automaton's forms (one text may be several literals' forms). */
  private readonly literalsOfForm: number[][];
  /** Per table, by source and platform (see mayMatchLine), the line plans: null when its rows must be parsed. */
  private readonly linePlans = new Map<string, (LinePlan | null)[]>();
  private readonly finders = new Map<string, RegExp | undefined>();
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
          this.literals.push(lit);
        }
        this.literalRules[id]!.push(i);
      }
    });
    const forms = new Map<string, number[]>();
    this.literals.forEach((lit, id) => {
      for (const form of jsonForms(lit)) forms.set(form, [...(forms.get(form) ?? []), id]);
    });
    this.automaton = new AhoCorasick([...forms.keys()], { foldCase: true });
    this.literalsOfForm = [...forms.values()];
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
    const hit = (form: number) => {
      for (const id of this.literalsOfForm[form]!) literal(id);
    };
    const literal = (id: number) => {
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

  /**
   * False when no rule can match the row of an NDJSON line, decided without parsing it: the line's text is scanned
   * for the literals of the rules that may apply to the table. Sound only where the text holds each value as JSON
   * spells it: true (parse and evaluate) when the table's rows must always be evaluated (a rule without a literal,
   * or a literal a number could hold), when the line has escapes other than \\ and \" (a value's text then
   * differs from its spelling), and for registry columns (rules may read values computed from them).
   */
  mayMatchLine(table: string, line: string): boolean {
    // Source and event id buckets apply only to events with a source: a Source column or an original channel.
    // Original fields (and so a channel) come only from AdditionalFields or Fields.
    const fields = line.includes('Fields"');
    const sourced = line.includes('"Source"') || (fields && channelKey.test(line));
    const plan = this.plan(table, sourced, sourced ? undefined : linePlatform(line));
    if (plan === null || !plainEscapes(line, fields) || line.includes('Registry')) return true;
    // V8's compiled regex is several times faster than a scan in JavaScript. Its case folding never maps a
    // non-ASCII character to an ASCII one (the forms are ASCII), which toLowerCase does only for İ and the Kelvin K:
    // the regex matches those too, so such lines are parsed.
    if (plan.regex) return plan.regex.test(line);
    let found = false;
    this.automaton.scan(line, (form) => {
      for (const id of this.literalsOfForm[form]!) if (plan.literals[id] === 1) found = true;
    });
    return found;
  }

  private plan(table: string, sourced: boolean, platform: EventPlatform | undefined): LinePlan | null {
    let plans = this.linePlans.get(table);
    if (plans === undefined) {
      plans = [];
      this.linePlans.set(table, plans);
    }
    const slot = (sourced ? 3 : 0) + (platform === undefined ? 0 : platform === 'linux' ? 1 : 2);
    let plan = plans[slot];
    if (plan === undefined) {
      plan = this.linePlan(table, sourced, platform);
      plans[slot] = plan;
    }
    return plan;
  }

  /**
   * A global regex that finds, in a table's whole NDJSON, every line `mayMatchLine` could keep: a literal of a rule
   * that may apply to the table on any platform, or what sends a line to the careful path (a Source key,
   * AdditionalFields or Fields, registry columns, escapes other than \\ and \", İ or the Kelvin sign). Lines it
   * does not touch can be skipped; undefined when every line must be looked at. The NDJSON may be given as text or
   * as its UTF-8 bytes read as Latin-1 (one character per byte, a cheap decode): the literals are ASCII, which
   * UTF-8 keeps as they are, and İ and the Kelvin sign are found by their UTF-8 bytes too.
   */
  lineFinder(table: string): RegExp | undefined {
    if (this.finders.has(table)) return this.finders.get(table);
    const plan = this.plan(table, false, undefined);
    const careful = ['"Source"', 'Fields"', 'Registry', ODD_ESCAPE, ASCII_FOLDING_UTF8];
    const finder = plan?.regex ? new RegExp([plan.regex.source, ...careful].join('|'), 'gi') : undefined;
    this.finders.set(table, finder);
    return finder;
  }

  private linePlan(table: string, sourced: boolean, platform: EventPlatform | undefined): LinePlan | null {
    const reachable = (e: Entry) =>
      (e.key === `t:${table}` ||
        e.key.startsWith(`a:${table}/`) ||
        (sourced && (e.key.startsWith('s:') || e.key.startsWith('e:')))) &&
      (platform === undefined || e.target.platform === undefined || e.target.platform === platform);
    const rules = new Set<number>();
    for (const b of this.buckets.values()) if (b.always.some(reachable)) return null;
    this.entries.forEach((entries, rule) => {
      if (entries.some(reachable)) rules.add(rule);
    });
    const plan = new Uint8Array(this.literals.length);
    for (let id = 0; id < this.literals.length; id++) {
      if (!this.literalRules[id]!.some((r) => rules.has(r))) continue;
      // A number's text (String(n)) may differ from its JSON spelling (1e3, 1.50).
      if (/^[-+.0-9e]*$/.test(this.literals[id]!)) return null;
      plan[id] = 1;
    }
    const forms = new Set<string>();
    plan.forEach((on, id) => {
      if (on === 1) for (const f of jsonForms(this.literals[id]!)) forms.add(f);
    });
    // A form that holds another is found whenever that one is (the regex only tells whether any is there). Pairwise,
    // so only for sets that may come down to a regex's size.
    if (forms.size <= 4 * REGEX_MAX_FORMS) {
      const folded = [...forms].map((f) => f.toLowerCase());
      for (const f of forms) {
        const lower = f.toLowerCase();
        if (folded.some((g) => g !== lower && lower.includes(g))) forms.delete(f);
      }
    }
    const ascii = [...forms].every((f) => !nonAscii.test(f));
    // No literal at all (no rule for the table): a regex that matches nothing.
    const regex =
      forms.size === 0
        ? /(?!)/
        : ascii && forms.size <= REGEX_MAX_FORMS
          ? new RegExp(
              [...[...forms].map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), ASCII_FOLDING].join('|'),
              'i',
            )
          : undefined;
    return { literals: plan, ...(regex ? { regex } : {}) };
  }
}

/** A backslash that escapes something other than a backslash or a quote (the end of an odd run). */
const ODD_ESCAPE = String.raw`(?<!\\)(?:\\\\)*\\[^\\"]`;

/** A channel among the original fields (any case, maybe in AdditionalFields as JSON text). */
const channelKey = /channel\\?"\s*:/i;

/**
 * The platform EventView.platform infers from a line without a source (FolderPath, else InitiatingProcessFolderPath),
 * or undefined when the line does not tell it plainly (the column empty, or named more than once).
 */
function linePlatform(line: string): EventPlatform | undefined {
  for (const key of ['"FolderPath"', '"InitiatingProcessFolderPath"']) {
    const at = line.indexOf(key);
    if (at < 0) continue;
    if (line.indexOf(key, at + key.length) >= 0) return undefined;
    let i = at + key.length;
    while (isBlank(line.charCodeAt(i))) i++;
    if (line.charCodeAt(i++) !== 0x3a) return undefined;
    while (isBlank(line.charCodeAt(i))) i++;
    if (line.startsWith('null', i)) continue;
    if (line.charCodeAt(i) !== 0x22) return undefined;
    const first = line.charCodeAt(i + 1);
    if (first === 0x22 || Number.isNaN(first)) return undefined;
    return first === 0x2f ? 'linux' : 'windows';
  }
  return undefined;
}

function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** What `mayMatchLine` does with the lines of one table (and platform, and with or without a source). */
interface LinePlan {
  /** Per literal id, 1 when a rule that may apply to the line has it. */
  readonly literals: Uint8Array;
  /** The literals' JSON forms as one case-insensitive regex, when they are few and ASCII. */
  readonly regex?: RegExp;
}

/** Above this many forms a plan scans with the automaton instead of a regex. */
const REGEX_MAX_FORMS = 500;
const nonAscii = /[\u0080-\uffff]/;
/** The characters whose toLowerCase holds ASCII letters (İ → i̇, K (Kelvin) → k), as a regex alternative. */
const ASCII_FOLDING = '[\\u0130\\u212a]';
/**
 * İ and the Kelvin sign as their UTF-8 bytes read as Latin-1 characters (C4 B0, E2 84 AA). Written to start at a
 * byte without case (° for İ; 84 AA stands for the Kelvin sign and a few rare others): starting at C4 or E2 would
 * also start, case-insensitively, at E4 and C2, the lead byte of common characters such as ®, and halve the
 * regex's speed.
 */
const ASCII_FOLDING_UTF8 = '\\xb0(?<=\\xc4\\xb0)|\\x84\\xaa';

/** A literal as written, and as JSON spells it inside a string once and twice. */
function jsonForms(literal: string): Set<string> {
  const once = jsonEscape(literal);
  return new Set([literal, once, jsonEscape(once)]);
}

/** A text as JSON writes it inside a string, for the escapes `mayMatchLine` accepts (\\ and \"). */
function jsonEscape(s: string): string {
  return s.replaceAll('\\', '\\\\').replaceAll('"', '\\"');
}

/**
 * Whether a JSON line spells each string value's text with only \\ and \" escapes, so that a literal occurs in the
 * value exactly when its `jsonEscape` form occurs in the line. When AdditionalFields or Fields is a string (JSON the
 * evaluator parses again), the same must hold one level down: a run of backslashes is then a whole number of
 * escaped \\ pairs (a multiple of four) or ends in a quote.
 */
function plainEscapes(line: string, fields: boolean): boolean {
  const nested = fields && /"(Additional)?Fields"\s*:\s*"/.test(line);
  for (let i = line.indexOf('\\'); i >= 0; ) {
    let end = i;
    while (line.charCodeAt(end) === 0x5c) end++;
    const run = end - i;
    if (run % 2 === 1 ? line.charCodeAt(end) !== 0x22 : nested && run % 4 !== 0) return false;
    i = line.indexOf('\\', end);
  }
  return true;
}

/** Whether a rule's logsource targets cover an event (what the index buckets decide, without the prefilter). */
export function ruleAppliesTo(rule: CompiledRule, view: EventView): boolean {
  const keys = eventKeys(view);
  return rule.targets.some((t) => targetKeys(t).some((k) => keys.includes(k)) && applies(t, view));
}
