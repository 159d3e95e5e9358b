import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, truncateSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { join } from 'node:path';

/** A batch's key and row count. */
export interface JournalBatch {
  readonly key: string;
  readonly rows: number;
}

/** Accepted batches in one folder of the journal, loaded into the database in one transaction. */
export interface JournalSegment {
  readonly dir: string;
  readonly batches: readonly JournalBatch[];
  readonly rows: number;
  readonly bytes: number;
  /** The NDJSON file of each table. */
  readonly files: ReadonlyMap<string, string>;
}

/** The segment batches are appended to. */
interface ActiveSegment {
  readonly dir: string;
  readonly manifest: FileHandle;
  readonly handles: Map<string, FileHandle>;
  /** Bytes of each table's file that the manifest covers. */
  readonly lengths: Map<string, number>;
  readonly batches: JournalBatch[];
  rows: number;
}

/** One line of a segment's manifest: a group of batches appended together, and each table's length after it. */
interface ManifestLine {
  readonly batches: readonly JournalBatch[];
  readonly ends: Readonly<Record<string, number>>;
}

const MANIFEST = 'batches.ndjson';
const SEGMENT = /^seg-(\d+)$/;

/**
 * The ingest journal of one store: accepted batches are appended to NDJSON files per table and made durable
 * (data synced before the manifest line that covers it), so that a batch is acknowledged without waiting for the
 * database, and the database gets them in bulk loads of many batches. Folder layout: `seg-N/<Table>.ndjson` and
 * `seg-N/batches.ndjson`, one manifest line per appended group. Bytes past the manifest's last line (a crash in
 * the middle of an append) are cut off when the journal is opened.
 *
 * Appends, and sealing, must not overlap (the store runs them one at a time).
 */
export class IngestJournal {
  private active: ActiveSegment | undefined;
  private readonly sealed: JournalSegment[] = [];
  private readonly keys = new Set<string>();
  private nextSegment: number;
  /** Rows and bytes appended and not loaded yet. */
  pendingRows = 0;
  pendingBytes = 0;

  private constructor(
    private readonly dir: string,
    recovered: JournalSegment[],
    nextSegment: number,
  ) {
    this.nextSegment = nextSegment;
    for (const s of recovered) this.track(s);
  }

