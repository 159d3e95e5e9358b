// Renders record BinXML into XmlElement trees: reads template instances (definition offset + typed substitution
// values), compiles each template definition once per chunk, and fills its slots with the record's values.
import { BinXmlCursor, pushText, type TElement, type TNode, type TSub } from './binxml-compile.js';
import { BinXmlError } from './binxml-error.js';
import { u16, u32 } from './bytes.js';
import type { EvtxSystem, XmlElement, XmlNode } from './evtx-types.js';
import { type FieldPlan, fieldPlan } from './field-plan.js';
import { plannedEventData, plannedSystem } from './planned-fields.js';
import { arrayItems, arrayLength, renderValue } from './render-value.js';
import { setOwn, textOf } from './xml-node.js';

/** Nested BinXML values (type 0x21) inside nested BinXML...: real events go two levels deep. */
const MAX_NESTING = 16;
const NO_OVERRIDE = -1;
/**
 * Elements one record may expand to. Real events have tens; without a cap, a crafted record (a large template
 * instanced thousands of times, nested array repetition) could build millions.
 */
const MAX_ELEMENTS = 50_000;
/** Shared by every element without attributes (most of them): one allocation less per element. Read-only. */
const NO_ATTRIBUTES: Record<string, string> = Object.freeze({}) as Record<string, string>;

/** The substitution values of one template instance: offset, size and type of each, in a reused Int32Array. */
interface Values {
  count: number;
  /** `[offset, size, type]` per value. */
  table: Int32Array;
}

/** The values of elements written directly, outside any template. */
const NO_VALUES: Values = { count: 0, table: new Int32Array(0) };

/** The fields a record yields besides its header values, read without its tree. */
export interface RecordFields {
  readonly system: EvtxSystem;
  readonly eventData?: Record<string, string | string[]>;
}

/** Decodes the records of one chunk; holds the chunk's name and template caches. */
export class ChunkDecoder {
  private readonly cur: BinXmlCursor;
  private readonly b: Uint8Array;
  private readonly templates = new Map<number, TNode[] | BinXmlError>();
  private readonly plans = new Map<number, FieldPlan | null>();
  /** The values a field plan reads, and one function reading them (made once, not per record). */
  private planValues: Values = NO_VALUES;
  private planDepth = 0;
  private readonly planValue = (i: number): string | null => this.valueText(i, this.planValues, this.planDepth);
  /** One values table per nesting depth, grown as needed and reused across records. */
  private readonly tables: Int32Array[] = [];
  /** While an element is repeated for an array value: which value, and the item rendered in its place. */
  private overrideIndex = NO_OVERRIDE;
  private overrideItem = '';
  /** Elements the current record may still build. */
  private budget = 0;

  constructor(chunk: Uint8Array) {
    this.b = chunk;
    this.cur = new BinXmlCursor(chunk, new Map());
  }

  /** Renders the BinXML fragment at chunk offsets `[start, end)` (a record's event). */
  render(start: number, end: number): XmlNode[] {
    this.cur.pos = start;
    this.cur.end = end;
    this.overrideIndex = NO_OVERRIDE;
    this.budget = MAX_ELEMENTS;
    return this.fragment(0);
  }

  private fragment(depth: number): XmlNode[] {
    if (depth > MAX_NESTING) throw new BinXmlError('BinXML values nest too deeply', this.cur.pos);
    const cur = this.cur;
    const out: XmlNode[] = [];
    while (cur.pos < cur.end) {
      const t = this.b[cur.pos] as number;
      if (t === 0x0f) {
        cur.need(4);
        cur.pos += 4;
      } else if (t === 0x0c) {
        this.instance(depth, out);
      } else if ((t & 0xbf) === 0x01) {
        this.appendNode(cur.element(0, cur.hasDependencyId()), NO_VALUES, depth, out);
      } else if (t === 0x00) {
        cur.pos++;
        break;
      } else {
        throw new BinXmlError(`unexpected token 0x${t.toString(16)} in a fragment`, cur.pos);
      }
    }
    return out;
  }

  /** TemplateInstance: token, u8, template id u32, definition offset u32, [inline definition], values. */
  private instance(depth: number, out: XmlNode[]): void {
    const cur = this.cur;
    const { values, defOffset } = this.instanceValues(depth);
    const p = cur.pos;
    const template = this.template(defOffset);
    const savedEnd = cur.end;
    for (const node of template) this.appendNode(node, values, depth, out);
    cur.pos = p;
    cur.end = savedEnd;
  }

