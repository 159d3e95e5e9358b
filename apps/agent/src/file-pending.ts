import type { Stats } from 'node:fs';
import type { FileLook, LookedFile } from '@vigil/sensors';
import type { CachedInitiator } from './initiator.js';
import { statOf } from './stat-of.js';

/** A DeviceFileEvents row to build: what happened to which path, and who did it. Made by fileRowRequest. */
export interface FileRowRequest {
  readonly action: 'FileCreated' | 'FileModified' | 'FileDeleted' | 'FileRenamed';
  readonly path: string;
  readonly previous: string | undefined;
  readonly who: CachedInitiator;
  readonly timeMs: number;
  /** The file's stat when the row was released (saves hashing a second stat). */
  readonly stats: Stats | undefined;
  /** Hash the file at this path instead (it was renamed before its row was built). */
  readonly hashPath: string | undefined;
  /** The file as vigil-collector's settle look found it (with its hashes, when it hashed it). */
  readonly looked: LookedFile | undefined;
}

/** A row request with every field, in one order: one shape for the code that builds rows. */
export function fileRowRequest(
  action: FileRowRequest['action'],
  path: string,
  who: CachedInitiator,
  timeMs: number,
  stats?: Stats,
  hashPath?: string,
  previous?: string,
  looked?: LookedFile,
): FileRowRequest {
  return { action, path, previous, who, timeMs, stats, hashPath, looked };
}

/** A path whose writes wait to settle before their row. */
interface Entry {
  action: 'FileCreated' | 'FileModified';
  readonly path: string;
  who: CachedInitiator;
  timeMs: number;
  readonly firstMs: number;
  dueMs: number;
  /** Its queue in `levels`: 0 until its first look, then one more per look that found the file still changing. */
  level: number;
}

/** A reported path whose writer may go on writing unseen (the kernel folds its write-opens for a while). */
interface Folded {
  readonly path: string;
  readonly who: CachedInitiator;
  /** mtime of the content the last row reported. */
  readonly mtimeMs: number;
  dueMs: number;
}

/** Counters of the settling and folding of writes. */
export interface FilePendingStats {
  /** FileModified rows for writes the kernel folded, reported when they stopped. */
  trailingRows: number;
  /** Watches ended by a delete: writes folded into it, if any, are not reported apart. */
  foldedIntoDelete: number;
  /** Rows released before their writes settled because too many paths were waiting. */
  forcedEarly: number;
  /** Stats of waiting paths to see whether their writes settled. */
  settleChecks: number;
  /** Settle looks of the eBPF source (vigil-collector) that reported a waiting or watched path. */
  sourceLooks: number;
}

/**
 * The order in which values entered a map, to find the oldest one still there without `map.values().next()`: V8
 * leaves a deleted Map entry as a hole that iteration walks past until the table is rebuilt (see BoundedMap), and
 * under overload every new path took the oldest one out (20,000 waiting paths: up to 35 µs a path, 2-5 µs with this).
 * Values taken out of the map otherwise are skipped when met, and dropped once they outnumber the live ones.
 */
class Arrivals<T> {
  private items: T[] = [];
  private head = 0;

  constructor(private readonly isLive: (x: T) => boolean) {}

  push(x: T, live: number): void {
    this.items.push(x);
    if (this.items.length - this.head > 2 * live + 1024) {
      this.items = this.items.slice(this.head).filter(this.isLive);
      this.head = 0;
    }
  }

  /** The oldest value still in the map (undefined when none is), taken out of this order. */
  shift(): T | undefined {
    while (this.head < this.items.length) {
      const x = this.items[this.head++] as T;
      if (this.head >= 1024 && this.head * 2 >= this.items.length) {
        this.items = this.items.slice(this.head);
        this.head = 0;
      }
      if (this.isLive(x)) return x;
    }
    return undefined;
  }
}

/** Queues of waiting paths: the first look, then looks after settleMs, 2 settleMs and 4 settleMs (the last repeats). */
const LEVELS = 4;

