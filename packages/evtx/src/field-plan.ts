// A template's fields without its tree: for the common template shape, `<Event>` holding `<System>` and
// `<EventData>` whose elements each hold a single value, the template is turned once into a flat list of what each
// System field and EventData entry is made of. A record of that template then renders just those values, in the
// same document order as the tree would (so the same value fails first), and builds no element objects.
import type { TAttr, TElement, TNode } from './binxml-compile.js';
import type { EvtxSystem } from './evtx-types.js';

/** Literal text, or the index of the substitution value that gives the text. */
export type TextSource = string | number;

/** An attribute made of literal text and substitutions, concatenated (a null value adds nothing). */
export interface PlannedAttr {
  readonly name: string;
  readonly parts: readonly TextSource[];
}

/** One child of `<System>`: its name, its attributes and its text. */
export interface SystemStep {
  readonly name: string;
  readonly attrs: readonly PlannedAttr[];
  /** The attribute names, in order (a later one of the same name wins, as in the tree). */
  readonly attrNames: readonly string[];
  readonly text: TextSource;
}

/** How the fields of every record of one template are read. */
export interface FieldPlan {
  /** `Event`: a whole event; `EventData`: the EventData an event holds as a BinXML value. */
  readonly root: 'Event' | 'EventData';
  readonly system: readonly SystemStep[] | undefined;
  /** EventData keys (as readEventData names them) and where each value comes from; undefined without EventData. */
  readonly dataKeys: readonly string[] | undefined;
  readonly dataValues: readonly TextSource[];
  /** An object of the EventData keys in order, to copy for each record, when no key repeats; else undefined. */
  readonly dataShape: Readonly<Record<string, string>> | undefined;
  /** The value that holds the event's EventData as BinXML (Windows' usual layout), if any. */
  readonly dataSub: number | undefined;
  /** Every substitution index the plan reads, to check the record's value types up front. */
  readonly slots: readonly number[];
}

const NO_ATTRIBUTES: Readonly<Record<string, string>> = Object.freeze({});

/** The text of an element that holds nothing, one literal text or one substitution; undefined for anything else. */
function textSource(el: TElement): TextSource | undefined {
  if (el.children.length === 0) return '';
  if (el.children.length !== 1) return undefined;
  const only = el.children[0] as TNode;
  if (typeof only === 'string') return only;
  return only.kind === 'sub' ? only.index : undefined;
}

function plannedAttrs(attrs: readonly TAttr[]): PlannedAttr[] {
  return attrs.map((a) => ({ name: a.name, parts: a.parts.map((p) => (typeof p === 'string' ? p : p.index)) }));
}

/** The attributes when all of them are literal text (always present then), else undefined. */
function fixedAttrs(attrs: readonly PlannedAttr[]): Readonly<Record<string, string>> | undefined {
  if (attrs.length === 0) return NO_ATTRIBUTES;
  if (attrs.some((a) => a.parts.some((p) => typeof p !== 'string') || a.name === '__proto__')) return undefined;
  const out: Record<string, string> = {};
  for (const a of attrs) out[a.name] = a.parts.join('');
  return Object.freeze(out);
}

function systemSteps(system: TElement, slots: number[]): SystemStep[] | undefined {
  const steps: SystemStep[] = [];
  if (system.attrs.length > 0) return undefined;
  for (const child of system.children) {
    if (typeof child === 'string' || child.kind !== 'element') return undefined;
    const text = textSource(child);
    if (text === undefined) return undefined;
    const attrs = plannedAttrs(child.attrs);
    for (const a of attrs) for (const p of a.parts) if (typeof p === 'number') slots.push(p);
    if (typeof text === 'number') slots.push(text);
    steps.push({ name: child.name, attrs, attrNames: attrs.map((a) => a.name), text });
  }
  return steps;
}

function eventDataSteps(eventData: TElement, keys: string[], values: TextSource[], slots: number[]): boolean {
  if (eventData.attrs.length > 0) return false;
  for (const child of eventData.children) {
    if (typeof child === 'string' || child.kind !== 'element') return false;
    const text = textSource(child);
    const attrs = fixedAttrs(plannedAttrs(child.attrs));
    if (text === undefined || attrs === undefined) return false;
    keys.push(child.name === 'Data' ? (attrs.Name ?? 'Data') : child.name);
    values.push(text);
    if (typeof text === 'number') slots.push(text);
  }
  return true;
}

