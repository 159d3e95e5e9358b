import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { encodeCollectorRecord as record } from '@vigil/sensors';
import { describe, expect, it } from 'vitest';
import { type ReplayResult, replayCapture } from './replay.js';
import { segmentNdjson } from './spool.js';
import { ownStartNs, tempDirs } from './test-support.js';

const tmp = tempDirs('vigil-replay-');

/** The rows a replay wrote into its spool. */
function spooledRows(spoolDir: string): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  for (const f of readdirSync(spoolDir).filter((n) => n.endsWith('.gz')))
    for (const line of segmentNdjson(readFileSync(join(spoolDir, f)))
      .toString()
      .split('\n'))
      if (line) rows.push(JSON.parse(line) as Record<string, unknown>);
  return rows;
}

/**
 * A capture of fork, exec and exit of a child of this process, then this process creating `script` and deleting it;
 * the records `stepNs` apart.
 */
function syntheticCapture(script: string, stepNs: bigint): Buffer {
  const me = process.pid;
  const start = ownStartNs();
  const argv = 'true\0--flag\0';
  /** A file record of this process on `script` (AT_FDCWD): `fill` writes what follows the common header. */
  const fileRecord = (kind: string, ns: bigint, fixedSize: number, fill: (b: Buffer) => void) =>
    record(
      kind,
      ns,
      me,
      (b) => {
        b.writeBigUInt64LE(start, 24);
        b.writeInt32LE(-100, 32);
        fill(b);
      },
      fixedSize,
      script,
    );
  return Buffer.concat([
    record(
      'F',
      1000n,
      me,
      (b) => {
        b.writeUInt32LE(CHILD, 20);
        b.writeBigUInt64LE(start + 5_000_000_000n, 24);
      },
      32,
    ),
    record(
      'E',
      1000n + stepNs,
      CHILD,
      (b) => {
        b.writeUInt32LE(me, 20); // real parent
        b.writeUInt32LE(0, 24); // uid
        b.writeUInt32LE(Buffer.byteLength(argv), 28);
        b.writeBigUInt64LE(start + 5_000_000_000n, 32);
        b.writeUInt16LE('/bin/true'.length, 40);
        b.writeUInt16LE('true'.length, 42);
        b.writeUInt16LE(Buffer.byteLength(argv), 44);
        // no image identity (inode 0): the image is found by its path
      },
      96,
      `/bin/truetrue${argv}`,
    ),
    record('X', 1000n + 2n * stepNs, CHILD, () => undefined, 24),
    fileRecord('o', 1000n + 3n * stepNs, 52, (b) => {
      b.writeUInt32LE(0x241, 36);
      b[48] = 1; // created
      b.writeUInt16LE(script.length, 50);
    }),
    fileRecord('d', 1000n + 4n * stepNs, 40, (b) => b.writeUInt16LE(script.length, 36)),
  ]);
}

/** No such process: found through its fork and exec records only. */
const CHILD = 3_999_999;

/** What a replay of syntheticCapture made: its counters and its rows. */
function expectSyntheticRows(r: ReplayResult, spoolDir: string, script: string): void {
  expect(r).toMatchObject({
    records: 5,
    rows: 3,
    invalidRows: 0,
    rowsByTable: { DeviceProcessEvents: 1, DeviceFileEvents: 2 },
    process: { execs: 1, forks: 1, exits: 1, unknownParent: 0 },
    files: { events: 2, rows: 2, hashed: 1 },
  });
  const rows = spooledRows(spoolDir);
  expect(rows.find((x) => x.Table === 'DeviceProcessEvents')).toMatchObject({
    ActionType: 'ProcessCreated',
    FileName: 'true',
    FolderPath: realpathSync('/bin/true'), // the image's real path (/usr/bin/true where /bin is a link)
    ProcessId: CHILD,
    ProcessCommandLine: 'true --flag',
    InitiatingProcessId: process.pid,
  });
  const sha256 = createHash('sha256').update(readFileSync(script)).digest('hex');
  const created = rows.find((x) => x.ActionType === 'FileCreated');
  expect(created).toMatchObject({ FolderPath: script, FileName: 'run.sh', SHA256: sha256 });
  // The spool refers to a batch's InitiatingProcess* columns once: the deleted file's row carries its hashes.
  expect(rows.find((x) => x.ActionType === 'FileDeleted')).toMatchObject({ FolderPath: script, SHA256: sha256 });
}

function workScript(): string {
  const script = join(tmp(), 'run.sh');
  writeFileSync(script, '#!/bin/sh\necho replayed\n');
  return script;
}