  /** Opens the journal folder; segments left by an earlier run come back sealed, in order, their torn tails cut. */
  static open(dir: string): IngestJournal {
    mkdirSync(dir, { recursive: true });
    const numbers = readdirSync(dir)
      .map((name) => SEGMENT.exec(name)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    const recovered: JournalSegment[] = [];
    for (const n of numbers) {
      const segment = recoverSegment(join(dir, `seg-${n}`));
      if (segment) recovered.push(segment);
    }
    return new IngestJournal(dir, recovered, (numbers.at(-1) ?? 0) + 1);
  }

  private track(s: JournalSegment): void {
    this.sealed.push(s);
    for (const b of s.batches) this.keys.add(b.key);
    this.pendingRows += s.rows;
    this.pendingBytes += s.bytes;
  }

  /** Sealed segments, not loaded yet (oldest first). */
  get waiting(): readonly JournalSegment[] {
    return this.sealed;
  }

  /** Rows in the segment being appended to (not sealed for a load yet). */
  get activeRows(): number {
    return this.active?.rows ?? 0;
  }

  /** Whether a batch with this key is in the journal (accepted and not loaded yet). */
  has(key: string): boolean {
    return this.keys.has(key);
  }

  /**
   * Appends a group of batches (their keys and row counts, and each table's NDJSON pieces) and makes it durable.
   * On failure nothing of the group counts: the files are cut back to what the manifest covers.
   */
  async append(batches: readonly JournalBatch[], tables: ReadonlyMap<string, readonly Uint8Array[]>): Promise<void> {
    const seg = this.active ?? (await this.create());
    const before = new Map(seg.lengths);
    try {
      let created = false;
      const written: FileHandle[] = [];
      for (const [table, parts] of tables) {
        let handle = seg.handles.get(table);
        if (!handle) {
          handle = await open(join(seg.dir, `${table}.ndjson`), 'a');
          seg.handles.set(table, handle);
          created = true;
        }
        let size = 0;
        for (const part of parts) {
          await writeAll(handle, part);
          size += part.length;
        }
        seg.lengths.set(table, (seg.lengths.get(table) ?? 0) + size);
        this.pendingBytes += size;
        written.push(handle);
      }
      await Promise.all(written.map((h) => h.datasync()));
      if (created) await syncDir(seg.dir);
      const line: ManifestLine = { batches, ends: Object.fromEntries(seg.lengths) };
      await writeAll(seg.manifest, Buffer.from(`${JSON.stringify(line)}\n`));
      await seg.manifest.datasync();
    } catch (e) {
      for (const [table, length] of seg.lengths) {
        const was = before.get(table) ?? 0;
        if (length === was) continue;
        this.pendingBytes -= length - was;
        await seg.handles.get(table)?.truncate(was);
      }
      seg.lengths.clear();
      for (const [t, n] of before) seg.lengths.set(t, n);
      throw e;
    }
    const rows = batches.reduce((n, b) => n + b.rows, 0);
    seg.batches.push(...batches);
    seg.rows += rows;
    for (const b of batches) this.keys.add(b.key);
    this.pendingRows += rows;
  }

  private async create(): Promise<ActiveSegment> {
    const dir = join(this.dir, `seg-${this.nextSegment++}`);
    mkdirSync(dir);
    await syncDir(this.dir);
    const manifest = await open(join(dir, MANIFEST), 'a');
    await syncDir(dir);
    this.active = { dir, manifest, handles: new Map(), lengths: new Map(), batches: [], rows: 0 };
    return this.active;
  }

  /** Closes the segment being appended to; returns every segment waiting to be loaded, oldest first. */
  async seal(): Promise<readonly JournalSegment[]> {
    const seg = this.active;
    if (seg) {
      this.active = undefined;
      await Promise.all([seg.manifest, ...seg.handles.values()].map((h) => h.close()));
      if (seg.batches.length === 0) rmSync(seg.dir, { recursive: true, force: true });
      else {
        const files = new Map([...seg.lengths.keys()].map((t) => [t, join(seg.dir, `${t}.ndjson`)]));
        const bytes = [...seg.lengths.values()].reduce((a, b) => a + b, 0);
        this.sealed.push({ dir: seg.dir, batches: seg.batches, rows: seg.rows, bytes, files });
      }
    }
    return [...this.sealed];
  }

  /** Forgets a segment whose batches are in the database (or were before), and deletes its folder. */
  done(segment: JournalSegment): void {
    const i = this.sealed.indexOf(segment);
    if (i < 0) return;
    this.sealed.splice(i, 1);
    for (const b of segment.batches) this.keys.delete(b.key);
    this.pendingRows -= segment.rows;
    this.pendingBytes -= segment.bytes;
    rmSync(segment.dir, { recursive: true, force: true });
  }

  /** Closes the open segment's files (what it holds stays for the next open). */
  async close(): Promise<void> {
    await this.seal();
  }
}

/** Reads a segment left by an earlier run: its manifest's complete lines, and its files cut to what they cover. */
function recoverSegment(dir: string): JournalSegment | undefined {
  let text = '';
  try {
    text = readFileSync(join(dir, MANIFEST), 'utf8');
  } catch {
    // no manifest: the segment was created and nothing was appended
  }
  const batches: JournalBatch[] = [];
  let ends: Readonly<Record<string, number>> = {};
  // Only lines ending in a newline are complete; a torn last line is dropped with the data it would cover.
  for (const line of text.split('\n').slice(0, -1)) {
    let m: ManifestLine;
    try {
      m = JSON.parse(line) as ManifestLine;
    } catch {
      break;
    }
    batches.push(...m.batches);
    ends = m.ends;
  }
  if (batches.length === 0) {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  const files = new Map<string, string>();
  for (const name of readdirSync(dir)) {
    if (name === MANIFEST) continue;
    const file = join(dir, name);
    const table = name.replace(/\.ndjson$/, '');
    const end = ends[table];
    if (end === undefined) {
      rmSync(file, { force: true });
      continue;
    }
    const size = statSync(file).size;
    if (size < end) {
      throw new Error(`ingest journal ${file} is ${size} bytes, shorter than the ${end} its manifest covers`);
    }
    if (size > end) truncateSync(file, end);
    files.set(table, file);
  }
  for (const table of Object.keys(ends)) {
    if (!files.has(table)) throw new Error(`ingest journal ${dir} lacks ${table}.ndjson, which its manifest covers`);
  }
  const bytes = Object.values(ends).reduce((a, b) => a + b, 0);
  const rows = batches.reduce((n, b) => n + b.rows, 0);
  return { dir, batches, rows, bytes, files };
}

/** Writes all of `bytes` at the end of a file opened for appending. */
async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  for (let at = 0; at < bytes.length; ) {
    const { bytesWritten } = await handle.write(bytes, at, bytes.length - at);
    at += bytesWritten;
  }
}

/** Makes a folder's new entries durable. */
async function syncDir(dir: string): Promise<void> {
  const h = await open(dir, 'r');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}
