import { createHash, hash } from 'node:crypto';
import { closeSync, openSync, readFileSync, readSync, type Stats } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import type { FileIdentity } from '@vigil/sensors';
import { BoundedMap } from './bounded-map.js';
import { statOf } from './stat-of.js';

/** SHA-1, SHA-256 and MD5 of a file, with its size. */
export interface FileHashes {
  readonly sha1: string;
  readonly sha256: string;
  readonly md5: string;
  readonly fileSize: number;
}

/** Files up to this size are read and hashed at once; larger ones are streamed, a few at a time. */
const SYNC_MAX_BYTES = 1024 * 1024;
/** Chunk read at a time from a larger file. */
const STREAM_CHUNK_BYTES = 1024 * 1024;

type Cached = FileHashes | Promise<FileHashes | undefined> | undefined;

/** The hashes of a small file's bytes (one-shot digests: no Hash object each). */
function digest(data: Buffer, fileSize: number): FileHashes {
  return {
    sha1: hash('sha1', data, 'hex'),
    sha256: hash('sha256', data, 'hex'),
    md5: hash('md5', data, 'hex'),
    fileSize,
  };
}

/**
 * Hashes files once per (device, inode, size, mtime, ctime): a binary that runs a thousand times is read once. The
 * ctime is in the key because the mtime alone can be set back (`touch -d`): a binary rewritten in place to the same
 * size with its old mtime would otherwise keep its old hashes, and escape hash indicators. Small files
 * are hashed on the spot; large ones are streamed with at most `maxStreams` at a time (the others wait in a queue,
 * which holds closures, not file data), so memory stays bounded however many files change at once.
 */
export class FileHasher {
  private readonly cache: BoundedMap<string, Cached>;
  private readonly waiting: (() => void)[] = [];
  private streams = 0;
  /** The hashes of the last image found under its identity. */
  private lastImage: { readonly id: FileIdentity; readonly hashes: FileHashes } | undefined;
  /** Room for a small file and one byte more (to see that it grew). */
  private readonly small = Buffer.allocUnsafe(SYNC_MAX_BYTES + 1);
  hashed = 0;

  constructor(
    maxEntries = 20_000,
    private readonly maxStreams = 2,
  ) {
    this.cache = new BoundedMap(maxEntries);
  }

  /** Hashes of the file at path, or undefined when it cannot be read. */
  hash(path: string, stats?: Stats): Promise<FileHashes | undefined> {
    const h = this.hashNow(path, stats);
    return h instanceof Promise ? h : Promise.resolve(h);
  }

  /** Like hash(), without a promise when the answer is known now (cached, small file, unreadable). */
  hashNow(path: string, stats?: Stats): Cached {
    if (!path.startsWith('/')) return undefined;
    const s = stats ?? statOf(path);
    if (!s?.isFile()) return undefined;
    const key = `${s.dev}:${s.ino}:${s.mtimeMs}:${s.ctimeMs}:${s.size}`;
    if (this.cache.has(key)) return this.cache.get(key);
    return this.put(key, this.compute(path, s.size));
  }

  /**
   * Like hashNow(), for an executable whose identity the kernel gave with its exec: a known image is found without
   * a stat. An image not known yet is hashed at its path, and kept under its identity only when the file found
   * there has it (a path that names another file by now is hashed as itself).
   */
  hashImage(path: string, id: FileIdentity): Cached {
    // A loop runs one image thousands of times: the last image's answer first, without building its key.
    const last = this.lastImage;
    if (
      last !== undefined &&
      last.id.ino === id.ino &&
      last.id.dev === id.dev &&
      last.id.mtimeSec === id.mtimeSec &&
      last.id.mtimeNsec === id.mtimeNsec &&
      last.id.ctimeSec === id.ctimeSec &&
      last.id.ctimeNsec === id.ctimeNsec &&
      last.id.size === id.size
    )
      return last.hashes;
    const key = `i:${id.dev}:${id.ino}:${id.mtimeSec}:${id.mtimeNsec}:${id.ctimeSec}:${id.ctimeNsec}:${id.size}`;
    const known = this.cache.get(key);
    if (known !== undefined && !(known instanceof Promise)) this.lastImage = { id, hashes: known };
    if (known !== undefined) return known;
    const s = path.startsWith('/') ? statOf(path) : undefined;
    if (!s?.isFile()) return undefined;
    const h = this.hashNow(path, s);
    // Stats.mtimeMs is sec * 1e3 + nsec / 1e6, computed so by Node: equal for the same mtime (and ctime).
    const same =
      s.dev === id.dev &&
      s.ino === id.ino &&
      s.size === id.size &&
      s.mtimeMs === id.mtimeSec * 1e3 + id.mtimeNsec / 1e6 &&
      s.ctimeMs === id.ctimeSec * 1e3 + id.ctimeNsec / 1e6;
    return same && h !== undefined ? this.put(key, h) : h;
  }

  /** Caches an answer (a promise is replaced by its value once known); the least used leave beyond maxEntries. */
  private put(key: string, h: Cached): Cached {
    this.cache.set(key, h);
    if (h instanceof Promise) void h.then((v) => this.cache.get(key) === h && this.cache.set(key, v));
    return h;
  }

  /**
   * A small file's bytes, read into a buffer kept for it (no allocation per file); a file grown past it is read whole.
   * A short read once `size` bytes (its stat) are in is the end of the file: no second read to see 0 bytes.
   */
  private readSmall(path: string, size: number): Buffer {
    const buf = this.small;
    const fd = openSync(path, 'r');
    try {
      let n = 0;
      for (;;) {
        const want = buf.length - n;
        const r = readSync(fd, buf, n, want, n);
        n += r;
        if (r === 0 || n >= buf.length || (r < want && n >= size)) break;
      }
      return n < buf.length ? buf.subarray(0, n) : readFileSync(path);
    } finally {
      closeSync(fd);
    }
  }

  private compute(path: string, fileSize: number): Cached {
    this.hashed++;
    if (fileSize <= SYNC_MAX_BYTES) {
      try {
        return digest(this.readSmall(path, fileSize), fileSize);
      } catch {
        return undefined;
      }
    }
    return new Promise<void>((go) => {
      if (this.streams < this.maxStreams) go();
      else this.waiting.push(go);
    }).then(() => {
      this.streams++;
      return this.stream(path, fileSize).finally(() => {
        this.streams--;
        this.waiting.shift()?.();
      });
    });
  }

  /**
   * Reads a large file through one buffer reused for all its chunks: a read stream allocates a new 64 KiB buffer per
   * chunk, so hashing a 100 MB binary left 100 MB of garbage buffers, which V8 frees late (tens of MB of RSS).
   */
  private async stream(path: string, fileSize: number): Promise<FileHashes | undefined> {
    let file: FileHandle | undefined;
    try {
      file = await open(path, 'r');
      const buf = Buffer.allocUnsafe(STREAM_CHUNK_BYTES);
      const sha1 = createHash('sha1');
      const sha256 = createHash('sha256');
      const md5 = createHash('md5');
      for (let pos = 0; ; ) {
        const { bytesRead } = await file.read(buf, 0, buf.length, pos);
        if (bytesRead === 0) break;
        const chunk = buf.subarray(0, bytesRead);
        sha1.update(chunk);
        sha256.update(chunk);
        md5.update(chunk);
        pos += bytesRead;
      }
      return { sha1: sha1.digest('hex'), sha256: sha256.digest('hex'), md5: md5.digest('hex'), fileSize };
    } catch {
      return undefined;
    } finally {
      await file?.close();
    }
  }
}
