import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { type ServerProcess, spawnServer, stopServer, vigil } from './test-support.js';

const BATCHES = 120;
const ROWS = 250;

function batchBody(b: number): Buffer {
  const lines: string[] = [];
  for (let i = 0; i < ROWS; i++) {
    const n = b * ROWS + i;
    lines.push(
      JSON.stringify({
        Table: 'DeviceProcessEvents',
        Timestamp: new Date(Date.UTC(2026, 10, 28, 0, 0, 0, n)).toISOString(),
        ActionType: 'ProcessCreated',
        FileName: 'sleep',
        ProcessCommandLine: `sleep ${n}`,
        ProcessId: n,
        ReportId: n,
      }),
    );
  }
  return gzipSync(`${lines.join('\n')}\n`);
}

async function send(url: string, secret: string, b: number): Promise<'ok' | 'retry'> {
  try {
    const res = await fetch(`${url}/api/agent/ingest`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${secret}`,
        'content-type': 'application/x-ndjson',
        'content-encoding': 'gzip',
        'x-batch-id': `batch-${b}`,
      },
      body: batchBody(b),
    });
    await res.text();
    return res.status === 200 ? 'ok' : 'retry';
  } catch {
    return 'retry'; // connection refused or reset: the server is down
  }
}

// The server is SIGKILLed in the middle of a stream of batches; the client resends what was not acknowledged
// after the restart, and every row is then stored exactly once.
describe('crash recovery', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-crash-'));
  let server: ServerProcess | undefined;
  afterAll(async () => {
    if (server) await stopServer(server);
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds every row exactly once after SIGKILL and resend', async () => {
    server = await spawnServer(dir);
    const token = vigil(['tenant', 'enroll-token', 'default', '--data', dir]);
    expect(token.status, token.stderr).toBe(0);
    const enroll = await fetch(`${server.url}/api/agent/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: token.stdout.trim(), hostname: 'crash-host' }),
    });
    const { deviceSecret } = (await enroll.json()) as { deviceSecret: string };

    const acked = new Set<number>();
    let next = 0;
    let killed = false;
    const url = server.url;
    const worker = async () => {
      while (next < BATCHES) {
        const b = next++;
        if ((await send(url, deviceSecret, b)) === 'ok') acked.add(b);
        if (!killed && acked.size >= 30) {
          killed = true;
          server?.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    expect(killed).toBe(true);
    expect(acked.size).toBeLessThan(BATCHES);
    const child = server.child;
    await new Promise<void>((r) =>
      child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r()),
    );

    server = await spawnServer(dir);
    const pending = Array.from({ length: BATCHES }, (_, b) => b).filter((b) => !acked.has(b));
    for (const b of pending) {
      expect(await send(server.url, deviceSecret, b)).toBe('ok');
      acked.add(b);
    }
    // A resend of an acknowledged batch is acknowledged again without storing it.
    expect(await send(server.url, deviceSecret, 0)).toBe('ok');

    const sql = vigil([
      'sql',
      '--data',
      dir,
      '--tenant',
      'default',
      '--format',
      'json',
      'SELECT count(*) AS total, count(DISTINCT ReportId) AS distinct_ids, min(ReportId) AS lo, max(ReportId) AS hi FROM DeviceProcessEvents',
    ]);
    expect(sql.status, sql.stderr).toBe(0);
    const [row] = JSON.parse(sql.stdout) as { total: string; distinct_ids: string; lo: string; hi: string }[];
    expect(Number(row?.total)).toBe(BATCHES * ROWS);
    expect(Number(row?.distinct_ids)).toBe(BATCHES * ROWS);
    expect(Number(row?.lo)).toBe(0);
    expect(Number(row?.hi)).toBe(BATCHES * ROWS - 1);
  });
});
