/**
 * Aho-Corasick automaton over UTF-16 code units: finds which of many literals occur in a text in one pass,
 * so the literal prefilter costs the same whatever the number of rules.
 */
export class AhoCorasick {
  /** Transitions keyed by `node * 65536 + code unit`. */
  private readonly next = new Map<number, number>();
  private fail: Int32Array = new Int32Array(0);
  /** Nearest node on the failure chain (itself excluded) that ends a literal, or -1. */
  private dict: Int32Array = new Int32Array(0);
  /** The literal ending exactly at a node, or -1 (duplicates are removed by the caller). */
  private readonly ends: number[] = [-1];
  private readonly firstChild: number[] = [-1];
  private readonly sibling: number[] = [-1];
  private readonly charOf: number[] = [0];

  constructor(literals: readonly string[]) {
    literals.forEach((lit, id) => {
      let node = 0;
      for (let i = 0; i < lit.length; i++) node = this.child(node, lit.charCodeAt(i));
      if (lit.length > 0) this.ends[node] = id;
    });
    this.link();
  }

  private child(node: number, c: number): number {
    const key = node * 65536 + c;
    const found = this.next.get(key);
    if (found !== undefined) return found;
    const n = this.ends.length;
    this.ends.push(-1);
    this.firstChild.push(-1);
    this.charOf.push(c);
    this.sibling.push(this.firstChild[node]!);
    this.firstChild[node] = n;
    this.next.set(key, n);
    return n;
  }

  private link(): void {
    const size = this.ends.length;
    this.fail = new Int32Array(size);
    this.dict = new Int32Array(size).fill(-1);
    const queue = new Int32Array(size);
    let tail = 0;
    for (let k = this.firstChild[0]!; k !== -1; k = this.sibling[k]!) queue[tail++] = k;
    for (let head = 0; head < tail; head++) {
      const node = queue[head]!;
      for (let child = this.firstChild[node]!; child !== -1; child = this.sibling[child]!) {
        const c = this.charOf[child]!;
        let f = this.fail[node]!;
        let target = this.next.get(f * 65536 + c);
        while (target === undefined && f !== 0) {
          f = this.fail[f]!;
          target = this.next.get(f * 65536 + c);
        }
        const fc = target ?? 0;
        this.fail[child] = fc;
        this.dict[child] = this.ends[fc]! >= 0 ? fc : this.dict[fc]!;
        queue[tail++] = child;
      }
    }
  }

  /** Calls `hit` with the id of every literal occurring in the text (an id may be reported more than once). */
  scan(text: string, hit: (id: number) => void): void {
    let node = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      let n = this.next.get(node * 65536 + c);
      while (n === undefined && node !== 0) {
        node = this.fail[node]!;
        n = this.next.get(node * 65536 + c);
      }
      node = n ?? 0;
      for (let o = this.ends[node]! >= 0 ? node : this.dict[node]!; o > 0; o = this.dict[o]!) hit(this.ends[o]!);
    }
  }
}
