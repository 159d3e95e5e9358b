import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createTransport } from './transport.js';

/** A stand-in for the server's ingest route: acknowledges every batch and counts them. */
const received: string[] = [];
const server = createServer((req, res) => {
  received.push(String(req.headers['x-batch-id']));
  req.resume().on('end', () => res.end('{"status":"stored"}'));
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const until = async (what: () => boolean) => {
  for (let i = 0; i < 1000 && !what(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(what()).toBe(true);
};
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('createTransport', () => {
  it('flushes and seals while the open segment holds rows, and is not woken while it is empty', async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const t = createTransport(
      mkdtempSync(join(tmpdir(), 'vigil-transport-')),
      { deviceId: 'd', deviceSecret: 's', tenant: 'default' } as never,
      {
        server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        spoolMaxBytes: 1 << 20,
        batchMaxRows: 1000,
        batchMaxAgeMs: 60,
        flushMs: 20,
        backoffBaseMs: 10,
        backoffMaxMs: 100,
        log: () => {},
      },
    );
    const flush = vi.spyOn(t.spool, 'flush');
    // Idle from the start: no flush.
    await pause(200);
    expect(flush).not.toHaveBeenCalled();
    for (const round of [1, 2]) {
      t.telemetry.emit([{ Table: 'VigilRawEvents', Source: 'test', EventType: `round ${round}` }]);
      // Flushed, then sealed once old enough, then sent.
      await until(() => received.length === round);
      expect(flush.mock.calls.length).toBeGreaterThan(0);
      expect(t.spool.openRows).toBe(0);
      flush.mockClear();
      await pause(200);
      expect(flush).not.toHaveBeenCalled();
    }
    await t.close();
  });
});
