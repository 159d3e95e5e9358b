import { mkdirSync, mkdtempSync, renameSync, rmSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FilePending, type FileRowRequest } from './file-pending.js';
import type { CachedInitiator } from './initiator.js';

const who: CachedInitiator = { who: { proc: undefined, parent: undefined, from: 'none' } };
const SETTLE = 500;
const FOLD = 5000;

/** A file whose mtime is set to `mtimeMs`. */
function write(path: string, text: string, mtimeMs: number): void {
  writeFileSync(path, text);
  utimesSync(path, mtimeMs / 1000, mtimeMs / 1000);
}

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-pending-'));
  const rows: FileRowRequest[] = [];
  const pending = new FilePending(SETTLE, 10 * SETTLE, FOLD, 100, (r) => rows.push(r));
  const summary = () => rows.map((r) => [r.action, r.path.slice(dir.length + 1), r.hashPath?.slice(dir.length + 1)]);
  return { dir, rows, pending, summary };
}

/** A file reported as created (its writes settled), then written again in the kernel's fold window: its path. */
function reportedThenRewritten(dir: string, pending: FilePending, name: string): string {
  const f = join(dir, name);
  const t0 = Date.now();
  write(f, 'one', t0 - 2000);
  pending.touch(f, 'FileCreated', who, t0);
  pending.sweep(t0 + SETTLE + 10, false);
  write(f, 'two', t0 + 1000);
  return f;
}

