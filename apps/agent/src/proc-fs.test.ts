import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { BootClock, parseProcStat } from '@vigil/sensors';
import { describe, expect, it } from 'vitest';
import { readBootTimeMs, readProcess } from './proc-fs.js';
import { UserNames } from './user-names.js';

describe('readProcess', () => {
  const clock = new BootClock(readBootTimeMs());
  const users = new UserNames();

  it('reads a live process: image, command line, parent and start time', () => {
    const me = readProcess(process.pid, clock, users);
    expect(me).toMatchObject({ pid: process.pid, ppid: process.ppid, path: process.execPath });
    expect(me?.commandLine).toContain(process.argv0);
    expect(me?.startTicks).toBeGreaterThan(0);
  });

  it('takes an exited process that was not reaped (a zombie, PF_EXITING) as gone', async () => {
    // The inner sleep's parent execs into a sleep that never waits for it: it stays a zombie.
    const parent = spawn('bash', ['-c', 'sleep 0.01 & echo $!; exec sleep 5'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const pid = await new Promise<number>((resolve) => parent.stdout.once('data', (b: Buffer) => resolve(Number(b))));
    await new Promise((r) => setTimeout(r, 300));
    try {
      expect(parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.state).toBe('Z');
      expect(readProcess(pid, clock, users)).toBeUndefined();
    } finally {
      parent.kill();
    }
  });

  it('is undefined for a pid that does not exist', () => {
    expect(readProcess(0x3fffffff, clock, users)).toBeUndefined();
  });
});
