import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { BootClock, fileEvent, ProcessTree } from '@vigil/sensors';
import { describe, expect, it } from 'vitest';
import type { AgentContext } from './agent-context.js';
import { type FilePartEvent, SharedPart } from './ebpf-parts.js';
import { FileHasher } from './file-hasher.js';
import { FileSensor, normalAbsolute } from './file-sensor.js';
import { readBootTimeMs } from './proc-fs.js';
import { Spool } from './spool.js';
import { Telemetry } from './telemetry.js';
import { UserNames } from './user-names.js';

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

describe('FileSensor', () => {
  it('handles an event that comes while only watched paths wait, not when the first of them is due', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-file-sensor-'));
    const spool = new Spool(join(dir, 'spool'), { maxBytes: 1 << 20, batchMaxRows: 100 }, 't');
    const ctx: AgentContext = {
      tree: new ProcessTree(),
      clock: new BootClock(readBootTimeMs()),
      users: new UserNames(),
      hasher: new FileHasher(),
      telemetry: new Telemetry(spool, () => undefined),
      log: () => undefined,
      procPollMs: 100,
      lateInitiatorMs: 300,
    };
    const work = join(dir, 'work');
    const sensor = new FileSensor(ctx, [work], 100, 60_000);
    const part = new SharedPart<FilePartEvent>('file', {
      restarts: 0,
      ordered: true,
      partStopped: async () => undefined,
    });
    expect(await sensor.start(part)).toBe(true);
    const caller = () => ({ ns: process.hrtime.bigint(), pid: process.pid, startNs: 1n, execId: 1 });
    const create = (name: string) => {
      const path = join(work, name);
      writeFileSync(path, '#!/bin/sh\n');
      part.deliver(fileEvent('open', caller(), -100, path, { flags: 0o1101, created: true, ino: 1 }));
    };
    const until = async (rows: number, ms: number) => {
      const end = Date.now() + ms;
      while (sensor.stats.rows < rows && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      return sensor.stats.rows;
    };
    mkdirSync(work);
    create('a.sh');
    expect(await until(1, 10_000)).toBe(1);
    // a.sh is now watched for folded writes for a minute: the next file's row does not wait for that.
    create('b.sh');
    expect(await until(2, 10_000)).toBe(2);
    await sensor.stop();
    spool.close();
  });
});