describe('FilePending', () => {
  it('reports a path that cannot be looked at any more (a folder on it became a file) without throwing', () => {
    const { dir, pending, summary } = setup();
    const t0 = Date.now();
    const sub = join(dir, 'd');
    mkdirSync(sub);
    const waiting = join(sub, 'a.sh');
    const watched = join(sub, 'b.sh');
    write(waiting, 'one', t0 - 2000);
    write(watched, 'one', t0 - 2000);
    pending.touch(watched, 'FileCreated', who, t0, t0);
    pending.sweep(t0 + SETTLE, false);
    pending.touch(waiting, 'FileModified', who, t0 + SETTLE, t0 + SETTLE);
    // The folder moves away and a file takes its name: a stat of either path now fails with ENOTDIR.
    rmSync(sub, { recursive: true });
    writeFileSync(sub, 'a file');
    expect(() => statSync(waiting)).toThrow(/ENOTDIR/);
    pending.sweep(t0 + 2 * SETTLE + FOLD, false);
    expect(summary()).toEqual([
      ['FileCreated', 'd/b.sh', undefined],
      ['FileModified', 'd/a.sh', undefined],
    ]);
    expect(pending.size).toBe(0);
  });

  it('says when its first waiting or watched path is due', () => {
    const { dir, pending } = setup();
    expect(pending.nextDueMs()).toBe(Number.POSITIVE_INFINITY);
    const t0 = Date.now();
    const a = join(dir, 'a.sh');
    const b = join(dir, 'b.sh');
    write(a, 'one', t0 - 2000);
    write(b, 'one', t0 - 2000);
    pending.touch(a, 'FileCreated', who, t0, t0);
    pending.touch(b, 'FileCreated', who, t0, t0 + 50);
    expect(pending.nextDueMs()).toBe(t0 + SETTLE);
    // a settles and is watched; b still waits, and is due first.
    pending.sweep(t0 + SETTLE, false);
    expect(pending.nextDueMs()).toBe(t0 + 50 + SETTLE);
    pending.sweep(t0 + 50 + SETTLE, false);
    expect(pending.nextDueMs()).toBe(t0 + SETTLE + FOLD);
    pending.sweep(t0 + 50 + SETTLE + FOLD, false);
    expect(pending.nextDueMs()).toBe(Number.POSITIVE_INFINITY);
  });

  it('reports a write once it settles, folds further writes and reports their final content when they stop', () => {
    const { dir, rows, pending, summary } = setup();
    const f = join(dir, 'a.sh');
    const t0 = Date.now();
    write(f, 'one', t0 - 2000);
    expect(pending.touch(f, 'FileCreated', who, t0)).toBe(false);
    expect(pending.touch(f, 'FileModified', who, t0)).toBe(true);
    pending.sweep(t0 + 100, false);
    expect(rows).toHaveLength(0);
    pending.sweep(t0 + SETTLE + 10, false);
    expect(summary()).toEqual([['FileCreated', 'a.sh', undefined]]);
    // Writes the kernel folded: still changing at the first look, settled at the second.
    write(f, 'two', t0 + 4000);
    pending.sweep(t0 + SETTLE + FOLD + 20, false);
    expect(rows).toHaveLength(1);
    pending.sweep(t0 + 4000 + FOLD + 1, false);
    expect(summary()).toEqual([
      ['FileCreated', 'a.sh', undefined],
      ['FileModified', 'a.sh', undefined],
    ]);
    expect(rows[1]?.timeMs).toBe(Math.floor(statSync(f).mtimeMs));
    expect(pending.stats.trailingRows).toBe(1);
    expect(pending.size).toBe(0);
  });

  it('reports no trailing row when the file did not change after its row', () => {
    const { dir, rows, pending } = setup();
    const f = join(dir, 'b.sh');
    const t0 = Date.now();
    write(f, 'one', t0 - 2000);
    pending.touch(f, 'FileModified', who, t0);
    pending.sweep(t0 + SETTLE + 10, false);
    pending.sweep(t0 + SETTLE + FOLD + 20, false);
    expect(rows.map((r) => r.action)).toEqual(['FileModified']);
    expect(pending.size).toBe(0);
  });

  it('reports folded writes before a rename, hashing the new path; a delete ends the watch', () => {
    const { dir, pending, summary } = setup();
    const f = reportedThenRewritten(dir, pending, 'c.sh');
    const g = join(dir, 'd.sh');
    const t0 = Date.now();
    renameSync(f, g);
    pending.release(f, g);
    expect(summary()).toEqual([
      ['FileCreated', 'c.sh', undefined],
      ['FileModified', 'c.sh', 'd.sh'],
    ]);
    const h = join(dir, 'e.sh');
    write(h, 'x', t0 - 2000);
    pending.touch(h, 'FileCreated', who, t0);
    pending.sweep(t0 + SETTLE + 10, false);
    unlinkSync(h);
    pending.release(h);
    expect(pending.stats.foldedIntoDelete).toBe(1);
    expect(pending.size).toBe(0);
  });

  it('reports folded writes before a rename from the stat taken on arrival, when the target is gone by then', () => {
    const { dir, rows, pending, summary } = setup();
    const f = reportedThenRewritten(dir, pending, 'r.sh');
    const g = join(dir, 'renamed-r.sh');
    renameSync(f, g);
    const onArrival = statSync(g);
    unlinkSync(g);
    pending.release(f, g, onArrival);
    expect(summary()).toEqual([
      ['FileCreated', 'r.sh', undefined],
      ['FileModified', 'r.sh', 'renamed-r.sh'],
    ]);
    expect(rows[1]?.stats).toBe(onArrival);
  });

  it('waits while the file keeps changing, and never holds more than its cap', () => {
    const { dir, rows, pending } = setup();
    const f = join(dir, 'busy.sh');
    const t0 = Date.now();
    write(f, 'one', t0 + 400);
    pending.touch(f, 'FileModified', who, t0);
    pending.sweep(t0 + SETTLE + 10, false);
    expect(rows).toHaveLength(0);
    // Still changing at the first look: the next look is settleMs later.
    pending.sweep(t0 + 2 * SETTLE, false);
    expect(rows).toHaveLength(0);
    pending.sweep(t0 + 2 * SETTLE + 10, false);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.stats?.mtimeMs).toBe(statSync(f).mtimeMs);
    const small = new FilePending(SETTLE, 10 * SETTLE, FOLD, 2, () => undefined);
    for (const n of ['1', '2', '3']) small.touch(join(dir, n), 'FileCreated', who, t0);
    expect(small.stats.forcedEarly).toBe(1);
  });

  it('looks at a file rewritten for seconds a few times, after longer waits, without holding back other paths', () => {
    const { dir, rows, pending, summary } = setup();
    const busy = join(dir, 'busy.sh');
    const calm = join(dir, 'calm.sh');
    const t0 = Date.now();
    write(busy, 'w', t0);
    pending.touch(busy, 'FileCreated', who, t0, t0);
    // Rewritten every 100 ms for 3 s, swept every 50 ms (as the sensor does).
    for (let t = t0; t <= t0 + 3000; t += 50) {
      if (t % 100 === t0 % 100) write(busy, `w${t}`, t);
      if (t === t0 + 1100) {
        write(calm, 'c', t0 - 5000);
        pending.touch(calm, 'FileCreated', who, t, t);
      }
      pending.sweep(t, false);
      // The calm file settles at its first look, 500 ms after its touch, though busy.sh waits in a later queue.
      if (t === t0 + 1550) expect(summary()).toEqual([]);
      if (t === t0 + 1600) expect(summary()).toEqual([['FileCreated', 'calm.sh', undefined]]);
    }
    // busy.sh was looked at 500 ms, 1 s and 2 s after its touch (each found it changing), calm.sh once; at 4 s
    // busy.sh has settled.
    expect(pending.stats.settleChecks).toBe(4);
    pending.sweep(t0 + 3999, false);
    expect(rows).toHaveLength(1);
    pending.sweep(t0 + 4000, false);
    expect(summary()).toEqual([
      ['FileCreated', 'calm.sh', undefined],
      ['FileCreated', 'busy.sh', undefined],
    ]);
    expect(pending.stats.settleChecks).toBe(5);
  });

  it('reports a file that never stops changing at the first look past maxPendingMs', () => {
    const { dir, rows, pending } = setup();
    const f = join(dir, 'log.sh');
    const t0 = Date.now();
    pending.touch(f, 'FileModified', who, t0, t0);
    const looks: number[] = [];
    for (let t = t0; t <= t0 + 8000 && rows.length === 0; t += 50) {
      write(f, `x${t}`, t);
      const before = pending.stats.settleChecks;
      pending.sweep(t, false);
      if (pending.stats.settleChecks > before) looks.push(t - t0);
    }
    expect(looks).toEqual([500, 1000, 2000, 4000, 6000]);
    expect(rows).toHaveLength(1);
  });

  it('beyond maxEntries, handles the oldest path still waiting (or watched) first, skipping those gone since', () => {
    const { dir } = setup();
    const t0 = Date.now();
    const rows: FileRowRequest[] = [];
    const small = new FilePending(SETTLE, 10 * SETTLE, FOLD, 3, (r) => rows.push(r));
    const path = (n: string) => join(dir, n);
    for (const n of ['a', 'b', 'c']) small.touch(path(n), 'FileCreated', who, t0, t0);
    small.release(path('b')); // deleted: its row now, and no longer waiting
    small.touch(path('d'), 'FileCreated', who, t0, t0);
    small.touch(path('e'), 'FileCreated', who, t0, t0); // full: 'a', the oldest, goes
    small.touch(path('f'), 'FileCreated', who, t0, t0); // then 'c' ('b' is gone)
    expect(rows.map((r) => basename(r.path))).toEqual(['b', 'a', 'c']);
    expect(small.stats.forcedEarly).toBe(2);
    // Many more: always the oldest, never a path twice or one that waits no more.
    for (let i = 0; i < 5000; i++) small.touch(path(`n${i}`), 'FileCreated', who, t0, t0);
    const forced = rows.slice(3).map((r) => basename(r.path));
    expect(forced.slice(0, 4)).toEqual(['d', 'e', 'f', 'n0']);
    expect(new Set(forced).size).toBe(forced.length);
    expect(forced.at(-1)).toBe('n4996');
  });

  it("with the source's settle looks, reports what they found and looks itself only when one is overdue", () => {
    const { dir, rows, pending, summary } = setup();
    const BACKSTOP = 14 * SETTLE + 1000;
    pending.lookedBySource(BACKSTOP);
    const t0 = Date.now();
    const path = (n: string) => join(dir, n);
    const hashes = { sha1: 'a'.repeat(40), sha256: 'b'.repeat(64), md5: 'c'.repeat(32), fileSize: 3 };
    const file = (mtimeMs: number) => ({ mtimeMs, size: 3, hashes, hashable: true });
    const look = (what: 'settled' | 'changed' | 'quiet', n: string, mtimeMs?: number) =>
      pending.looked(
        { kind: 'look', ns: 0n, what, path: path(n), file: mtimeMs === undefined ? undefined : file(mtimeMs) },
        t0 + SETTLE,
      );
    for (const n of ['a.sh', 'b.sh', 'c.sh', 'late.sh']) {
      write(path(n), 'one', t0 - 2000);
      pending.touch(path(n), 'FileCreated', who, t0, t0);
    }
    // Its own schedule passes without a look: the source looks.
    pending.sweep(t0 + 4 * SETTLE, false);
    expect(rows).toEqual([]);
    expect(pending.nextDueMs()).toBe(t0 + SETTLE + BACKSTOP);
    look('settled', 'a.sh', t0 - 2000);
    look('settled', 'b.sh', t0 - 2000);
    look('settled', 'c.sh'); // gone when looked at: a row without a watch
    look('settled', 'other.sh', t0); // not waiting here: nothing
    expect(summary()).toEqual([
      ['FileCreated', 'a.sh', undefined],
      ['FileCreated', 'b.sh', undefined],
      ['FileCreated', 'c.sh', undefined],
    ]);
    expect(rows[0]?.looked?.hashes).toEqual(hashes);
    expect(rows[2]?.looked).toBeUndefined();
    expect(pending.stats.sourceLooks).toBe(3);
    // Watched: the source says whether folded writes changed them when they stop.
    pending.sweep(t0 + SETTLE + FOLD + 10, false);
    expect(rows).toHaveLength(3);
    look('changed', 'a.sh', t0 + 3000.5);
    look('quiet', 'b.sh');
    expect(summary().slice(3)).toEqual([['FileModified', 'a.sh', undefined]]);
    expect(rows[3]?.timeMs).toBe(t0 + 3000);
    expect(rows[3]?.looked?.mtimeMs).toBe(t0 + 3000.5);
    // A settled look at a path already reported (its write-open reached the source after the source's look):
    // a row when the content moved, and the watch goes on.
    pending.touch(path('a.sh'), 'FileModified', who, t0, t0);
    pending.looked({ kind: 'look', ns: 0n, what: 'settled', path: path('a.sh'), file: file(t0) }, t0);
    pending.looked({ kind: 'look', ns: 0n, what: 'settled', path: path('a.sh'), file: file(t0) }, t0);
    pending.looked({ kind: 'look', ns: 0n, what: 'settled', path: path('a.sh'), file: file(t0 + 1) }, t0);
    expect(summary().slice(4)).toEqual([
      ['FileModified', 'a.sh', undefined],
      ['FileModified', 'a.sh', undefined],
    ]);
    // The look of 'late.sh' never came (the source restarted): this object looks at it itself, late.
    pending.sweep(t0 + SETTLE + BACKSTOP - 1, false);
    expect(rows).toHaveLength(6);
    pending.sweep(t0 + SETTLE + BACKSTOP, false);
    expect(summary().slice(6)).toEqual([['FileCreated', 'late.sh', undefined]]);
    expect(rows[6]?.stats?.mtimeMs).toBe(statSync(path('late.sh')).mtimeMs);
  });
});
