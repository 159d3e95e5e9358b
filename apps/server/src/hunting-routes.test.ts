import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, processRow, startHarness } from './test-support/harness.js';

describe('advanced hunting API', () => {
  let h: Harness;
  let token: string;

  beforeAll(async () => {
    h = await startHarness({ hunting: { maxRows: 50, concurrency: 1 } });
    token = await h.login('default', 'admin', h.adminPassword);
    const { deviceSecret } = await h.enroll('default', 'hunt-host');
    const rows = Array.from({ length: 3000 }, (_, i) => processRow(i, { FileName: i % 3 === 0 ? 'cmd.exe' : 'bash' }));
    expect((await h.ingest(deviceSecret, 'rows', rows)).status).toBe(200);
  });
  afterAll(() => h.stop());

  it("answers in Defender's shape", async () => {
    const r = await h.call('POST', '/api/advancedqueries/run', token, {
      Query: 'DeviceProcessEvents | summarize n = count() by FileName | order by FileName asc',
    });
    expect(r.status).toBe(200);
    expect(r.json.Schema).toEqual([
      { Name: 'FileName', Type: 'String' },
      { Name: 'n', Type: 'Int64' },
    ]);
    expect(r.json.Results).toEqual([
      { FileName: 'bash', n: 2000 },
      { FileName: 'cmd.exe', n: 1000 },
    ]);
    expect(r.json.Truncated).toBe(false);
  });

  it('cuts results at the tenant row limit and says so', async () => {
    const r = await h.call('POST', '/api/advancedqueries/run', token, {
      Query: 'DeviceProcessEvents | project ProcessId',
    });
    expect(r.json.Results).toHaveLength(50);
    expect(r.json.Truncated).toBe(true);
  });

  it('reports a bad query with its stage, code, line, column and hint', async () => {
    const r = await h.call('POST', '/api/advancedqueries/run', token, {
      Query: 'DeviceProcessEvents\n| where FileNam == "x"',
    });
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe('KQL_KS142');
    expect(r.json.error.details[0].location).toEqual({ line: 2, column: 9 });
    expect(r.json.error.hint).toContain('FileName');
    const t = await h.call('POST', '/api/advancedqueries/run', token, { Query: 'DeviceProces | take 1' });
    expect(t.json.error.hint).toContain('DeviceProcessEvents');
    const empty = await h.call('POST', '/api/advancedqueries/run', token, {});
    expect(empty.json.error.code).toBe('HUNT_NO_QUERY');
  });

  it('streams NDJSON: schema first, rows, then stats', async () => {
    const res = await fetch(`${h.server.url}/api/advancedqueries/stream`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        Query: 'DeviceProcessEvents | where FileName == "cmd.exe" | project ProcessId | take 200',
      }),
    });
    const lines = (await res.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[0].Schema).toEqual([{ Name: 'ProcessId', Type: 'Int64' }]);
    expect(lines.at(-1)).toEqual({ Stats: { Rows: 200, Truncated: false } });
    expect(lines).toHaveLength(202);
  });

  it('cancels a running query, and limits concurrent queries per tenant', async () => {
    const side = '(DeviceProcessEvents | project k = 1, P = ProcessId)';
    const slow = `DeviceProcessEvents | extend k = 1 | join kind=inner ${side} on k | join kind=inner ${side} on k | summarize count(), sum(P)`;
    const running = h.call('POST', '/api/advancedqueries/run', token, { Query: slow, QueryId: 'slow-1' });
    await new Promise((r) => setTimeout(r, 300));
    const busy = await h.call('POST', '/api/advancedqueries/run', token, { Query: 'DeviceProcessEvents | take 1' });
    expect(busy.status).toBe(429);
    expect(busy.headers.get('retry-after')).toBe('5');
    const cancel = await h.call('POST', '/api/advancedqueries/cancel', token, { QueryId: 'slow-1' });
    expect(cancel.json).toEqual({ QueryId: 'slow-1', Cancelled: true });
    const r = await running;
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe('HUNT_CANCELLED');
    expect((await h.call('POST', '/api/advancedqueries/cancel', token, { QueryId: 'slow-1' })).status).toBe(404);
  });

  it('needs authentication', async () => {
    expect((await h.call('POST', '/api/advancedqueries/run', undefined, { Query: 'DeviceInfo' })).status).toBe(401);
  });
});
