import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';

/** SHA-1, SHA-256 and MD5 of a file, with its size. */
export interface FileHashes {
  readonly sha1: string;
  readonly sha256: string;
  readonly md5: string;
  readonly fileSize: number;
}

/** Hashes files once per (device, inode, mtime, size): a binary that runs a thousand times is read once. */
export class FileHasher {
  private readonly cache = new Map<string, Promise<FileHashes | undefined>>();
  hashed = 0;

  constructor(private readonly maxEntries = 20_000) {}

  /** Hashes of the file at path, or undefined when it cannot be read. */
  hash(path: string): Promise<FileHashes | undefined> {
    if (!path.startsWith('/')) return Promise.resolve(undefined);
    let key: string;
    let size: number;
    try {
      const s = statSync(path);
      if (!s.isFile()) return Promise.resolve(undefined);
      key = `${s.dev}:${s.ino}:${s.mtimeMs}:${s.size}`;
      size = s.size;
    } catch {
      return Promise.resolve(undefined);
    }
    let p = this.cache.get(key);
    if (!p) {
      if (this.cache.size >= this.maxEntries) this.cache.delete(this.cache.keys().next().value as string);
      p = this.compute(path, size);
      this.cache.set(key, p);
    }
    return p;
  }

  private compute(path: string, fileSize: number): Promise<FileHashes | undefined> {
    this.hashed++;
    return new Promise((resolve) => {
      const sha1 = createHash('sha1');
      const sha256 = createHash('sha256');
      const md5 = createHash('md5');
      createReadStream(path)
        .on('data', (chunk) => {
          sha1.update(chunk);
          sha256.update(chunk);
          md5.update(chunk);
        })
        .on('error', () => resolve(undefined))
        .on('end', () =>
          resolve({ sha1: sha1.digest('hex'), sha256: sha256.digest('hex'), md5: md5.digest('hex'), fileSize }),
        );
    });
  }
}