/**
 * Writes of one path on their way to a row. A reported write-open waits until the file had no mtime change for
 * settleMs, so the row's hashes are of the written content. A file found still changing is looked at again after
 * settleMs, then 2 and 4 settleMs (so one rewritten for seconds costs a few stats, not one per settleMs), and is
 * reported anyway at the first look past maxPendingMs. FileCreated wins over
 * FileModified. After its row the path is watched for foldMs: the kernel does not print the same process's
 * further write-opens of the file within that time, so when the file stops changing (no mtime change for foldMs)
 * one FileModified reports the final content, timed at its mtime; a rename reports it first (hashing the new
 * path); a delete ends the watch. Both maps are kept in the order entries fall due and hold at most maxEntries
 * paths: beyond that the oldest is handled at once, never dropped.
 */
export class FilePending {
  /** Waiting paths, oldest first; each is also in the queue of its level, where entries are in the order they fall due. */
  private readonly map = new Map<string, Entry>();
  private readonly levels: Map<string, Entry>[] = Array.from({ length: LEVELS }, () => new Map());
  private readonly folded = new Map<string, Folded>();
  /** The order paths started waiting, and started being watched (for the oldest, beyond maxEntries). */
  private readonly waitingOrder = new Arrivals<Entry>((e) => this.map.get(e.path) === e);
  private readonly watchedOrder = new Arrivals<Folded>((f) => this.folded.get(f.path) === f);
  readonly stats: FilePendingStats = {
    trailingRows: 0,
    foldedIntoDelete: 0,
    forcedEarly: 0,
    settleChecks: 0,
    sourceLooks: 0,
  };
  /**
   * How much later than its own schedule this object looks at a path, when the eBPF source looks (see
   * lookedBySource): 0 when it does all the looks.
   */
  private backstopMs = 0;

  constructor(
    private readonly settleMs: number,
    private readonly maxPendingMs: number,
    private readonly foldMs: number,
    private readonly maxEntries: number,
    private readonly onRow: (r: FileRowRequest) => void,
  ) {}

  /** Paths waiting to settle and paths watched for folded writes. */
  get size(): number {
    return this.map.size + this.folded.size;
  }

  /** A reported write-open of path (at `now`); true when it joined a waiting entry, which starts its wait again. */
  touch(
    path: string,
    action: 'FileCreated' | 'FileModified',
    who: CachedInitiator,
    timeMs: number,
    now = Date.now(),
  ): boolean {
    this.folded.delete(path);
    const e = this.map.get(path);
    if (e) {
      if (action === 'FileCreated' && e.action === 'FileModified') {
        e.action = action;
        e.who = who;
        e.timeMs = timeMs;
      }
      this.queue(e, 0, now + this.settleMs + this.backstopMs);
      return true;
    }
    const oldest = this.map.size >= this.maxEntries ? this.waitingOrder.shift() : undefined;
    if (oldest) {
      this.unqueue(oldest);
      this.stats.forcedEarly++;
      this.report(oldest, now, statOf(oldest.path));
    }
    const entry: Entry = { action, path, who, timeMs, firstMs: now, dueMs: 0, level: 0 };
    this.map.set(path, entry);
    this.waitingOrder.push(entry, this.map.size);
    this.queue(entry, 0, now + this.settleMs + this.backstopMs);
    return false;
  }

  /** Puts a waiting entry at the end of a level's queue (entries of a level fall due in the order they are queued). */
  private queue(e: Entry, level: number, dueMs: number): void {
    this.levels[e.level]?.delete(e.path);
    e.level = level;
    e.dueMs = dueMs;
    this.levels[level]?.set(e.path, e);
  }

  private unqueue(e: Entry): void {
    this.map.delete(e.path);
    this.levels[e.level]?.delete(e.path);
  }

  /**
   * The path is being deleted (renamedTo undefined) or renamed: what waits for it is reported now. For a rename,
   * `renamedStats` is the target's stat taken when the event arrived (else it is taken now).
   */
  release(path: string, renamedTo?: string, renamedStats?: Stats): void {
    const e = this.map.get(path);
    if (e) {
      this.unqueue(e);
      this.onRow(fileRowRequest(e.action, e.path, e.who, e.timeMs, undefined, renamedTo));
    }
    const f = this.folded.get(path);
    if (!f) return;
    this.folded.delete(path);
    if (renamedTo === undefined) this.stats.foldedIntoDelete++;
    else this.trailing(f, renamedStats ?? statOf(renamedTo), renamedTo);
  }

