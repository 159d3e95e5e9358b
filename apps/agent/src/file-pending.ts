import { type Stats, statSync } from 'node:fs';
import type { CachedInitiator } from './initiator.js';

/** A DeviceFileEvents row to build: what happened to which path, and who did it. */
export interface FileRowRequest {
  readonly action: 'FileCreated' | 'FileModified' | 'FileDeleted' | 'FileRenamed';
  readonly path: string;
  readonly previous?: string;
  readonly who: CachedInitiator;
  readonly timeMs: number;
  /** The file's stat when the row was released (saves hashing a second stat). */
  readonly stats?: Stats;
  /** Hash the file at this path instead (it was renamed before its row was built). */
  readonly hashPath?: string;
}

/** A path whose writes wait to settle before their row. */
interface Entry {
  action: 'FileCreated' | 'FileModified';
  readonly path: string;
  who: CachedInitiator;
  timeMs: number;
  readonly firstMs: number;
  dueMs: number;
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
}

/**
 * Writes of one path on their way to a row. A reported write-open waits until the file had no mtime change for
 * settleMs (at most maxPendingMs), so the row's hashes are of the written content; FileCreated wins over
 * FileModified. After its row the path is watched for foldMs: the kernel does not print the same process's
 * further write-opens of the file within that time, so when the file stops changing (no mtime change for foldMs)
 * one FileModified reports the final content, timed at its mtime; a rename reports it first (hashing the new
 * path); a delete ends the watch. Both maps are kept in the order entries fall due and hold at most maxEntries
 * paths: beyond that the oldest is handled at once, never dropped.
 */
export class FilePending {
  private readonly map = new Map<string, Entry>();
  private readonly folded = new Map<string, Folded>();
  readonly stats: FilePendingStats = { trailingRows: 0, foldedIntoDelete: 0, forcedEarly: 0 };

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

  /** A reported write-open of path; true when it joined a waiting entry. */
  touch(path: string, action: 'FileCreated' | 'FileModified', who: CachedInitiator, timeMs: number): boolean {
    const now = Date.now();
    this.folded.delete(path);
    const e = this.map.get(path);
    if (e) {
      this.map.delete(path);
      if (action === 'FileCreated' && e.action === 'FileModified') {
        e.action = action;
        e.who = who;
        e.timeMs = timeMs;
      }
      e.dueMs = now + this.settleMs;
      this.map.set(path, e);
      return true;
    }
    if (this.map.size >= this.maxEntries) {
      const oldest = this.map.values().next().value as Entry;
      this.map.delete(oldest.path);
      this.stats.forcedEarly++;
      this.report(oldest, now, statSync(oldest.path, { throwIfNoEntry: false }));
    }
    this.map.set(path, { action, path, who, timeMs, firstMs: now, dueMs: now + this.settleMs });
    return false;
  }

  /** The path is being deleted (renamedTo undefined) or renamed: what waits for it is reported now. */
  release(path: string, renamedTo?: string): void {
    const e = this.map.get(path);
    if (e) {
      this.map.delete(path);
      this.onRow({ ...this.request(e), ...(renamedTo ? { hashPath: renamedTo } : {}) });
    }
    const f = this.folded.get(path);
    if (!f) return;
    this.folded.delete(path);
    if (renamedTo === undefined) this.stats.foldedIntoDelete++;
    else this.trailing(f, statSync(renamedTo, { throwIfNoEntry: false }), renamedTo);
  }

  /** Reports what settled (everything when `all`). */
  sweep(now: number, all: boolean): void {
    for (const e of this.map.values()) {
      if (!all && e.dueMs > now) break;
      this.map.delete(e.path);
      const st = statSync(e.path, { throwIfNoEntry: false });
      if (!all && st && st.mtimeMs > now - this.settleMs && now - e.firstMs < this.maxPendingMs) {
        e.dueMs = Math.max(now + 1, st.mtimeMs + this.settleMs);
        this.map.set(e.path, e);
      } else this.report(e, now, st);
    }
    for (const f of this.folded.values()) {
      if (!all && f.dueMs > now) break;
      this.folded.delete(f.path);
      const st = statSync(f.path, { throwIfNoEntry: false });
      if (!all && st && st.mtimeMs > now - this.foldMs) {
        f.dueMs = Math.max(now + 1, st.mtimeMs + this.foldMs);
        this.folded.set(f.path, f);
      } else this.trailing(f, st);
    }
  }

  private report(e: Entry, now: number, st: Stats | undefined): void {
    this.onRow(this.request(e, st));
    if (!st) return;
    if (this.folded.size >= this.maxEntries) {
      const oldest = this.folded.values().next().value as Folded;
      this.folded.delete(oldest.path);
      this.trailing(oldest, statSync(oldest.path, { throwIfNoEntry: false }));
    }
    this.folded.set(e.path, { path: e.path, who: e.who, mtimeMs: st.mtimeMs, dueMs: now + this.foldMs });
  }

  private trailing(f: Folded, st: Stats | undefined, hashPath?: string): void {
    if (!st || st.mtimeMs === f.mtimeMs) return;
    this.stats.trailingRows++;
    const timeMs = Math.floor(st.mtimeMs);
    this.onRow({
      action: 'FileModified',
      path: f.path,
      who: f.who,
      timeMs,
      stats: st,
      ...(hashPath ? { hashPath } : {}),
    });
  }

  private request(e: Entry, stats?: Stats): FileRowRequest {
    return { action: e.action, path: e.path, who: e.who, timeMs: e.timeMs, ...(stats ? { stats } : {}) };
  }
}
