// A tiny BinXML writer: the inverse of the reader, used to build synthetic EVTX files for tests, fixtures and the
// benchmark without shipping third-party logs. It writes what Windows writes: templates with substitutions, names
// inline at first use in a chunk and referenced by offset afterwards.

/** A growable little-endian byte buffer whose positions are chunk offsets (`base` + length). */
export class ByteWriter {
  private buf = new Uint8Array(256);
  length = 0;

  constructor(readonly base: number) {}

  /** The chunk offset of the next byte written. */
  get pos(): number {
    return this.base + this.length;
  }

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  u8(v: number): this {
    this.room(1);
    this.buf[this.length++] = v & 0xff;
    return this;
  }

  u16(v: number): this {
    return this.u8(v).u8(v >>> 8);
  }

  u32(v: number): this {
    return this.u16(v & 0xffff).u16(v >>> 16);
  }

  u64(v: bigint): this {
    return this.u32(Number(v & 0xffffffffn)).u32(Number((v >> 32n) & 0xffffffffn));
  }

  bytes(b: Uint8Array): this {
    this.room(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
    return this;
  }

  utf16(s: string): this {
    for (let i = 0; i < s.length; i++) this.u16(s.charCodeAt(i));
    return this;
  }

  /** Overwrites a u32 written earlier, at chunk offset `at`. */
  patch32(at: number, v: number): void {
    const i = at - this.base;
    for (let k = 0; k < 4; k++) this.buf[i + k] = (v >>> (8 * k)) & 0xff;
  }

  done(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

/** A template node to write: an element, literal text, or a substitution slot. */
export type WNode =
  | { kind: 'element'; name: string; attrs: { name: string; value: WNode }[]; children: WNode[] }
  | { kind: 'text'; text: string }
  | { kind: 'sub'; index: number; type: number; optional: boolean };

/** Writes template definitions and elements into one chunk, remembering where each name was first written. */
export class ChunkBinXml {
  private readonly names = new Map<string, number>();
  /** Whether elements carry the dependency id (always in templates; raw fragments may leave it out). */
  dependencyId = true;

  /** Name reference: inline (offset pointing just past itself) the first time, by offset afterwards. */
  name(w: ByteWriter, name: string): void {
    const known = this.names.get(name);
    if (known !== undefined) {
      w.u32(known);
      return;
    }
    const at = w.pos + 4;
    this.names.set(name, at);
    w.u32(at).u32(0).u16(nameHash(name)).u16(name.length).utf16(name).u16(0);
  }

  node(w: ByteWriter, n: WNode, more = false): void {
    if (n.kind === 'text') {
      w.u8(more ? 0x45 : 0x05)
        .u8(0x01)
        .u16(n.text.length)
        .utf16(n.text);
    } else if (n.kind === 'sub') {
      w.u8(n.optional ? 0x0e : 0x0d)
        .u16(n.index)
        .u8(n.type);
    } else {
      this.element(w, n);
    }
  }

  private element(w: ByteWriter, n: Extract<WNode, { kind: 'element' }>): void {
    w.u8(n.attrs.length > 0 ? 0x41 : 0x01);
    if (this.dependencyId) w.u16(0xffff);
    const sizeAt = w.pos;
    w.u32(0);
    this.name(w, n.name);
    const attrsAt = w.pos;
    if (n.attrs.length > 0) w.u32(0);
    n.attrs.forEach((a, i) => {
      w.u8(i < n.attrs.length - 1 ? 0x46 : 0x06);
      this.name(w, a.name);
      this.node(w, a.value);
    });
    if (n.attrs.length > 0) w.patch32(attrsAt, w.pos - attrsAt - 4);
    if (n.children.length === 0) {
      w.u8(0x03);
    } else {
      w.u8(0x02);
      for (const c of n.children) this.node(w, c);
      w.u8(0x04);
    }
    w.patch32(sizeAt, w.pos - sizeAt - 4);
  }
}

/** The name hash of MS-EVEN6 (hash = hash * 65599 + code unit, low 16 bits). Readers ignore it. */
function nameHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 65599) + s.charCodeAt(i)) >>> 0;
  return h & 0xffff;
}
