import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeCollectorRecord } from '@vigil/sensors';
import { describe, expect, it } from 'vitest';
import { buildCollector } from './collector.js';
import { type FileStats, SCRIPT_EXTENSIONS } from './file-sensor.js';
import { replayCapture } from './replay.js';
import { ownStartNs, spooledRows, tempDirs } from './test-support.js';

const tmp = tempDirs('vigil-file-rows-');

/** A file record of this process: the common header, the kind's fields, then the path bytes. */
function fileRecord(kind: 'o' | 'd' | 'r', ns: bigint, paths: Buffer[], o: { created?: boolean; dfd?: number } = {}) {
  const strings = Buffer.concat(paths);
  const fields = (b: Buffer) => {
    b.writeUInt32LE(7, 20); // exec count
    b.writeBigUInt64LE(ownStartNs(), 24);
    b.writeInt32LE(o.dfd ?? -100, 32);
    if (kind === 'o') {
      b.writeUInt32LE(o.created ? 0x241 : 0x201, 36);
      b[48] = o.created ? 1 : 0;
      b.writeUInt16LE(strings.length, 50);
    } else if (kind === 'd') b.writeUInt16LE(strings.length, 36);
    else {
      b.writeInt32LE(-100, 36);
      b.writeUInt16LE(paths[0]?.length ?? 0, 40);
      b.writeUInt16LE(paths[1]?.length ?? 0, 42);
    }
  };
  return encodeCollectorRecord(kind, ns, process.pid, fields, kind === 'o' ? 52 : kind === 'd' ? 40 : 44, strings);
}

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

