import { readSync } from 'node:fs';

/**
 * Reads a file's first `length` bytes (at most) into buf from its start, on until the end of the file: one read may
 * return fewer bytes than asked. Returns the number of bytes read.
 */
export function readFully(fd: number, buf: Buffer, length: number): number {
  let n = 0;
  for (let r = 1; n < length && r > 0; n += r) r = readSync(fd, buf, n, length - n, n);
  return n;
}
