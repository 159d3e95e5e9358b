import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeCollectorRecord } from '@vigil/sensors';
import { describe, expect, it } from 'vitest';
import { buildCollector, COLLECTOR_POLL_MS } from './collector.js';
import { type ReplayResult, replayCapture } from './replay.js';
import { ownStartNs, spooledRows, tempDirs } from './test-support.js';

const tmp = tempDirs('vigil-process-rows-');

/** Pids no process can have (beyond the kernel's largest pid_max): /proc knows none of them. */
const PID = 4_200_000;

interface Exec {
  pid: number;
  parent: number;
  filename: string;
  /** The image's name as the kernel knows it (default: the real path's base name). */
  name?: string;
  argv: string[];
  /** Bytes of arguments the process had, when more than the record copied. */
  argsLen?: number;
  /** The image whose identity the record carries (default: the file name's). */
  image?: string;
  /** Added to the identity's mtime nanoseconds (an image changed since). */
  mtimeSkew?: number;
}

/** An exec record ('E'): the header, the fixed part with the image's identity, then file name, name and arguments. */
function execRecord(ns: bigint, e: Exec, startNs: bigint): Buffer {
  const filename = Buffer.from(e.filename);
  const image = e.image ?? e.filename;
  const name = Buffer.from(e.name ?? image.slice(image.lastIndexOf('/') + 1));
  const args = Buffer.from(e.argv.map((a) => `${a}\0`).join(''));
  const st = statSync(image.startsWith('/') ? image : `/usr/bin/${image}`, { bigint: true });
  const fields = (b: Buffer) => {
    b.writeUInt32LE(e.parent, 20);
    b.writeUInt32LE(process.getuid?.() ?? 0, 24);
    b.writeUInt32LE(e.argsLen ?? args.length, 28);
    b.writeBigUInt64LE(startNs, 32);
    b.writeUInt16LE(filename.length, 40);
    b.writeUInt16LE(name.length, 42);
    b.writeUInt16LE(args.length, 44);
    b.writeBigUInt64LE(st.ino, 48);
    b.writeBigUInt64LE(st.size, 56);
    b.writeBigInt64LE(st.mtimeNs / 1_000_000_000n, 64);
    b.writeUInt32LE(Number(st.mtimeNs % 1_000_000_000n) + (e.mtimeSkew ?? 0), 72);
    b.writeUInt32LE(Number(st.dev), 76);
    b.writeBigInt64LE(st.ctimeNs / 1_000_000_000n, 80);
    b.writeUInt32LE(Number(st.ctimeNs % 1_000_000_000n), 88);
  };
  return encodeCollectorRecord('E', ns, e.pid, fields, 96, Buffer.concat([filename, name, args]));
}

const forkRecord = (ns: bigint, parent: number, child: number, startNs: bigint) =>
  encodeCollectorRecord(
    'F',
    ns,
    parent,
    (b) => {
      b.writeUInt32LE(child, 20);
      b.writeBigUInt64LE(startNs, 24);
    },
    32,
  );

const exitRecord = (ns: bigint, pid: number) => encodeCollectorRecord('X', ns, pid, () => undefined, 24);

/** The pids of a collector output's 'P' records. */
function leafPids(out: Buffer): number[] {
  const pids: number[] = [];
  for (let at = 0; at + 24 <= out.length; at += out.readUInt32LE(at))
    if (out[at + 4] === 'P'.charCodeAt(0)) pids.push(out.readUInt32LE(at + 16));
  return pids;
}

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

