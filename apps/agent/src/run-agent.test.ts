import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityPath } from './enrollment.js';
import { runAgent } from './run-agent.js';
import { type ServerProcess, spawnServer, sql, stopServer, vigil, waitFor } from './test-support.js';

let dir: string;
let server: ServerProcess;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-agent-srv-'));
  server = await spawnServer(dir);
});
afterAll(async () => {
  if (server) await stopServer(server);
});

describe('runAgent', () => {
  it('enrolls once, keeps its secret at mode 0600, reports device state and the software inventory', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'vigil-agent-'));
    const logs: string[] = [];
    const agent = await runAgent({
      server: server.url,
      enrollToken: vigil(['tenant', 'enroll-token', 'default', '--data', dir]).trim(),
      dataDir,
      processSource: process.getuid?.() === 0 ? 'auto' : 'proc',
      log: (l) => logs.push(l),
    });
    expect(statSync(identityPath(dataDir)).mode & 0o777).toBe(0o600);
    expect(logs.some((l) => /^process source: (ebpf|audit|proc)$/.test(l))).toBe(true);
    await waitFor(() => agent.stats().telemetry.rowsByTable.DeviceTvmSoftwareInventory !== undefined, 20_000, 200);
    await agent.flush();
    expect(await agent.drained(30_000)).toBe(true);
    const info = sql<{ AdditionalFields: string; OSPlatform: string }>(
      dir,
      `SELECT AdditionalFields, OSPlatform FROM DeviceInfo WHERE DeviceId = '${agent.deviceId}'`,
    );
    expect(info[0]?.OSPlatform).toBe('Linux');
    expect(JSON.parse(info[0]?.AdditionalFields ?? '{}').ProcessSource).toBe(agent.processSource);
    const [inv] = sql<{ n: number }>(
      dir,
      `SELECT count(*) AS n FROM DeviceTvmSoftwareInventory WHERE DeviceId = '${agent.deviceId}'`,
    );
    expect(Number(inv?.n)).toBeGreaterThan(0);
    const [net] = sql<{ n: number }>(
      dir,
      `SELECT count(*) AS n FROM DeviceNetworkInfo WHERE DeviceId = '${agent.deviceId}'`,
    );
    expect(Number(net?.n)).toBeGreaterThan(0);
    await agent.stop();

    // A restart needs no token, keeps the device id and does not send an unchanged inventory again.
    const again = await runAgent({ server: server.url, dataDir, processSource: 'proc', log: () => {} });
    expect(again.deviceId).toBe(agent.deviceId);
    await again.flush();
    expect(await again.drained(30_000)).toBe(true);
    const [inv2] = sql<{ n: number }>(
      dir,
      `SELECT count(*) AS n FROM DeviceTvmSoftwareInventory WHERE DeviceId = '${agent.deviceId}'`,
    );
    expect(Number(inv2?.n)).toBe(Number(inv?.n));
    await again.stop();
  }, 120_000);

  it('refuses to start without an identity or a token', async () => {
    await expect(
      runAgent({ server: server.url, dataDir: mkdtempSync(join(tmpdir(), 'vigil-agent-')) }),
    ).rejects.toThrow(/pass --enroll-token/);
  });
});
