// File helpers shared by the benchmarks.
import { closeSync, fsyncSync, openSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Writes the dirty pages of a file, or of every file under a folder, to disk, so that the write-back of one phase of
 * a benchmark does not slow down the timed part of the next one.
 */
export function flushToDisk(path) {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return;
  if (st.isDirectory()) {
    for (const name of readdirSync(path)) flushToDisk(join(path, name));
    return;
  }
  if (!st.isFile()) return;
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
