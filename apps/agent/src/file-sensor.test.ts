import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalAbsolute } from './file-sensor.js';

describe('normalAbsolute', () => {
  it('is posix.normalize for absolute paths', () => {
    const parts = ['', '.', '..', '...', '.x', '..x', 'x.', 'a', 'b.sh'];
    const paths: string[] = [];
    for (const a of parts) {
      paths.push(`/${a}`);
      for (const b of parts) {
        paths.push(`/${a}/${b}`);
        for (const c of parts) paths.push(`/${a}/${b}/${c}`);
      }
    }
    for (const p of paths) expect(normalAbsolute(p), p).toBe(posix.normalize(p));
  });
});