/**
 * The plan of a template, or null when its shape needs the tree. Planned shapes: one `<Event>` with literal
 * attributes holding at most one `<System>` and either one `<EventData>` or one substitution (the EventData as a
 * BinXML value), all of single-value elements; or one `<EventData>` alone (the template of such a BinXML value).
 */
export function fieldPlan(template: readonly TNode[]): FieldPlan | null {
  const root = template[0];
  if (template.length !== 1 || typeof root === 'string' || root?.kind !== 'element') return null;
  const slots: number[] = [];
  if (root.name === 'EventData') {
    const dataKeys: string[] = [];
    const dataValues: TextSource[] = [];
    if (!eventDataSteps(root, dataKeys, dataValues, slots)) return null;
    const dataShape = shapeOf(dataKeys);
    return { root: 'EventData', system: undefined, dataKeys, dataValues, dataShape, dataSub: undefined, slots };
  }
  if (root.name !== 'Event' || fixedAttrs(plannedAttrs(root.attrs)) === undefined) return null;
  let system: SystemStep[] | undefined;
  let dataKeys: string[] | undefined;
  let dataSub: number | undefined;
  const dataValues: TextSource[] = [];
  for (const part of root.children) {
    if (typeof part === 'string') return null;
    if (part.kind === 'sub') {
      if (dataKeys !== undefined || dataSub !== undefined) return null;
      dataSub = part.index;
    } else if (part.name === 'System' && system === undefined && dataKeys === undefined && dataSub === undefined) {
      // System first: the plan renders System's values before EventData's, as the tree does in this order.
      system = systemSteps(part, slots);
      if (system === undefined) return null;
    } else if (part.name === 'EventData' && dataKeys === undefined && dataSub === undefined) {
      dataKeys = [];
      if (!eventDataSteps(part, dataKeys, dataValues, slots)) return null;
    } else {
      return null;
    }
  }
  const dataShape = dataKeys === undefined ? undefined : shapeOf(dataKeys);
  return { root: 'Event', system, dataKeys, dataValues, dataShape, dataSub, slots };
}

/** An object of the keys in order (values ''), when every key is distinct and a plain property name. */
function shapeOf(keys: readonly string[]): Readonly<Record<string, string>> | undefined {
  if (keys.includes('__proto__')) return undefined;
  const shape: Record<string, string> = {};
  for (const k of keys) shape[k] = '';
  // A repeated key collapses into one property.
  return Object.keys(shape).length === keys.length ? shape : undefined;
}

function num(s: string | undefined): number | null {
  if (s === undefined || s === '') return null;
  const n = Number(s);
  return Number.isNaN(n) ? null : n;
}

/** Text or attribute value; absent and empty both give null (an empty `<Channel/>` names no channel). */
function str(s: string | undefined): string | null {
  return s === undefined || s === '' ? null : s;
}

/** An attribute of the element being read, by name (undefined when it has none of that name). */
export type AttrOf = (name: string) => string | undefined;

/** Sets the System field an element stands for (a later element of the same name wins, as in the tree). */
export function setSystemField(s: EvtxSystem, name: string, text: string, a: AttrOf): void {
  switch (name) {
    case 'Provider':
      s.provider = str(a('Name'));
      s.providerGuid = str(a('Guid'));
      s.eventSourceName = str(a('EventSourceName'));
      break;
    case 'EventID':
      s.eventId = num(text);
      s.qualifiers = num(a('Qualifiers'));
      break;
    case 'Version':
      s.version = num(text);
      break;
    case 'Level':
      s.level = num(text);
      break;
    case 'Task':
      s.task = num(text);
      break;
    case 'Opcode':
      s.opcode = num(text);
      break;
    case 'Keywords':
      s.keywords = str(text);
      break;
    case 'TimeCreated':
      s.timeCreated = str(a('SystemTime'));
      break;
    case 'EventRecordID':
      s.eventRecordId = num(text);
      break;
    case 'Correlation':
      s.activityId = str(a('ActivityID'));
      s.relatedActivityId = str(a('RelatedActivityID'));
      break;
    case 'Execution':
      s.processId = num(a('ProcessID'));
      s.threadId = num(a('ThreadID'));
      break;
    case 'Channel':
      s.channel = str(text);
      break;
    case 'Computer':
      s.computer = str(text);
      break;
    case 'Security':
      s.userId = str(a('UserID'));
      break;
  }
}