  /** Reads a template instance up to the end of its values (where the cursor is left); the values are indexed. */
  private instanceValues(depth: number): { values: Values; defOffset: number } {
    const cur = this.cur;
    const b = this.b;
    cur.need(10);
    const defOffset = u32(b, cur.pos + 6);
    cur.pos += 10;
    if (defOffset === cur.pos) {
      cur.need(24);
      cur.pos += 24 + u32(b, cur.pos + 20);
      if (cur.pos > cur.end) throw new BinXmlError('inline template definition runs past the record', defOffset);
    }
    cur.need(4);
    const count = u32(b, cur.pos);
    cur.pos += 4;
    if (count > (cur.end - cur.pos) / 4) throw new BinXmlError(`${count} substitution values cannot fit`, cur.pos - 4);
    const values = this.valuesTable(depth, count);
    const table = values.table;
    let p = cur.pos + 4 * count;
    for (let i = 0; i < count; i++) {
      const size = u16(b, cur.pos + 4 * i);
      table[3 * i] = p;
      table[3 * i + 1] = size;
      table[3 * i + 2] = b[cur.pos + 4 * i + 2] as number;
      p += size;
    }
    if (p > cur.end) throw new BinXmlError('substitution values run past the record', cur.pos);
    cur.pos = p;
    return { values, defOffset };
  }

  /**
   * The fields of the record at `[start, end)` read through its template's field plan, without building its tree;
   * undefined when the record needs the tree (another shape, array values), which `render` then builds. Errors are
   * the ones `render` would throw first: the same bytes are read and the same values rendered, in the same order.
   */
  fields(start: number, end: number): RecordFields | undefined {
    this.overrideIndex = NO_OVERRIDE;
    const top = this.plannedInstance(start, end, 0, 'Event');
    if (top === undefined) return undefined;
    const { plan, values } = top;
    this.planValues = values;
    this.planDepth = 0;
    const system = plannedSystem(plan, this.planValue);
    let data = plannedEventData(plan, this.planValue);
    const sub = plan.dataSub;
    if (sub !== undefined && sub < values.count) {
      const t = values.table;
      const [off, size, type] = [t[3 * sub] as number, t[3 * sub + 1] as number, t[3 * sub + 2] as number];
      if (type === 0x21 && size > 0) {
        const inner = this.plannedInstance(off, off + size, 1, 'EventData');
        if (inner === undefined) return undefined;
        this.planValues = inner.values;
        this.planDepth = 1;
        data = plannedEventData(inner.plan, this.planValue);
      } else if (type !== 0 && size > 0) {
        return undefined;
      }
    }
    return data === undefined ? { system } : { system, eventData: data };
  }

  /**
   * The one template instance of the fragment at `[start, end)` and its plan, when the plan has the given root and
   * none of the values it reads is an array or BinXML; undefined otherwise.
   */
  private plannedInstance(
    start: number,
    end: number,
    depth: number,
    root: FieldPlan['root'],
  ): { plan: FieldPlan; values: Values } | undefined {
    const cur = this.cur;
    const b = this.b;
    cur.pos = start;
    cur.end = end;
    while (cur.pos < cur.end && b[cur.pos] === 0x0f) {
      cur.need(4);
      cur.pos += 4;
    }
    if (cur.pos >= cur.end || b[cur.pos] !== 0x0c) return undefined;
    const { values, defOffset } = this.instanceValues(depth);
    if (cur.pos < cur.end && b[cur.pos] !== 0x00) return undefined;
    const plan = this.planOf(defOffset);
    if (plan === null || plan.root !== root) return undefined;
    const t = values.table;
    for (const i of plan.slots) {
      if (i < values.count && ((t[3 * i + 2] as number) === 0x21 || (t[3 * i + 2] as number) & 0x80)) return undefined;
    }
    return { plan, values };
  }

  private planOf(defOffset: number): FieldPlan | null {
    let plan = this.plans.get(defOffset);
    if (plan === undefined) {
      plan = fieldPlan(this.template(defOffset));
      this.plans.set(defOffset, plan);
    }
    return plan;
  }

  private valuesTable(depth: number, count: number): Values {
    let table = this.tables[depth];
    if (table === undefined || table.length < 3 * count) {
      table = new Int32Array(Math.max(3 * count, 96));
      this.tables[depth] = table;
    }
    return { count, table };
  }

  /** The compiled template at chunk offset `off` (next u32, GUID, data size u32, fragment), cached per chunk. */
  private template(off: number): TNode[] {
    const cached = this.templates.get(off);
    if (cached instanceof BinXmlError) throw cached;
    if (cached !== undefined) return cached;
    const cur = this.cur;
    const saved = [cur.pos, cur.end];
    try {
      if (off + 24 > this.b.length) throw new BinXmlError(`template offset ${off} is outside the chunk`, off);
      cur.pos = off + 24;
      cur.end = cur.pos + u32(this.b, off + 20);
      if (cur.end > this.b.length) throw new BinXmlError('template definition runs past the chunk', off);
      const nodes = cur.fragment();
      this.templates.set(off, nodes);
      return nodes;
    } catch (e) {
      const error = e instanceof BinXmlError ? e : new BinXmlError(String(e), off);
      this.templates.set(off, error);
      throw error;
    } finally {
      cur.pos = saved[0] as number;
      cur.end = saved[1] as number;
    }
  }

