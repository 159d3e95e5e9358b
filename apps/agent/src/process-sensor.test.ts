import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BootClock, type ProcessInfo, ProcessTree, processCreatedRow, type SensorRow } from '@vigil/sensors';
import { afterEach, describe, expect, it } from 'vitest';
import { FileHasher } from './file-hasher.js';
import { readBootTimeMs } from './proc-fs.js';
import { ProcessSensor } from './process-sensor.js';
import { Spool } from './spool.js';
import { Telemetry } from './telemetry.js';
import { UserNames } from './user-names.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('ProcessSensor', () => {
  it("gives the children a parent starts while its large image is hashed one wait, and the parent's hashes", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-psensor-'));
    dirs.push(dir);
    // Larger than what the hasher reads at once: it is streamed, so the first children's rows wait for it.
    const image = join(dir, 'big-shell');
    const bytes = randomBytes(3 * 1024 * 1024);
    writeFileSync(image, bytes);
    const hasher = new FileHasher();
    const lookups: string[] = [];
    const hashNow = hasher.hashNow.bind(hasher);
    hasher.hashNow = (path, stats) => {
      lookups.push(path);
      return hashNow(path, stats);
    };
    const telemetry = new Telemetry(
      new Spool(join(dir, 'spool'), { maxBytes: 1 << 20, batchMaxRows: 100 }, 'test'),
      () => undefined,
    );
    const rows: SensorRow[] = [];
    telemetry.emitProcessRow = (time, proc, par, grandparent, notes) => {
      rows.push(processCreatedRow(time, proc, par, grandparent, notes));
    };
    const tree = new ProcessTree();
    const parent: ProcessInfo = {
      pid: 4_000_000,
      ppid: 1,
      startTicks: 10,
      creationTime: '2026-11-30T01:00:00.000Z',
      path: image,
      commandLine: 'big-shell -c loop',
      uid: 0,
      accountName: 'root',
    };
    tree.set(parent);
    const sensor = new ProcessSensor('ebpf', tree, new BootClock(readBootTimeMs()), new UserNames(), hasher, telemetry);
    for (let i = 1; i <= 20; i++)
      sensor.onExec({
        pid: 4_000_000 + i,
        ppid: parent.pid,
        uid: 0,
        startTicks: 10 + i,
        filename: '/bin/true',
        argv: ['true'],
      });
    await sensor.settle();

    expect(rows).toHaveLength(20);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    for (const row of rows)
      expect(row).toMatchObject({
        InitiatingProcessSHA256: sha256,
        InitiatingProcessFileSize: bytes.length,
        InitiatingProcessCommandLine: 'big-shell -c loop',
        InitiatingProcessUniqueId: `${parent.pid}-10`,
      });
    // One look at the parent's image for all of them, and the parent's entry has its hashes now.
    expect(lookups.filter((p) => p === image)).toHaveLength(1);
    expect(tree.get(parent.pid)?.sha256).toBe(sha256);
  });
});
