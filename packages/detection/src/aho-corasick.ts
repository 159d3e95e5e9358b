/** Options of an automaton. */
export interface AhoCorasickOptions {
  /**
   * Find the literals (which must be in lower case) in a text as `text.toLowerCase()` would spell it, without
   * lowering the text: each code unit is folded through a table, and a text with a code unit whose lower case
   * depends on its context or is longer than one unit (İ, final sigma, surrogate pairs) is lowered whole instead.
   */
  readonly foldCase?: boolean;
  /** The budget of the dense rows (DENSE_BYTES); tests set it low to exercise the sparse nodes. */
  readonly denseBytes?: number;
}

/** Column of a code unit that no table can fold: the text is scanned again in lower case. */
const SPECIAL = 0xffff;
/** The transition table's budget: rows for the shallowest nodes, where a scan spends nearly all its steps. */
const DENSE_BYTES = 8 * 1024 * 1024;

/**
 * Aho-Corasick automaton over UTF-16 code units, a prefilter: it finds which of many literals occur in a text in one
 * pass, so the literal prefilter costs the same whatever the number of rules.
 *
 * Every ASCII code unit of the literals has a column of its own; all the others share one, so the automaton may
 * report a literal with non-ASCII characters that only occurs with other ones in their places (never the other way
 * round). The shallowest nodes (in breadth-first order, within DENSE_BYTES) have a full row of transitions with the
 * failure links resolved, one lookup per code unit; deeper ones keep their children sorted and follow failure links.
 */
export class AhoCorasick {
  /** Column of each code unit (0 = in no literal), after case folding when asked, or SPECIAL. */
  private readonly columns = new Uint16Array(65536);
  /** Column of each code unit without folding: for a text already in lower case. */
  private readonly exactColumns = new Uint16Array(65536);
  private readonly width: number;
  /** Nodes below this number have a dense row. */
  private readonly dense: number;
  /** `next[node * width + column]` for the dense nodes. */
  private readonly next: Int32Array;
  /** Children of every node, sorted by column: `childColumns/childNodes[childStart[node] .. childStart[node + 1]]`. */
  private readonly childStart: Int32Array;
  private readonly childColumns: Uint16Array;
  private readonly childNodes: Int32Array;
  private readonly fail: Int32Array;
  /** First node on a node's failure chain (itself included) that ends a literal, or -1. */
  private readonly output: Int32Array;
  /** The same after that node, or -1. */
  private readonly dict: Int32Array;
  /** Literals ending exactly at a node: `endIds[endStart[node] .. endStart[node + 1]]`. */
  private readonly endStart: Int32Array;
  private readonly endIds: Int32Array;

  constructor(literals: readonly string[], options: AhoCorasickOptions = {}) {
    const exact = this.exactColumns;
    let width = 2;
    const column = (c: number) => {
      if (c >= 0x80) {
        exact[c] = 1;
        return 1;
      }
      if (exact[c] === 0) exact[c] = width++;
      return exact[c]!;
    };
    // The trie, built with a map and then numbered breadth-first.
    const children = new Map<number, number>();
    const kids: number[][] = [[]];
    const ends: number[][] = [[]];
    literals.forEach((lit, id) => {
      if (lit.length === 0) return;
      let node = 0;
      for (let i = 0; i < lit.length; i++) {
        const col = column(lit.charCodeAt(i));
        const key = node * 65536 + col;
        let child = children.get(key);
        if (child === undefined) {
          child = kids.length;
          kids.push([]);
          ends.push([]);
          kids[node]!.push(child);
          children.set(key, child);
        }
        node = child;
      }
      ends[node]!.push(id);
    });
    if (options.foldCase) foldColumns(exact, this.columns);
    else this.columns.set(exact);
    this.width = width;

    const size = kids.length;
    const order = new Int32Array(size);
    const colOf = new Uint16Array(size);
    for (const [key, child] of children) colOf[child] = key % 65536;
    let tail = 1;
    for (let head = 0; head < tail; head++) {
      const sorted = kids[order[head]!]!.sort((a, b) => colOf[a]! - colOf[b]!);
      for (const k of sorted) order[tail++] = k;
    }
    const number = new Int32Array(size);
    for (let i = 0; i < size; i++) number[order[i]!] = i;

    this.childStart = new Int32Array(size + 1);
    this.childColumns = new Uint16Array(size - 1);
    this.childNodes = new Int32Array(size - 1);
    this.endStart = new Int32Array(size + 1);
    this.endIds = new Int32Array(literals.length);
    let nc = 0;
    let ne = 0;
    for (let i = 0; i < size; i++) {
      const old = order[i]!;
      this.childStart[i] = nc;
      for (const k of kids[old]!) {
        this.childColumns[nc] = colOf[k]!;
        this.childNodes[nc++] = number[k]!;
      }
      this.endStart[i] = ne;
      for (const id of ends[old]!) this.endIds[ne++] = id;
    }
    this.childStart[size] = nc;
    this.endStart[size] = ne;

    // Failure links breadth-first: a node's failure target is shallower, so it is settled (and, when dense, its
    // row complete) before the node.
    this.fail = new Int32Array(size);
    this.output = new Int32Array(size).fill(-1);
    this.dict = new Int32Array(size).fill(-1);
    this.dense = Math.max(1, Math.min(size, Math.floor((options.denseBytes ?? DENSE_BYTES) / 4 / width)));
    this.next = new Int32Array(this.dense * width);
    for (let node = 0; node < size; node++) {
      const f = this.fail[node]!;
      if (node > 0) {
        this.dict[node] = this.output[f]!;
        this.output[node] = this.endStart[node + 1]! > this.endStart[node]! ? node : this.dict[node]!;
      }
      if (node < this.dense && node > 0) this.next.copyWithin(node * width, f * width, f * width + width);
      for (let j = this.childStart[node]!; j < this.childStart[node + 1]!; j++) {
        const col = this.childColumns[j]!;
        const child = this.childNodes[j]!;
        this.fail[child] = node === 0 ? 0 : this.step(f, col);
        if (node < this.dense) this.next[node * width + col] = child;
      }
    }
  }

