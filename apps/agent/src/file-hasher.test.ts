import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileHasher } from './file-hasher.js';

const hex = (algo: string, b: Buffer) => createHash(algo).update(b).digest('hex');

describe('FileHasher', () => {
  it('hashes small files at once and large ones in chunks, with the same digests as one pass', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-hasher-'));
    const hasher = new FileHasher();
    for (const size of [0, 1000, 1024 * 1024, 3 * 1024 * 1024 + 17]) {
      const data = randomBytes(size);
      const path = join(dir, `f${size}`);
      writeFileSync(path, data);
      const now = hasher.hashNow(path);
      // Up to 1 MiB the answer is there at once; beyond, it is a promise.
      expect(now instanceof Promise).toBe(size > 1024 * 1024);
      expect(await hasher.hash(path)).toEqual({
        sha1: hex('sha1', data),
        sha256: hex('sha256', data),
        md5: hex('md5', data),
        fileSize: size,
      });
    }
    expect(hasher.hashed).toBe(4);
    expect(await hasher.hash(join(dir, 'missing'))).toBeUndefined();
  });
});