  /** When the first waiting or watched path is due to be looked at (Infinity when none is). */
  nextDueMs(): number {
    let due = Number.POSITIVE_INFINITY;
    for (const level of this.levels) {
      const first = level.values().next().value;
      if (first !== undefined && first.dueMs < due) due = first.dueMs;
    }
    // Watched paths are in about the order they fall due (one found still changing is put last); sweep() goes as
    // far as the first one not due, so that one says when.
    const watched = this.folded.values().next().value;
    return watched !== undefined && watched.dueMs < due ? watched.dueMs : due;
  }

  /** Reports what settled (everything when `all`). */
  sweep(now: number, all: boolean): void {
    for (const level of this.levels) {
      for (const e of level.values()) {
        if (!all && e.dueMs > now) break;
        this.stats.settleChecks++;
        const st = statOf(e.path);
        if (!all && st && st.mtimeMs > now - this.settleMs && now - e.firstMs < this.maxPendingMs) {
          const next = Math.min(e.level + 1, LEVELS - 1);
          this.queue(e, next, now + this.settleMs * 2 ** (next - 1));
        } else {
          this.unqueue(e);
          this.report(e, now, st);
        }
      }
    }
    for (const f of this.folded.values()) {
      if (!all && f.dueMs > now) break;
      this.folded.delete(f.path);
      const st = statOf(f.path);
      if (!all && st && st.mtimeMs > now - this.foldMs) {
        f.dueMs = Math.max(now + 1, st.mtimeMs + this.foldMs + this.backstopMs);
        this.folded.set(f.path, f);
      } else this.trailing(f, st);
    }
  }

  /**
   * The eBPF source looks at written paths itself (vigil-collector's FileLook events, given to looked()): this
   * object then looks at a path only `backstopMs` after it would have, when the source's look did not come (the
   * source restarted, or resolved the path otherwise).
   */
  lookedBySource(backstopMs: number): void {
    this.backstopMs = backstopMs;
  }

  /** What the eBPF source's look found at a path (see FileLook): a waiting path's row, or the end of a watch. */
  looked(l: FileLook, now = Date.now()): void {
    const e = l.what === 'settled' ? this.map.get(l.path) : undefined;
    if (e) {
      this.stats.sourceLooks++;
      this.unqueue(e);
      this.report(e, now, undefined, l.file);
      return;
    }
    const f = this.folded.get(l.path);
    if (!f) return;
    this.stats.sourceLooks++;
    this.folded.delete(l.path);
    if (l.what === 'quiet') return;
    this.trailing(f, undefined, undefined, l.file);
    // A settled path already reported (its write-open reached the source after its look): the watch goes on.
    if (l.what === 'settled' && l.file) this.watch(f.path, f.who, l.file.mtimeMs, now);
  }

  /** A row for a waiting path, then a watch for writes the kernel folds (when the file is there). */
  private report(e: Entry, now: number, st: Stats | undefined, looked?: LookedFile): void {
    this.onRow(fileRowRequest(e.action, e.path, e.who, e.timeMs, st, undefined, undefined, looked));
    const mtimeMs = looked ? looked.mtimeMs : st?.mtimeMs;
    if (mtimeMs !== undefined) this.watch(e.path, e.who, mtimeMs, now);
  }

  private watch(path: string, who: CachedInitiator, mtimeMs: number, now: number): void {
    const oldest = this.folded.size >= this.maxEntries ? this.watchedOrder.shift() : undefined;
    if (oldest) {
      this.folded.delete(oldest.path);
      this.trailing(oldest, statOf(oldest.path));
    }
    const f: Folded = { path, who, mtimeMs, dueMs: now + this.foldMs + this.backstopMs };
    this.folded.set(path, f);
    this.watchedOrder.push(f, this.folded.size);
  }

  private trailing(f: Folded, st: Stats | undefined, hashPath?: string, looked?: LookedFile): void {
    const mtimeMs = looked ? looked.mtimeMs : st?.mtimeMs;
    if (mtimeMs === undefined || mtimeMs === f.mtimeMs) return;
    this.stats.trailingRows++;
    const timeMs = Math.floor(mtimeMs);
    this.onRow(fileRowRequest('FileModified', f.path, f.who, timeMs, st, hashPath, undefined, looked));
  }
}
