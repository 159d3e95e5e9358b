// BinXML tokens (MS-EVEN6 §2.2.12) compiled into a small tree: elements with decoded names, literal text, and
// substitution slots. A template definition is compiled once per chunk and then instantiated for every record that
// uses it, so the token stream of a template is walked once, not once per record.

import { BinXmlError } from './binxml-error.js';
import { u16, u32, utf16Text } from './bytes.js';
import { fixedSize, renderValue } from './render-value.js';

/** An element of a compiled template. `slots` lists the substitutions directly inside it (attributes or text). */
export interface TElement {
  kind: 'element';
  name: string;
  attrs: TAttr[];
  children: TNode[];
  slots: number[];
}

/** An attribute: its value is literal text and substitutions, concatenated. */
export interface TAttr {
  name: string;
  parts: TPart[];
}

/** A substitution slot: `index` into the template instance's values; optional ones vanish when the value is null. */
export interface TSub {
  kind: 'sub';
  index: number;
  optional: boolean;
}

/** Part of an attribute value. */
export type TPart = string | TSub;
/** A node of a compiled template. */
export type TNode = TElement | TSub | string;

/** Deepest element nesting accepted; real events nest four or five levels. */
const MAX_DEPTH = 64;

const ENTITIES = new Map([
  ['amp', '&'],
  ['lt', '<'],
  ['gt', '>'],
  ['quot', '"'],
  ['apos', "'"],
]);

/**
 * A cursor over the BinXML of one chunk. Positions are chunk offsets, which is what BinXML name and template offsets
 * are relative to. `end` bounds every read of the current fragment.
 */
export class BinXmlCursor {
  pos = 0;
  end = 0;

  constructor(
    readonly b: Uint8Array,
    readonly names: Map<number, string>,
  ) {}

  /** Fails unless `n` more bytes are inside the fragment. */
  need(n: number): void {
    if (this.pos + n > this.end) throw new BinXmlError(`BinXML ends early (needs ${n} bytes)`, this.pos);
  }

  /** Reads a name reference (u32 chunk offset); skips the name when it is stored inline right here. */
  nameRef(): string {
    this.need(4);
    const off = u32(this.b, this.pos);
    this.pos += 4;
    const name = this.nameAt(off);
    if (off === this.pos) {
      this.pos += 10 + 2 * u16(this.b, off + 6);
      if (this.pos > this.end) throw new BinXmlError('inline name runs past the fragment', off);
    }
    return name;
  }

  /** The chunk string at `off`: next offset u32, hash u16, length u16, UTF-16 characters. */
  private nameAt(off: number): string {
    const cached = this.names.get(off);
    if (cached !== undefined) return cached;
    if (off < 0 || off + 8 > this.b.length) throw new BinXmlError(`name offset ${off} is outside the chunk`, this.pos);
    const count = u16(this.b, off + 6);
    if (off + 8 + 2 * count > this.b.length) throw new BinXmlError(`name at ${off} runs past the chunk`, off);
    const name = utf16Text(this.b, off + 8, count);
    this.names.set(off, name);
    return name;
  }

  /** Compiles the elements of a fragment up to its end-of-stream token (template definitions, raw records). */
  fragment(): TNode[] {
    const out: TNode[] = [];
    while (this.pos < this.end) {
      const t = this.b[this.pos] as number;
      if (t === 0x0f) {
        this.need(4);
        this.pos += 4;
      } else if ((t & 0xbf) === 0x01) {
        out.push(this.element(0));
      } else if (t === 0x00) {
        this.pos++;
        return out;
      } else {
        throw new BinXmlError(`unexpected token 0x${t.toString(16)} at fragment level`, this.pos);
      }
    }
    return out;
  }

