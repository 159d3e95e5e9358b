/**
 * A map for caches that holds fewer than `max` entries. New entries go into a young generation; when it holds half
 * of `max` it becomes the old one, and the old one before it is dropped whole. Reading an entry of the old
 * generation moves it into the young one, so entries in use stay (the hashlru scheme).
 *
 * The agent's caches had evicted with `map.delete(map.keys().next().value)` once full. V8 leaves a deleted entry of
 * a Map as a hole that iteration walks past until the table is rebuilt, and a full map is rebuilt only when holes
 * fill it: so every eviction walked past all the holes before it. Once the image-hash cache was full (20,000
 * entries), replaying the agent benchmark's capture cost 0.79-1.03 CPU s instead of 0.30-0.40 s, and a loop
 * inserting into a full Map of 20,000 took up to 20 µs an insertion instead of well under one.
 */
export class BoundedMap<K, V> {
  private young = new Map<K, V>();
  private old = new Map<K, V>();
  private readonly half: number;

  constructor(max: number) {
    this.half = Math.max(1, Math.floor(max / 2));
  }

  get(key: K): V | undefined {
    const v = this.young.get(key);
    if (v !== undefined || !this.old.has(key)) return v;
    const o = this.old.get(key) as V;
    this.old.delete(key);
    this.add(key, o);
    return o;
  }

  has(key: K): boolean {
    return this.young.has(key) || this.old.has(key);
  }

  set(key: K, value: V): void {
    if (this.young.has(key)) this.young.set(key, value);
    else {
      this.old.delete(key);
      this.add(key, value);
    }
  }

  delete(key: K): boolean {
    const young = this.young.delete(key);
    return this.old.delete(key) || young;
  }

  /** Entries held (a key is in one generation only). */
  get size(): number {
    return this.young.size + this.old.size;
  }

  private add(key: K, value: V): void {
    this.young.set(key, value);
    if (this.young.size < this.half) return;
    this.old = this.young;
    this.young = new Map();
  }
}
