import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, renameSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FileIdentity } from '@vigil/sensors';
import { describe, expect, it } from 'vitest';
import { FileHasher } from './file-hasher.js';

const hex = (algo: string, b: Buffer) => createHash(algo).update(b).digest('hex');

/** The identity the collector sends with an exec, read here with a stat. */
function identityOf(path: string): FileIdentity {
  const s = statSync(path, { bigint: true });
  return {
    dev: Number(s.dev),
    ino: Number(s.ino),
    size: Number(s.size),
    mtimeSec: Number(s.mtimeNs / 1_000_000_000n),
    mtimeNsec: Number(s.mtimeNs % 1_000_000_000n),
    ctimeSec: Number(s.ctimeNs / 1_000_000_000n),
    ctimeNsec: Number(s.ctimeNs % 1_000_000_000n),
  };
}

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
    // A path that cannot be looked at (a file used as a folder: ENOTDIR) has no hashes; it does not throw.
    expect(hasher.hashNow(join(dir, 'f0', 'x'))).toBeUndefined();
    expect(hasher.hashImage(join(dir, 'f0', 'x'), identityOf(join(dir, 'f0')))).toBeUndefined();
  });

  it('finds an image by the identity the kernel gave, and keeps a hash under an identity only when the file has it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-hasher-'));
    const hasher = new FileHasher();
    const a = join(dir, 'a');
    const b = join(dir, 'b');
    writeFileSync(a, 'first');
    writeFileSync(b, 'other');
    const idA = identityOf(a);
    expect(hasher.hashImage(a, idA)).toMatchObject({ sha1: hex('sha1', Buffer.from('first')) });
    // Replaced by another file: an exec of the old image (its identity) is answered from the cache, without a stat;
    // the new file has an identity of its own.
    writeFileSync(join(dir, 'new'), 'second');
    renameSync(join(dir, 'new'), a);
    expect(hasher.hashImage(a, idA)).toMatchObject({ sha1: hex('sha1', Buffer.from('first')) });
    expect(hasher.hashImage(a, identityOf(a))).toMatchObject({ sha1: hex('sha1', Buffer.from('second')) });
    // The last image's answer is for that identity only: any other field is another image.
    for (const field of ['ino', 'dev', 'mtimeSec', 'mtimeNsec', 'ctimeSec', 'ctimeNsec', 'size'] as const) {
      expect(hasher.hashImage(a, idA), field).toMatchObject({ sha1: hex('sha1', Buffer.from('first')) });
      const other = { ...idA, [field]: idA[field] + 1 };
      expect(hasher.hashImage(a, other), field).toMatchObject({ sha1: hex('sha1', Buffer.from('second')) });
    }
    // An identity that is not the file's at the path (b is another inode): b is hashed, not kept under that identity.
    const stale = { ...identityOf(b), ino: identityOf(b).ino + 1_000_000 };
    expect(hasher.hashImage(b, stale)).toMatchObject({ sha1: hex('sha1', Buffer.from('other')) });
    expect(hasher.hashImage(a, stale)).toMatchObject({ sha1: hex('sha1', Buffer.from('second')) });
    expect(hasher.hashImage(join(dir, 'missing'), stale)).toBeUndefined();
  });

  it('hashes again a file rewritten in place to the same size and given its old mtime back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-hasher-'));
    const hasher = new FileHasher();
    const path = join(dir, 'tool');
    writeFileSync(path, 'benign!');
    const mtime = 1_700_000_000; // whole seconds: set back exactly
    utimesSync(path, mtime, mtime);
    const id = identityOf(path);
    expect(hasher.hashNow(path)).toMatchObject({ sha1: hex('sha1', Buffer.from('benign!')) });
    expect(hasher.hashImage(path, id)).toMatchObject({ sha1: hex('sha1', Buffer.from('benign!')) });
    // Same inode, same size, the old mtime set back: only the ctime (which utimes itself moves) tells.
    await new Promise((r) => setTimeout(r, 20));
    writeFileSync(path, 'evil!!!');
    utimesSync(path, mtime, mtime);
    const after = identityOf(path);
    expect({ ...after, ctimeSec: 0, ctimeNsec: 0 }).toEqual({ ...id, ctimeSec: 0, ctimeNsec: 0 });
    expect(hasher.hashNow(path)).toMatchObject({ sha1: hex('sha1', Buffer.from('evil!!!')) });
    expect(hasher.hashImage(path, after)).toMatchObject({ sha1: hex('sha1', Buffer.from('evil!!!')) });
  });
});
