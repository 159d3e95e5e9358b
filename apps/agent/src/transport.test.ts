import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
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

/** Quick timers, against an ingest stand-in at `port`. */
const options = (port: number, log: (line: string) => void = () => {}) => ({
  server: `http://127.0.0.1:${port}`,
  spoolMaxBytes: 1 << 20,
  batchMaxRows: 1000,
  batchMaxAgeMs: 60,
  flushMs: 20,
  backoffBaseMs: 10,
  backoffMaxMs: 100,
  log,
});

describe('createTransport', () => {
  it('flushes and seals while the open segment holds rows, and is not woken while it is empty', async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const t = createTransport(
      mkdtempSync(join(tmpdir(), 'vigil-transport-')),
      { deviceId: 'd', deviceSecret: 's', tenant: 'default' } as never,
      options((server.address() as AddressInfo).port),
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

  // A full disk: a tmpfs of 1 MB, filled (root mounts it; CI runs as root).
  it.skipIf(process.getuid?.() !== 0)(
    'goes on while the disk is full, keeps the rows and writes them once it can, and drops and reports beyond its memory',
    async (ctx) => {
      const dir = mkdtempSync(join(tmpdir(), 'vigil-full-'));
      // Root in a container without CAP_SYS_ADMIN cannot mount: said, and skipped.
      const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { encoding: 'utf8' });
      if (mount.status !== 0) {
        rmSync(dir, { recursive: true, force: true });
        ctx.skip(`cannot mount a tmpfs here: ${mount.stderr.trim()}`);
      }
      const rows: string[] = [];
      const ingest: Server = createServer((req, res) => {
        const parts: Buffer[] = [];
        req.on('data', (d: Buffer) => parts.push(d));
        req.on('end', () => {
          rows.push(...gunzipSync(Buffer.concat(parts)).toString('utf8').trim().split('\n'));
          res.end('{"status":"stored"}');
        });
      });
      await new Promise<void>((r) => ingest.listen(0, '127.0.0.1', () => r()));
      const log: string[] = [];
      const quick = options((ingest.address() as AddressInfo).port, (line) => log.push(line));
      try {
        const t = createTransport(dir, { deviceId: 'd', deviceSecret: 's', tenant: 'default' } as never, quick);
        const filler = join(dir, 'filler');
        expect(() => writeFileSync(filler, Buffer.alloc(2 << 20))).toThrow(/ENOSPC/);
        const emit = (n: number, tag: string) => {
          for (let i = 0; i < n; i++) t.telemetry.emit([{ Table: 'VigilRawEvents', Source: 'test', EventType: tag }]);
        };
        const flushes = vi.spyOn(t.spool, 'flush');
        emit(50, 'while full');
        // Flushes fail for a while (a throw out of the flush timer would fail this test as an uncaught error); after
        // the first, the timer does not compress the rows again before FLUSH_RETRY_MS.
        await pause(300);
        expect(log.some((l) => l.includes('ENOSPC'))).toBe(true);
        expect(flushes).toHaveBeenCalledTimes(1);
        expect(t.spool.openRows).toBe(50);
        expect(rows).toEqual([]);
        rmSync(filler);
        await until(() => rows.length === 50 && t.spool.list().length === 0 && t.spool.openRows === 0);
        expect(rows.every((r) => r.includes('"while full"'))).toBe(true);
        expect(t.telemetry.stats.unwrittenRows).toBe(0);
        await t.close();

        // With room for a few rows in memory only: the rest are dropped, counted, and reported once it can write.
        const small = createTransport(dir, { deviceId: 'd', deviceSecret: 's', tenant: 'default' } as never, {
          ...quick,
          memoryMaxBytes: 2048,
        });
        expect(() => writeFileSync(filler, Buffer.alloc(2 << 20))).toThrow(/ENOSPC/);
        for (let i = 0; i < 100; i++)
          small.telemetry.emit([{ Table: 'VigilRawEvents', Source: 'test', EventType: 'over memory' }]);
        await until(() => small.telemetry.stats.unwrittenRows > 0);
        rmSync(filler);
        await until(() => rows.some((r) => r.includes('"SpoolWriteFailed"')) && small.spool.openRows === 0);
        const report = JSON.parse(rows.find((r) => r.includes('"SpoolWriteFailed"')) as string);
        expect(report.Fields.DroppedRows).toBeGreaterThan(0);
        expect(report.Fields.Error).toMatch(/ENOSPC/);
        const kept = rows.filter((r) => r.includes('"over memory"')).length;
        expect(kept + small.telemetry.stats.unwrittenRows).toBe(100);
        await small.close();
      } finally {
        await new Promise<void>((r) => ingest.close(() => r()));
        spawnSync('umount', [dir]);
        rmSync(dir, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
