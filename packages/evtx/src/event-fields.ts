// The fields an importer needs, read off the rendered event tree: System, EventData and UserData.
import type { EvtxPlain, EvtxSystem, XmlElement } from './evtx-types.js';
import { setSystemField } from './field-plan.js';
import { setOwn, textOf } from './xml-node.js';

/** A System with every field null. */
export function emptySystem(): EvtxSystem {
  return {
    provider: null,
    providerGuid: null,
    eventSourceName: null,
    eventId: null,
    qualifiers: null,
    version: null,
    level: null,
    task: null,
    opcode: null,
    keywords: null,
    timeCreated: null,
    eventRecordId: null,
    activityId: null,
    relatedActivityId: null,
    processId: null,
    threadId: null,
    channel: null,
    computer: null,
    userId: null,
  };
}

/** Reads `<System>`; fields the event lacks stay null. */
export function readSystem(system: XmlElement | undefined): EvtxSystem {
  const s = emptySystem();
  if (system === undefined) return s;
  for (const child of system.children) {
    if (typeof child === 'string') continue;
    attributes = child.attributes;
    setSystemField(s, child.name, textOf(child), attributeOf);
  }
  return s;
}

/** The attributes of the System element being read. */
let attributes: Readonly<Record<string, string>> = {};

function attributeOf(name: string): string | undefined {
  return Object.hasOwn(attributes, name) ? attributes[name] : undefined;
}

/** A key set seen before, with an object of those keys to copy: one allocation instead of a growing object. */
interface Shape {
  keys: string[];
  proto: Record<string, string>;
}

const SHAPES = 32;
const shapes: Shape[] = [];
let nextShape = 0;
const keys: string[] = [];
const values: string[] = [];

function findShape(n: number): Shape | undefined {
  for (const shape of shapes) {
    if (shape.keys.length !== n) continue;
    let i = 0;
    while (i < n && shape.keys[i] === keys[i]) i++;
    if (i === n) return shape;
  }
  return undefined;
}

/**
 * Flattens `<EventData>`: named Data by name, unnamed Data as `Data`, other elements (`Binary`) by element name;
 * a repeated key collects an array.
 */
export function readEventData(eventData: XmlElement): Record<string, string | string[]> {
  let n = 0;
  for (const child of eventData.children) {
    if (typeof child === 'string') continue;
    keys[n] = child.name === 'Data' ? (child.attributes.Name ?? 'Data') : child.name;
    values[n++] = textOf(child);
  }
  return flatten(n);
}

/** EventData from its keys and values in document order, flattened as `readEventData` does. */
export function eventDataOf(names: readonly string[], texts: readonly string[]): Record<string, string | string[]> {
  const n = names.length;
  for (let i = 0; i < n; i++) {
    keys[i] = names[i] as string;
    values[i] = texts[i] as string;
  }
  return flatten(n);
}

function flatten(n: number): Record<string, string | string[]> {
  const shape = findShape(n);
  if (shape !== undefined) {
    const out: Record<string, string> = { ...shape.proto };
    for (let i = 0; i < n; i++) out[keys[i] as string] = values[i] as string;
    return out;
  }
  return slowEventData(n);
}

/** Groups repeated keys into arrays; remembers the key set when every key is distinct. */
function slowEventData(n: number): Record<string, string | string[]> {
  const groups = new Map<string, string | string[]>();
  for (let i = 0; i < n; i++) {
    const key = keys[i] as string;
    const value = values[i] as string;
    const prev = groups.get(key);
    if (prev === undefined) groups.set(key, value);
    else if (typeof prev === 'string') groups.set(key, [prev, value]);
    else prev.push(value);
  }
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of groups) setOwn(out, key, value);
  if (groups.size === n && !groups.has('__proto__')) {
    const proto: Record<string, string> = {};
    for (let i = 0; i < n; i++) proto[keys[i] as string] = '';
    shapes[nextShape] = { keys: keys.slice(0, n), proto };
    nextShape = (nextShape + 1) % SHAPES;
  }
  return out;
}

/** The first element under `<UserData>`, keyed by its name, in evtx_dump's JSON layout. */
export function readUserData(userData: XmlElement): Record<string, EvtxPlain> | undefined {
  for (const child of userData.children) {
    if (typeof child !== 'string') return { [child.name]: toPlain(child) };
  }
  return undefined;
}

/**
 * evtx_dump's layout: an element with only text is its text; otherwise an object with `#attributes`, `#text` and
 * one key per child element, a repeated name getting `_1`, `_2`... suffixes.
 */
export function toPlain(el: XmlElement): EvtxPlain {
  const attrs = Object.keys(el.attributes).length > 0;
  const elements = el.children.some((c) => typeof c !== 'string');
  if (!attrs && !elements) return textOf(el);
  const out: { [key: string]: EvtxPlain } = {};
  if (attrs) out['#attributes'] = { ...el.attributes };
  let text = '';
  for (const c of el.children) if (typeof c === 'string') text += c;
  if (text !== '') out['#text'] = text;
  const seen = new Map<string, number>();
  for (const c of el.children) {
    if (typeof c === 'string') continue;
    const n = seen.get(c.name) ?? 0;
    seen.set(c.name, n + 1);
    setOwn(out, n === 0 ? c.name : `${c.name}_${n}`, toPlain(c));
  }
  return out;
}