describe('replayCapture', () => {
  it('turns a capture of fork, exec, exit, write and unlink records into the rows the agent sends', async () => {
    const script = workScript();
    const spoolDir = join(tmp(), 'spool');
    // Handed over 7 bytes at a time: records cut across chunks are put together again.
    const r = await replayCapture(syntheticCapture(script, 1000n), {
      spoolDir,
      watchPaths: [dirname(script)],
      chunkBytes: 7,
    });
    expectSyntheticRows(r, spoolDir, script);
  });

  it("gives each drain its own turn of the event loop, as the agent's timers do", async () => {
    const script = workScript();
    const spoolDir = join(tmp(), 'spool');
    // A hash being streamed or a process looked up again completes between drains (else every later row waited on
    // its promise until the whole capture was handled): other callbacks run between the replay's drains.
    let turns = 0;
    let counting = true;
    const turn = () => {
      turns++;
      if (counting) setImmediate(turn);
    };
    setImmediate(turn);
    // About 400 bytes handed over 7 at a time: one drain per chunk, about 57.
    const r = await replayCapture(syntheticCapture(script, 1000n), {
      spoolDir,
      watchPaths: [dirname(script)],
      chunkBytes: 7,
    });
    counting = false;
    expect(turns).toBeGreaterThanOrEqual(40);
    expectSyntheticRows(r, spoolDir, script);
  });

  it('paced, hands the records over in rounds at the pace of their kernel times, and makes the same rows', async () => {
    const script = workScript();
    const spoolDir = join(tmp(), 'spool');
    const t0 = performance.now();
    // Records 300 ms apart: over 1.2 s of kernel time, handed over in seven rounds of 200 ms.
    const r = await replayCapture(syntheticCapture(script, 300_000_000n), {
      spoolDir,
      watchPaths: [dirname(script)],
      paced: true,
    });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(7 * 200 - 50);
    expectSyntheticRows(r, spoolDir, script);
  });

  it('names a capture that is not vigil-collector output, and keeps what came before it', async () => {
    const lines: string[] = [];
    const good = record('X', 1n, 1, () => undefined, 24);
    const r = await replayCapture(Buffer.concat([good, Buffer.from('{"not":"records"}\n'.repeat(4))]), {
      spoolDir: join(tmp(), 'spool'),
      watchPaths: ['/tmp'],
      log: (l) => lines.push(l),
    });
    expect(r.records).toBe(1);
    expect(r.process.exits).toBe(1);
    expect(lines.join('\n')).toMatch(/replay: record of \d+ bytes at offset 24/);
  });

  it("builds file rows from vigil-collector's settle looks: its hashes, the agent's where it had none", async () => {
    const dir = tmp();
    const me = process.pid;
    const start = ownStartNs();
    const files = { 'a.sh': '#!/bin/sh\necho a\n', 'b.sh': '#!/bin/sh\necho b\n', 'c.txt': 'text\n' };
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const open = (ns: bigint, path: string) =>
      record(
        'o',
        ns,
        me,
        (b) => {
          b.writeBigUInt64LE(start, 24);
          b.writeInt32LE(-100, 32);
          b.writeUInt32LE(0x241, 36);
          b[48] = 1;
          b.writeUInt16LE(Buffer.byteLength(path), 50);
        },
        52,
        path,
      );
    /**
     * An 'S' record: flags 1 (stat), 2 (hashable), 4 (hashes: all 0xa1 bytes here, not the file's), with the file's
     * mtime: at the stop, the agent's own look at the watched files finds the same mtime (no FileModified).
     */
    const look = (ns: bigint, path: string, flags: number) =>
      record(
        'S',
        ns,
        4242,
        (b) => {
          const mtimeNs = statSync(path, { bigint: true }).mtimeNs;
          b.writeUInt32LE(1, 20);
          b.writeUInt32LE(flags, 24);
          b.writeUInt16LE(Buffer.byteLength(path), 28);
          b.writeBigUInt64LE(18n, 32);
          b.writeBigInt64LE(mtimeNs / 1_000_000_000n, 40);
          b.writeUInt32LE(Number(mtimeNs % 1_000_000_000n), 48);
          if (flags & 4) b.fill(0xa1, 56, 124);
        },
        124,
        path,
      );
    const capture = Buffer.concat([
      open(1000n, join(dir, 'a.sh')),
      open(1001n, join(dir, 'b.sh')),
      open(1002n, join(dir, 'c.txt')),
      look(600_000_000n, join(dir, 'a.sh'), 1 | 2 | 4),
      look(600_000_001n, join(dir, 'b.sh'), 1 | 2), // a script the collector did not hash (built without libcrypto)
      look(600_000_002n, join(dir, 'c.txt'), 1),
    ]);
    const spoolDir = join(tmp(), 'spool');
    const r = await replayCapture(capture, { spoolDir, watchPaths: [dir] });
    expect(r.files).toMatchObject({ rows: 3, sourceLooks: 3, settleChecks: 0 });
    const rows = spooledRows(spoolDir);
    const sha1 = (name: string) => rows.find((x) => x.FileName === name)?.SHA1;
    expect(sha1('a.sh')).toBe('a1'.repeat(20));
    expect(sha1('b.sh')).toBe(createHash('sha1').update(files['b.sh']).digest('hex'));
    expect(sha1('c.txt')).toBeUndefined();
    expect(rows.map((x) => x.ActionType)).toEqual(['FileCreated', 'FileCreated', 'FileCreated']);
  });
});