  private appendNode(node: TNode, v: Values, depth: number, out: XmlNode[]): void {
    if (typeof node === 'string') pushText(out, node);
    else if (node.kind === 'sub') this.appendSub(node, v, depth, out);
    else if (node.slots.length === 0 || !this.expandArray(node, v, depth, out)) out.push(this.build(node, v, depth));
  }

  private build(el: TElement, v: Values, depth: number): XmlElement {
    if (--this.budget < 0) throw new BinXmlError(`record expands to more than ${MAX_ELEMENTS} elements`, this.cur.pos);
    const attributes: Record<string, string> = el.attrs.length === 0 ? NO_ATTRIBUTES : {};
    for (const attr of el.attrs) {
      let text = '';
      let present = attr.parts.length === 0;
      for (const part of attr.parts) {
        if (typeof part === 'string') {
          text += part;
          present = true;
          continue;
        }
        const s = this.subText(part, v, depth);
        if (s !== null) text += s;
        // Windows drops an attribute whose optional substitutions are all null (an absent Correlation/@ActivityID).
        if (s !== null || !part.optional) present = true;
      }
      if (present) setOwn(attributes, attr.name, text);
    }
    return { name: el.name, attributes, children: this.children(el.children, v, depth) };
  }

  /** An element's children. Most elements hold one value: that array is made at its exact size of 0 or 1. */
  private children(kids: TNode[], v: Values, depth: number): XmlNode[] {
    if (kids.length === 1) {
      const only = kids[0] as TNode;
      if (typeof only === 'string') return [only];
      if (only.kind === 'sub') {
        const i = only.index;
        const type = i < v.count && i !== this.overrideIndex ? (v.table[3 * i + 2] as number) : 0;
        if (type !== 0x21) {
          const s = this.subText(only, v, depth);
          return s === null || s === '' ? [] : [s];
        }
      }
    } else if (kids.length === 0) {
      return [];
    }
    const out: XmlNode[] = [];
    for (const child of kids) this.appendNode(child, v, depth, out);
    return out;
  }

  /**
   * MS-EVEN6 array values: the element holding an array substitution is repeated once per item. Returns false when
   * no slot of the element holds an array of two or more items.
   */
  private expandArray(el: TElement, v: Values, depth: number, out: XmlNode[]): boolean {
    const t = v.table;
    for (const index of el.slots) {
      if (index >= v.count || index === this.overrideIndex || !((t[3 * index + 2] as number) & 0x80)) continue;
      const off = t[3 * index] as number;
      const size = t[3 * index + 1] as number;
      const type = t[3 * index + 2] as number;
      if (arrayLength(this.b, type, off, size) < 2) continue;
      const savedIndex = this.overrideIndex;
      const savedItem = this.overrideItem;
      for (const item of arrayItems(this.b, type, off, size)) {
        this.overrideIndex = index;
        this.overrideItem = item;
        out.push(this.build(el, v, depth));
      }
      this.overrideIndex = savedIndex;
      this.overrideItem = savedItem;
      return true;
    }
    return false;
  }

  private appendSub(sub: TSub, v: Values, depth: number, out: XmlNode[]): void {
    const i = sub.index;
    if (i >= v.count) return;
    if (i === this.overrideIndex) {
      pushText(out, this.overrideItem);
      return;
    }
    const t = v.table;
    const type = t[3 * i + 2] as number;
    const size = t[3 * i + 1] as number;
    if (type === 0 || size === 0) return;
    if (type === 0x21) {
      for (const node of this.nested(t[3 * i] as number, size, depth)) {
        if (typeof node === 'string') pushText(out, node);
        else out.push(node);
      }
      return;
    }
    pushText(out, renderValue(this.b, type, t[3 * i] as number, size));
  }

  /** The text a substitution contributes to an attribute, or null for a null value. */
  private subText(sub: TSub, v: Values, depth: number): string | null {
    return this.valueText(sub.index, v, depth);
  }

  /** The text of substitution value `i`, or null for a null or missing value. */
  private valueText(i: number, v: Values, depth: number): string | null {
    if (i >= v.count) return null;
    if (i === this.overrideIndex) return this.overrideItem;
    const t = v.table;
    const type = t[3 * i + 2] as number;
    const size = t[3 * i + 1] as number;
    if (type === 0 || size === 0) return null;
    if (type === 0x21)
      return this.nested(t[3 * i] as number, size, depth)
        .map(textOf)
        .join('');
    return renderValue(this.b, type, t[3 * i] as number, size);
  }

  /** A BinXML value (type 0x21): a fragment of its own, rendered in place. */
  private nested(off: number, size: number, depth: number): XmlNode[] {
    const cur = this.cur;
    const pos = cur.pos;
    const end = cur.end;
    const oi = this.overrideIndex;
    const oitem = this.overrideItem;
    cur.pos = off;
    cur.end = off + size;
    this.overrideIndex = NO_OVERRIDE;
    try {
      return this.fragment(depth + 1);
    } finally {
      cur.pos = pos;
      cur.end = end;
      this.overrideIndex = oi;
      this.overrideItem = oitem;
    }
  }
}
