import { spawn } from 'node:child_process';
import { BootClock, ProcessTree } from '@vigil/sensors';
import { describe, expect, it } from 'vitest';
import type { AgentContext } from './agent-context.js';
import { FileHasher } from './file-hasher.js';
import { hashedInitiator, InitiatorCache } from './initiator.js';
import { readBootTimeMs, readExe } from './proc-fs.js';
import { UserNames } from './user-names.js';

function context(): AgentContext {
  return {
    tree: new ProcessTree(),
    clock: new BootClock(readBootTimeMs()),
    users: new UserNames(),
    hasher: new FileHasher(),
    // Initiators never send rows.
    telemetry: undefined as never,
    log: () => undefined,
    procPollMs: 100,
    lateInitiatorMs: 1300,
  };
}

describe('InitiatorCache', () => {
  it('reads a process once per (pid, start time, exec count), keeps at most maxEntries, hashes its image once', async () => {
    const cache = new InitiatorCache(context(), 2);
    const me = cache.get(process.pid, 1n, 1);
    expect(me.who.from).toBe('proc');
    expect(me.who.proc?.pid).toBe(process.pid);
    expect(cache.get(process.pid, 1n, 1)).toBe(me);
    expect(cache.misses).toBe(1);
    // An exec (new exec count) or a reused pid (new start time) is another process image.
    expect(cache.get(process.pid, 1n, 2)).not.toBe(me);
    cache.get(process.pid, 2n, 1);
    expect(cache.misses).toBe(3);
    // Each part of the key on its own makes another entry (the last answer is not taken for it).
    cache.get(process.pid, 3n, 1);
    cache.get(process.ppid, 3n, 1);
    cache.get(process.ppid, 3n, 2);
    expect(cache.misses).toBe(6);
    expect(cache.get(process.pid, 1n, 1)).not.toBe(me);
    const hashed = await hashedInitiator(context(), me);
    expect(hashed.proc?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(hashedInitiator(context(), me)).toBe(hashed);
  }, 60_000);

  it('gives the hashed initiator at once when its images are small or known, without a promise', async () => {
    // sleep's image is small (hashed on the spot); its parent, this node, is large (streamed, so awaited once).
    const child = spawn('sleep', ['30']);
    try {
      const ctx = context();
      await ctx.hasher.hash(process.execPath);
      const cache = new InitiatorCache(ctx);
      // Until the child has exec'd sleep, /proc shows node's image.
      for (let i = 0; i < 100 && !/sleep$/.test(readExe(child.pid as number) ?? ''); i++)
        await new Promise((r) => setTimeout(r, 50));
      const c = cache.get(child.pid as number, 1n, 1);
      expect(c.who.proc?.path).toMatch(/sleep$/);
      const hashed = hashedInitiator(ctx, c);
      expect(hashed).not.toBeInstanceOf(Promise);
      expect((hashed as Awaited<typeof hashed>).proc?.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect((hashed as Awaited<typeof hashed>).parent?.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(hashedInitiator(ctx, c)).toBe(hashed);
    } finally {
      child.kill();
    }
  }, 60_000);
});
