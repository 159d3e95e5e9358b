import { BootClock, ProcessTree } from '@vigil/sensors';
import { describe, expect, it } from 'vitest';
import type { AgentContext } from './agent-context.js';
import { FileHasher } from './file-hasher.js';
import { hashedInitiator, InitiatorCache } from './initiator.js';
import { readBootTimeMs } from './proc-fs.js';
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
});