  /** The transition from a node on a column, following failure links from a sparse node. */
  private step(node: number, col: number): number {
    const { childStart, childColumns, childNodes, fail, next, dense, width } = this;
    for (;;) {
      if (node < dense) return next[node * width + col]!;
      let lo = childStart[node]!;
      let hi = childStart[node + 1]! - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const c = childColumns[mid]!;
        if (c === col) return childNodes[mid]!;
        if (c < col) lo = mid + 1;
        else hi = mid - 1;
      }
      node = fail[node]!;
    }
  }

  /** Calls `hit` with the id of every literal occurring in the text (an id may be reported more than once). */
  scan(text: string, hit: (id: number) => void): void {
    if (!this.run(text, this.columns, hit)) this.run(text.toLowerCase(), this.exactColumns, hit);
  }

  /** One pass; false (after reporting some hits, maybe) when the text has a code unit the table cannot fold. */
  private run(text: string, columns: Uint16Array, hit: (id: number) => void): boolean {
    const { next, output, dict, endStart, endIds, width, dense } = this;
    let node = 0;
    for (let i = 0; i < text.length; i++) {
      const col = columns[text.charCodeAt(i)]!;
      if (col === SPECIAL) return false;
      node = node < dense ? next[node * width + col]! : this.step(node, col);
      for (let o = output[node]!; o >= 0; o = dict[o]!) {
        for (let e = endStart[o]!; e < endStart[o + 1]!; e++) hit(endIds[e]!);
      }
    }
    return true;
  }
}

let lowerUnits: Uint32Array | undefined;

/**
 * Each code unit's lower case as one unit, or SPECIAL where it is not one unit, depends on the context (capital
 * sigma) or belongs to a pair (surrogates). Computed once per process.
 */
function lowerUnitTable(): Uint32Array {
  if (lowerUnits !== undefined) return lowerUnits;
  const t = new Uint32Array(65536);
  for (let c = 0; c < 65536; c++) {
    if ((c >= 0xd800 && c <= 0xdfff) || c === 0x3a3) t[c] = SPECIAL;
    else if (c < 0x80) t[c] = c >= 0x41 && c <= 0x5a ? c + 32 : c;
    else {
      const lower = String.fromCharCode(c).toLowerCase();
      t[c] = lower.length === 1 ? lower.charCodeAt(0) : SPECIAL;
    }
  }
  lowerUnits = t;
  return t;
}

/** Folds each code unit to the column of its lower case, or SPECIAL. */
function foldColumns(exact: Uint16Array, out: Uint16Array): void {
  const lower = lowerUnitTable();
  for (let c = 0; c < 65536; c++) {
    const l = lower[c]!;
    out[c] = l === SPECIAL ? SPECIAL : exact[l]!;
  }
}
