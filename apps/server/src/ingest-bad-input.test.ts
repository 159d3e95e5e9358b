import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, processRow, startHarness } from './test-support/harness.js';

// Every kind of bad batch gets a clear error naming what and where, and the store stays exactly as it was.
describe('ingest bad input', () => {
  let h: Harness;
  let secret: string;
  const stored = () => h.count('default', 'SELECT count(*) FROM DeviceProcessEvents');

  beforeAll(async () => {
    h = await startHarness();
    secret = (await h.enroll('default')).deviceSecret;
    expect((await h.ingest(secret, 'good-1', [processRow(1), processRow(2)])).status).toBe(200);
  });
  afterAll(() => h.stop());

  const good = processRow(10);
  const cases: [string, () => Buffer | string[], number, string, { line?: number; field?: string }][] = [
    ['truncated gzip', () => gzipSync(Buffer.from(`${good}\n${good}\n`)).subarray(0, 20), 400, 'INGEST_BAD_GZIP', {}],
    [
      'an invalid JSON line',
      () => [good, '{"Table": "DeviceProcessEvents", "FileName": ', good],
      400,
      'INGEST_INVALID_JSON',
      { line: 2 },
    ],
    ['a row that is not an object', () => [good, '[1,2]'], 400, 'INGEST_NOT_OBJECT', { line: 2 }],
    [
      'an unknown table',
      () => [good, good, processRow(3, { Table: 'DeviceProcesEvents' })],
      400,
      'INGEST_UNKNOWN_TABLE',
      { line: 3, field: 'Table' },
    ],
    [
      'an unknown column',
      () => [processRow(3, { ProcessCommandLin: 'x' })],
      400,
      'INGEST_UNKNOWN_COLUMN',
      { line: 1, field: 'ProcessCommandLin' },
    ],
    [
      'a wrong type',
      () => [good, processRow(3, { ProcessId: 'abc' })],
      400,
      'INGEST_WRONG_TYPE',
      { line: 2, field: 'ProcessId' },
    ],
    [
      'a bad datetime',
      () => [processRow(3, { Timestamp: '2026-13-45T99:00:00Z' })],
      400,
      'INGEST_WRONG_TYPE',
      { line: 1, field: 'Timestamp' },
    ],
    [
      'a missing Timestamp',
      () => [processRow(3, { Timestamp: null })],
      400,
      'INGEST_MISSING_TIME',
      { line: 1, field: 'Timestamp' },
    ],
    [
      'a 10 MB field',
      () => [good, processRow(3, { ProcessCommandLine: 'A'.repeat(10 * 1024 * 1024) })],
      400,
      'INGEST_FIELD_TOO_LARGE',
      { line: 2, field: 'ProcessCommandLine' },
    ],
    [
      'a server-only table',
      () => [JSON.stringify({ Table: 'AlertInfo', Timestamp: '2026-11-01T00:00:00Z', AlertId: 'x' })],
      400,
      'INGEST_TABLE_NOT_WRITABLE',
      { line: 1, field: 'Table' },
    ],
  ];

  it.each(cases)('rejects %s and stores nothing', async (name, body, status, code, where) => {
    const id = `bad-${name.replaceAll(/[^a-z0-9]+/gi, '-')}`;
    const before = await stored();
    const payload = body();
    const r = await h.ingest(
      secret,
      id,
      Buffer.isBuffer(payload) ? payload : gzipSync(Buffer.from(payload.join('\n'))),
    );
    expect(r.status).toBe(status);
    expect(r.json.error.code).toBe(code);
    expect(r.json.error.message.length).toBeGreaterThan(10);
    if (where.line !== undefined) expect(r.json.error.line).toBe(where.line);
    if (where.field !== undefined) expect(r.json.error.field).toBe(where.field);
    expect(await stored()).toBe(before);
    // The same batch id is still free: the rejected batch left no trace.
    const retry = await h.ingest(secret, id, [processRow(99)]);
    expect(retry.json.status).toBe('stored');
  });

  it('suggests the closest table and column', async () => {
    const r = await h.ingest(secret, 'hint-1', [processRow(3, { Table: 'DeviceProcesEvents' })]);
    expect(r.json.error.hint).toContain('DeviceProcessEvents');
    const c = await h.ingest(secret, 'hint-2', [processRow(3, { ProcessCommandLin: 'x' })]);
    expect(c.json.error.hint).toContain('ProcessCommandLine');
  });

  it('reports several problems at once', async () => {
    const r = await h.ingest(secret, 'multi', [processRow(1, { ProcessId: 'x' }), processRow(2, { Foo: 1 })]);
    expect(r.json.error.details.map((d: { location: { line: number } }) => d.location.line)).toEqual([1, 2]);
  });

  it('rejects a missing or malformed batch id', async () => {
    const before = await stored();
    const r = await h.ingest(secret, 'bad id with spaces', [good]);
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe('INGEST_BAD_BATCH_ID');
    expect(await stored()).toBe(before);
  });

  it('acknowledges a batch id seen before without storing it again', async () => {
    const before = await stored();
    const first = await h.ingest(secret, 'dup-1', [processRow(5), processRow(6)]);
    const again = await h.ingest(secret, 'dup-1', [processRow(5), processRow(6)]);
    expect(first.json.status).toBe('stored');
    expect(again.status).toBe(200);
    expect(again.json.status).toBe('duplicate');
    expect(await stored()).toBe(before + 2);
  });

  describe('credentials', () => {
    const before = () => stored();

    it('rejects an unknown token', async () => {
      const n = await before();
      const fake = `vgd_default_${'0'.repeat(40)}_${'a'.repeat(64)}`;
      const r = await h.ingest(fake, 'c1', [good]);
      expect(r.status).toBe(401);
      expect(r.json.error.code).toBe('AUTH_INVALID');
      expect((await h.ingest('garbage', 'c1', [good])).status).toBe(401);
      expect((await h.ingest(`vgd_nosuchtenant_${'0'.repeat(40)}_${'a'.repeat(64)}`, 'c1', [good])).status).toBe(401);
      expect(await stored()).toBe(n);
    });

    it('rejects a revoked (offboarded) device', async () => {
      const d = await h.enroll('default', 'to-offboard');
      const session = await h.login('default', 'admin', h.adminPassword);
      expect((await h.ingest(d.deviceSecret, 'r1', [good])).status).toBe(200);
      const n = await stored();
      expect((await h.call('POST', `/api/machines/${d.deviceId}/offboard`, session)).json.onboardingStatus).toBe(
        'Offboarded',
      );
      const r = await h.ingest(d.deviceSecret, 'r2', [good]);
      expect(r.status).toBe(401);
      expect(r.json.error.message).toContain('offboarded');
      expect(await stored()).toBe(n);
    });

    it('rejects an expired or revoked enrollment token, and one with no uses left', async () => {
      const t = await h.server.data.tenant('default');
      const expiring = await t.service.createEnrollToken({ expiresInHours: 1 / 3_600_000 });
      await new Promise((r) => setTimeout(r, 20));
      const e = await h.call('POST', '/api/agent/enroll', undefined, { token: expiring.token, hostname: 'x' });
      expect(e.status).toBe(401);
      expect(e.json.error.message).toContain('expired');

      const revoked = await t.service.createEnrollToken({});
      const session = await h.login('default', 'admin', h.adminPassword);
      expect((await h.call('DELETE', `/api/enrollment-tokens/${revoked.record.id}`, session)).status).toBe(204);
      const rv = await h.call('POST', '/api/agent/enroll', undefined, { token: revoked.token, hostname: 'x' });
      expect(rv.status).toBe(401);
      expect(rv.json.error.message).toContain('revoked');

      const once = await t.service.createEnrollToken({ maxUses: 1 });
      expect((await h.call('POST', '/api/agent/enroll', undefined, { token: once.token, hostname: 'a' })).status).toBe(
        201,
      );
      const second = await h.call('POST', '/api/agent/enroll', undefined, { token: once.token, hostname: 'b' });
      expect(second.status).toBe(401);
      expect(second.json.error.message).toContain('no uses left');
    });

    it('rejects an expired or revoked API token', async () => {
      const session = await h.login('default', 'admin', h.adminPassword);
      const short = await h.call('POST', '/api/tokens', session, {
        name: 'short',
        role: 'viewer',
        expiresInHours: 1 / 3_600_000,
      });
      await new Promise((r) => setTimeout(r, 20));
      const e = await h.call('GET', '/api/machines', short.json.token);
      expect(e.status).toBe(401);
      expect(e.json.error.message).toContain('expired');
      const tok = await h.call('POST', '/api/tokens', session, { name: 'rev', role: 'viewer' });
      expect((await h.call('GET', '/api/machines', tok.json.token)).status).toBe(200);
      expect((await h.call('DELETE', `/api/tokens/${tok.json.id}`, session)).status).toBe(204);
      const r = await h.call('GET', '/api/machines', tok.json.token);
      expect(r.status).toBe(401);
      expect(r.json.error.message).toContain('revoked');
    });

    it('enforces roles', async () => {
      const session = await h.login('default', 'admin', h.adminPassword);
      const viewer = await h.call('POST', '/api/tokens', session, { name: 'v', role: 'viewer' });
      expect((await h.call('GET', '/api/machines', viewer.json.token)).status).toBe(200);
      const r = await h.call('POST', '/api/tokens', viewer.json.token, { name: 'x', role: 'admin' });
      expect(r.status).toBe(403);
      expect(r.json.error.code).toBe('AUTH_FORBIDDEN');
      expect((await h.call('GET', '/api/machines')).status).toBe(401);
    });
  });

  it('serves /healthz and /metrics without authentication', async () => {
    expect((await h.call('GET', '/healthz')).json.status).toBe('ok');
    const res = await fetch(`${h.server.url}/metrics`);
    const text = await res.text();
    expect(text).toMatch(/vigil_rows_ingested_total\{tenant="default",table="DeviceProcessEvents"\} \d+/);
    expect(text).toMatch(/vigil_batches_rejected_total\{tenant="default",code="INGEST_BAD_GZIP"\} 1/);
    expect(text).toMatch(/vigil_ingest_queue_depth\{tenant="default"\} 0/);
    expect(text).toMatch(/vigil_store_size_bytes\{tenant="default"\} [1-9]\d*/);
  });
});