describe('vigil-collector --process-rows', () => {
  it("makes the rows of leaf processes the agent's process sensor makes from the same records (--replay)", async () => {
    const build = await buildCollector(tmp(), () => undefined);
    if (!('path' in build)) return; // no clang, bpftool or libbpf-dev here: collector.test.ts says why
    const features = spawnSync(build.path, ['--features'], { encoding: 'utf8' }).stdout;
    if (!features.includes('process-rows')) return; // built without libcrypto: the agent makes the rows
    const dir = tmp();
    const script = join(dir, 'img.sh');
    writeFileSync(script, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    symlinkSync(script, join(dir, 'link'));
    const big = join(dir, 'big.bin');
    writeFileSync(big, Buffer.alloc(1024 * 1024 + 1, 0x41));
    chmodSync(big, 0o755);
    const me = process.pid;
    const start = ownStartNs();
    let ns = 1_000_000_000n;
    const next = (gap = 1000n) => (ns += gap);
    const exec = (e: Exec) => execRecord(next(), e, start + BigInt(e.pid - PID + 1) * 1_000_000n);
    const pid = (i: number) => PID + i;
    const odd = ['true', 'a b', 'q"x', 'back\\slash', '', 'tab\there', 'ctl\x01', '"'];
    const capture = Buffer.concat([
      // A leaf whose fork folds into its exec, with arguments to quote and escape.
      forkRecord(next(), me, pid(1), start + 2_000_000n),
      exec({ pid: pid(1), parent: 0, filename: '/bin/true', argv: odd }),
      exitRecord(next(), pid(1)),
      // A parent (it forks: no leaf) and its leaf child, whose grandparent is this process.
      exec({ pid: pid(2), parent: me, filename: '/usr/bin/env', argv: ['env', 'true'] }),
      forkRecord(next(), pid(2), pid(3), start + 4_000_000n),
      exec({ pid: pid(3), parent: pid(2), filename: '/usr/bin/true', argv: ['true'] }),
      exitRecord(next(), pid(3)),
      exitRecord(next(), pid(2)),
      // Two images in one process: the second is the leaf.
      exec({ pid: pid(4), parent: me, filename: '/usr/bin/env', argv: ['env', 'true'] }),
      exec({ pid: pid(4), parent: me, filename: '/usr/bin/true', argv: ['true'] }),
      exitRecord(next(), pid(4)),
      // Still running at the end.
      exec({ pid: pid(5), parent: me, filename: '/bin/true', argv: ['true', 'running'] }),
      // Cut arguments, an argument beyond ASCII, a relative file name: the agent's own.
      exec({ pid: pid(6), parent: me, filename: '/bin/true', argv: ['true', 'cut'], argsLen: 5000 }),
      exitRecord(next(), pid(6)),
      exec({ pid: pid(7), parent: me, filename: '/bin/true', argv: ['true', 'café'] }),
      exitRecord(next(), pid(7)),
      exec({ pid: pid(8), parent: me, filename: 'true', image: '/usr/bin/true', argv: ['true'] }),
      exitRecord(next(), pid(8)),
      // An image over 1 MiB, one changed since its exec, a name the real path does not end in: the agent's own.
      exec({ pid: pid(9), parent: me, filename: big, argv: [big] }),
      exitRecord(next(), pid(9)),
      exec({ pid: pid(10), parent: me, filename: '/bin/true', argv: ['true'], mtimeSkew: 1 }),
      exitRecord(next(), pid(10)),
      exec({ pid: pid(11), parent: me, filename: join(dir, 'link'), name: 'other', image: script, argv: ['x'] }),
      exitRecord(next(), pid(11)),
      // A symlink to a script: a leaf; no arguments at all: a leaf without a command line.
      exec({ pid: pid(12), parent: me, filename: join(dir, 'link'), image: script, argv: ['link', '-x'] }),
      exitRecord(next(), pid(12)),
      exec({ pid: pid(13), parent: me, filename: '/bin/true', argv: [] }),
      exitRecord(next(), pid(13)),
      // Its exit comes a round later: no leaf.
      exec({ pid: pid(14), parent: me, filename: '/bin/true', argv: ['true', 'slow'] }),
      exitRecord(next(BigInt(COLLECTOR_POLL_MS) * 2_000_000n), pid(14)),
    ]);
    const captureFile = join(tmp(), 'capture.bin');
    writeFileSync(captureFile, capture);
    const replay = async (
      rows: boolean,
    ): Promise<{ out: Buffer; result: ReplayResult; rows: Record<string, unknown>[] }> => {
      const made = spawnSync(
        build.path,
        ['--replay', captureFile, '--poll-ms', String(COLLECTOR_POLL_MS), ...(rows ? ['--process-rows'] : [])],
        { maxBuffer: 64 << 20 },
      );
      expect(made.stderr.toString()).toBe('');
      expect(made.status).toBe(0);
      const spoolDir = tmp();
      const result = await replayCapture(made.stdout, { spoolDir, watchPaths: [] });
      expect(result.invalidRows).toBe(0);
      return { out: made.stdout, result, rows: spooledRows(spoolDir, 'DeviceProcessEvents') };
    };
    // The agent's own process path (the collector folds the same forks), then the collector's leaf rows.
    const agent = await replay(false);
    const collector = await replay(true);
    expect(leafPids(agent.out)).toEqual([]);
    expect(leafPids(collector.out).sort()).toEqual([1, 3, 4, 12, 13].map(pid));
    expect(collector.result.process).toEqual({ ...agent.result.process, leafRows: 5 });
    expect(agent.result.process).toMatchObject({ execs: 15, exits: 13, unknownParent: 0, leafRows: 0 });
    expect(collector.rows).toEqual(agent.rows);
    expect(collector.rows).toHaveLength(15);

    const row = (p: number, file = 'true') => collector.rows.find((r) => r.ProcessId === p && r.FileName === file);
    expect(row(pid(1))).toMatchObject({
      FolderPath: '/usr/bin/true',
      SHA256: sha256(readFileSync('/usr/bin/true')),
      FileSize: statSync('/usr/bin/true').size,
      ProcessCommandLine: 'true "a b" "q\\"x" back\\slash "" "tab\there" ctl\x01 "\\""',
      InitiatingProcessId: me,
      AdditionalFields: `{"source":"ebpf","commandLineFrom":"event","Uid":${process.getuid?.() ?? 0}}`,
    });
    expect(row(pid(3))).toMatchObject({ InitiatingProcessId: pid(2), InitiatingProcessParentId: me });
    expect(row(pid(12), 'img.sh')).toMatchObject({ FolderPath: script, ProcessCommandLine: 'link -x' });
    expect(row(pid(13))?.ProcessCommandLine).toBeUndefined();
  }, 180_000);
});