describe('vigil-collector --file-rows', () => {
  it("makes the rows the agent's file sensor makes from the same records (--replay), odd names and large files included", async () => {
    const build = await buildCollector(tmp(), () => undefined);
    if (!('path' in build)) return; // no clang, bpftool or libbpf-dev here: collector.test.ts says why
    const features = spawnSync(build.path, ['--features'], { encoding: 'utf8' }).stdout;
    if (!features.includes('file-rows')) return; // built without libcrypto: the agent makes the rows
    const dir = tmp();
    const outside = tmp();
    const at = (name: string | Buffer) => Buffer.concat([Buffer.from(`${dir}/`), Buffer.from(name)]);
    // The files as they are once the capture's events happened.
    const big = Buffer.alloc(2 * 1024 * 1024 + 3, 0x41);
    big.write('#!/bin/sh\n');
    writeFileSync(join(dir, 'a.sh'), '#!/bin/sh\necho a\n');
    writeFileSync(join(dir, 'plain.txt'), 'plain text\n');
    writeFileSync(join(dir, 'b.py'), 'print(1)\n');
    writeFileSync(join(dir, 'big.bin'), big, { mode: 0o755 });
    const weird = 'q"uo\\te\x01\n.sh';
    writeFileSync(join(dir, weird), 'weird\n');
    writeFileSync(join(dir, 'café.sh'), 'café\n');
    const invalid = Buffer.from([0x66, 0xff, 0xc3, 0x28, 0x2e, 0x74, 0x78, 0x74]); // f, bad bytes, .txt
    writeFileSync(Buffer.concat([at(invalid)]), 'bytes\n');
    writeFileSync(join(dir, 'final.sh'), '#!/bin/sh\necho final\n');
    writeFileSync(join(dir, 'rel.sh'), 'relative\n');
    writeFileSync(join(dir, 'y.sh'), 'moved in\n');
    const dfd = openSync(dir, 'r'); // relative paths are resolved against /proc/PID/fd/DFD
    try {
      let ns = 1000n;
      const next = () => (ns += 1000n);
      const capture = Buffer.concat([
        fileRecord('o', next(), [at('a.sh')], { created: true }),
        fileRecord('o', next(), [at('a.sh')]),
        fileRecord('o', next(), [at('plain.txt')], { created: true }),
        fileRecord('o', next(), [at('b.py')]),
        fileRecord('o', next(), [at('b.py')], { created: true }), // FileCreated wins
        fileRecord('o', next(), [at('big.bin')], { created: true }),
        fileRecord('o', next(), [at(weird)], { created: true }),
        fileRecord('o', next(), [at('café.sh')], { created: true }),
        fileRecord('o', next(), [at(invalid)], { created: true }),
        fileRecord('o', next(), [at('tmp.sh')], { created: true }),
        fileRecord('r', next(), [at('tmp.sh'), at('final.sh')]),
        fileRecord('o', next(), [at('gone.sh')], { created: true }),
        fileRecord('d', next(), [at('gone.sh')]),
        fileRecord('d', next(), [at('never.sh')]),
        fileRecord('o', next(), [Buffer.from('rel.sh')], { created: true, dfd }),
        fileRecord('o', next(), [Buffer.from(`${outside}/x.sh`)], { created: true }),
        fileRecord('r', next(), [Buffer.from(`${outside}/y.sh`), at('y.sh')]),
      ]);
      const captureFile = join(tmp(), 'capture.bin');
      writeFileSync(captureFile, capture);

      // The agent's own file path: it resolves, settles and hashes (the long settle leaves every written file for
      // the delete, rename or end of the replay to report, as the collector's replay does).
      const agentSpool = tmp();
      const agent = await replayCapture(capture, { spoolDir: agentSpool, watchPaths: [dir], settleMs: 60_000 });
      // The collector's: its rows, replayed through the agent, which adds each row's writer.
      const made = spawnSync(
        build.path,
        [
          ...['--replay', captureFile, '--file-rows', '--settle-ms', '60000', '--watch', `${dir}/`],
          ...['--script-ext', SCRIPT_EXTENSIONS.join(',')],
        ],
        { maxBuffer: 64 << 20 },
      );
      expect(made.stderr.toString()).toBe('');
      expect(made.status).toBe(0);
      const collectorSpool = tmp();
      const collector = await replayCapture(made.stdout, { spoolDir: collectorSpool, watchPaths: [dir] });

      expect(agent.invalidRows + collector.invalidRows).toBe(0);
      expect(collector.files).toMatchObject({ sourceRows: 14, rows: 14, pendingPaths: 0 });
      // The collector's counters ('T' records) are the sensor's own.
      const counted = ({
        events,
        merged,
        hashed,
        outsideWatch,
        unresolved,
        trailingRows,
        foldedIntoDelete,
      }: FileStats) => ({ events, merged, hashed, outsideWatch, unresolved, trailingRows, foldedIntoDelete });
      expect(counted(collector.files)).toEqual(counted(agent.files));
      expect(counted(agent.files)).toMatchObject({ events: 16, merged: 2, outsideWatch: 1 });
      const rows = spooledRows(collectorSpool, 'DeviceFileEvents');
      expect(rows).toEqual(spooledRows(agentSpool, 'DeviceFileEvents'));
      const row = (action: string, name: string) =>
        rows.find((r) => r.ActionType === action && r.FolderPath === join(dir, name));
      expect(rows.map((r) => `${r.ActionType} ${String(r.FileName)}`).sort()).toEqual(
        [
          'FileCreated a.sh',
          'FileCreated plain.txt',
          'FileCreated b.py',
          'FileCreated big.bin',
          `FileCreated ${weird}`,
          'FileCreated café.sh',
          'FileCreated f\ufffd\ufffd(.txt',
          'FileCreated tmp.sh',
          'FileRenamed final.sh',
          'FileCreated gone.sh',
          'FileDeleted gone.sh',
          'FileDeleted never.sh',
          'FileCreated rel.sh',
          'FileRenamed y.sh',
        ].sort(),
      );
      expect(row('FileCreated', 'a.sh')).toMatchObject({ SHA256: sha256('#!/bin/sh\necho a\n'), FileSize: 17 });
      expect(row('FileCreated', 'plain.txt')?.SHA256).toBeUndefined();
      expect(row('FileCreated', 'big.bin')).toMatchObject({ SHA256: sha256(big), FileSize: big.length });
      expect(row('FileCreated', weird)?.SHA256).toBe(sha256('weird\n'));
      // A file renamed before its row is hashed where it went; the rename's row carries those hashes too.
      expect(row('FileCreated', 'tmp.sh')?.SHA256).toBe(sha256('#!/bin/sh\necho final\n'));
      expect(row('FileRenamed', 'final.sh')).toMatchObject({
        SHA256: sha256('#!/bin/sh\necho final\n'),
        PreviousFolderPath: join(dir, 'tmp.sh'),
        PreviousFileName: 'tmp.sh',
      });
      expect(row('FileRenamed', 'y.sh')).toMatchObject({ PreviousFolderPath: `${outside}/y.sh` });
      expect(row('FileDeleted', 'gone.sh')?.SHA256).toBeUndefined();
      expect(row('FileCreated', 'rel.sh')?.SHA256).toBe(sha256('relative\n'));
      expect(row('FileCreated', 'a.sh')).toMatchObject({
        RequestProtocol: 'Local',
        InitiatingProcessId: process.pid,
        AdditionalFields: '{"source":"ebpf","initiatorFrom":"proc"}',
      });
    } finally {
      closeSync(dfd);
    }
  }, 180_000);
});