  /**
   * OpenStartElement: token, [dependency id u16], data size u32, name, [attribute list size u32], attributes, body.
   * Template definitions always carry the dependency id; elements written directly in a record or a BinXML value
   * may not (evtx_dump reads them without), so `depId` is decided per fragment by `hasDependencyId`.
   */
  element(depth: number, depId = true): TElement {
    if (depth > MAX_DEPTH) throw new BinXmlError('elements nest too deeply', this.pos);
    const token = this.b[this.pos] as number;
    const head = depId ? 7 : 5;
    this.need(head);
    this.pos += head;
    const el: TElement = { kind: 'element', name: this.nameRef(), attrs: [], children: [], slots: [] };
    if (token & 0x40) {
      this.need(4);
      this.pos += 4;
    }
    for (;;) {
      this.need(1);
      const t = this.b[this.pos] as number;
      if ((t & 0xbf) === 0x06) {
        this.pos++;
        const name = this.nameRef();
        const parts = this.content(depth, true, el.slots, depId) as TPart[];
        el.attrs.push({ name, parts });
      } else if (t === 0x02) {
        this.pos++;
        el.children = this.content(depth, false, el.slots, depId);
        this.need(1);
        if (this.b[this.pos] !== 0x04) throw new BinXmlError('element is not closed', this.pos);
        this.pos++;
        return el;
      } else if (t === 0x03) {
        this.pos++;
        return el;
      } else {
        throw new BinXmlError(`unexpected token 0x${t.toString(16)} in start element`, this.pos);
      }
    }
  }

  /** Element content or an attribute value, up to the token that closes it (left for the caller). */
  private content(depth: number, inAttr: boolean, slots: number[], depId: boolean): TNode[] {
    const out: TNode[] = [];
    for (;;) {
      this.need(1);
      const t = this.b[this.pos] as number;
      const base = t & 0xbf;
      if (base === 0x05 || base === 0x07 || base === 0x08 || base === 0x09) {
        pushText(out, this.text(base));
      } else if (t === 0x0d || t === 0x0e) {
        this.need(4);
        const index = u16(this.b, this.pos + 1);
        this.pos += 4;
        out.push({ kind: 'sub', index, optional: t === 0x0e });
        slots.push(index);
      } else if (t === 0x0a || t === 0x0b) {
        this.processingInstruction(t);
      } else if (base === 0x01 && !inAttr) {
        out.push(this.element(depth + 1, depId));
      } else if (inAttr ? base === 0x06 || t === 0x02 || t === 0x03 : t === 0x04) {
        return out;
      } else {
        throw new BinXmlError(`unexpected token 0x${t.toString(16)} in ${inAttr ? 'attribute' : 'element'}`, this.pos);
      }
    }
  }

  /**
   * Whether the element starting here has a dependency id: the layout whose name reference makes sense wins (a name
   * stored inline right after the reference, or one stored earlier in the chunk); with it when both or neither do.
   */
  hasDependencyId(): boolean {
    const p = this.pos;
    const withId = p + 11 <= this.end ? u32(this.b, p + 7) : -1;
    const without = p + 9 <= this.end ? u32(this.b, p + 5) : -1;
    if (withId === p + 11) return true;
    if (without === p + 9) return false;
    return this.earlierName(withId, p) || !this.earlierName(without, p);
  }

  private earlierName(off: number, before: number): boolean {
    return off >= 0 && off + 8 <= before && off + 8 + 2 * u16(this.b, off + 6) <= before;
  }

  /** Value text, CDATA, character reference or entity reference, as the text it stands for. */
  private text(base: number): string {
    this.pos++;
    if (base === 0x08) {
      this.need(2);
      this.pos += 2;
      return String.fromCharCode(u16(this.b, this.pos - 2));
    }
    if (base === 0x09) {
      const name = this.nameRef();
      return ENTITIES.get(name) ?? `&${name};`;
    }
    if (base === 0x07) return this.lengthPrefixedUtf16();
    this.need(1);
    const type = this.b[this.pos] as number;
    this.pos++;
    if (type === 0x01) return this.lengthPrefixedUtf16();
    const size = fixedSize(type);
    if (size === 0) throw new BinXmlError(`value token of type 0x${type.toString(16)} is not supported`, this.pos);
    this.need(size);
    const s = renderValue(this.b, type, this.pos, size);
    this.pos += size;
    return s;
  }

  private lengthPrefixedUtf16(): string {
    this.need(2);
    const count = u16(this.b, this.pos);
    this.pos += 2;
    this.need(2 * count);
    const s = utf16Text(this.b, this.pos, count);
    this.pos += 2 * count;
    return s;
  }

  /** Processing instructions carry nothing an event needs; they are read past and dropped. */
  private processingInstruction(t: number): void {
    this.pos++;
    if (t === 0x0a) this.nameRef();
    else this.lengthPrefixedUtf16();
  }
}

/** Appends text, merging it into a preceding run of text. */
export function pushText<T>(out: (T | string)[], s: string): void {
  if (s === '') return;
  const last = out.length - 1;
  if (last >= 0 && typeof out[last] === 'string') out[last] = (out[last] as string) + s;
  else out.push(s);
}
