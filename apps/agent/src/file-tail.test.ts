import { appendFileSync, mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileTail, lineSplitter } from './file-tail.js';

const until = async (what: () => boolean) => {
  for (let i = 0; i < 1000 && !what(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(what()).toBe(true);
};

describe('FileTail', () => {
  it('reads appended lines when the file changes, and follows a rotation', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'vigil-tail-')), 'auth.log');
    writeFileSync(file, 'old line\n');
    const lines: string[] = [];
    // The poll is an hour apart: what arrives comes through the watch.
    const tail = new FileTail(
      file,
      lineSplitter((l) => lines.push(l)),
      { intervalMs: 3_600_000 },
    );
    appendFileSync(file, 'one\n');
    await until(() => lines.length === 1);
    appendFileSync(file, 'two\nthr');
    appendFileSync(file, 'ee\n');
    await until(() => lines.length === 3);
    expect(lines).toEqual(['one', 'two', 'three']);

    // Rotated: the next poll reads the new file from its start and watches it.
    renameSync(file, `${file}.1`);
    writeFileSync(file, 'four\n');
    tail.poll();
    expect(lines.at(-1)).toBe('four');
    // The old file's watch has had its say (its rename event); only a watch of the new file sees what follows.
    await new Promise((r) => setTimeout(r, 200));
    appendFileSync(file, 'five\n');
    await until(() => lines.length === 5);
    expect(lines.at(-1)).toBe('five');
    tail.stop();
  });
});
