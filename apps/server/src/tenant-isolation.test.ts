import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, processRow, startHarness } from './test-support/harness.js';

// Two tenants on one server: no credential, device or row of one reaches the other, route by route.
describe('tenant isolation', () => {
  let h: Harness;
  const t: Record<
    'default' | 'acme',
    { admin: string; api: string; device: { deviceId: string; deviceSecret: string } }
  > = {} as never;

  beforeAll(async () => {
    h = await startHarness();
    const { admin } = await h.server.data.createTenant('acme');
    for (const [name, password] of [
      ['default', h.adminPassword],
      ['acme', admin.password],
    ] as const) {
      const session = await h.login(name, 'admin', password);
      const api = await h.call('POST', '/api/tokens', session, { name: 'script', role: 'admin' });
      expect(api.status).toBe(201);
      const device = await h.enroll(name, `${name}-host`);
      t[name] = { admin: session, api: api.json.token, device };
      const r = await h.ingest(device.deviceSecret, 'b1', [processRow(1, { FileName: `${name}.exe` })]);
      expect(r.status).toBe(200);
    }
  });
  afterAll(() => h.stop());

  it('keeps each tenant rows in its own store', async () => {
    expect(await h.count('default', "SELECT count(*) FROM DeviceProcessEvents WHERE FileName = 'default.exe'")).toBe(1);
    expect(await h.count('default', "SELECT count(*) FROM DeviceProcessEvents WHERE FileName = 'acme.exe'")).toBe(0);
    expect(await h.count('acme', "SELECT count(*) FROM DeviceProcessEvents WHERE FileName = 'acme.exe'")).toBe(1);
    expect(await h.count('acme', "SELECT count(*) FROM DeviceProcessEvents WHERE FileName = 'default.exe'")).toBe(0);
  });

  it('uses separate files per tenant', async () => {
    const a = await h.server.data.tenant('default');
    const b = await h.server.data.tenant('acme');
    expect(a.telemetry).not.toBe(b.telemetry);
    expect(h.server.data.tenantDir('default')).not.toBe(h.server.data.tenantDir('acme'));
  });

  const routes: [string, string, (o: string) => unknown][] = [
    ['GET', '/api/machines', () => undefined],
    ['GET', '/api/users', () => undefined],
    ['GET', '/api/tokens', () => undefined],
    ['GET', '/api/enrollment-tokens', () => undefined],
    ['GET', '/api/tenant', () => undefined],
    ['GET', '/api/auth/me', () => undefined],
  ];

  it.each(routes)('%s %s shows only the caller tenant', async (method, path) => {
    for (const [self, other] of [
      ['default', 'acme'],
      ['acme', 'default'],
    ] as const) {
      for (const token of [t[self].admin, t[self].api]) {
        const r = await h.call(method, path, token);
        expect(r.status).toBe(200);
        const text = JSON.stringify(r.json);
        expect(text).not.toContain(t[other].device.deviceId);
        expect(text).not.toContain(`${other}-host`);
        if (path === '/api/tenant' || path === '/api/auth/me') expect(r.json.tenant ?? r.json.name).toBe(self);
      }
    }
  });

  it("cannot read, offboard or address another tenant's machine", async () => {
    const other = t.acme.device.deviceId;
    expect((await h.call('GET', `/api/machines/${other}`, t.default.admin)).status).toBe(404);
    expect((await h.call('POST', `/api/machines/${other}/offboard`, t.default.admin)).status).toBe(404);
    expect((await h.call('GET', `/api/machines/${t.default.device.deviceId}`, t.default.admin)).status).toBe(200);
  });

  it("cannot revoke another tenant's tokens", async () => {
    const list = await h.call('GET', '/api/tokens', t.acme.admin);
    const id = list.json.value[0].id as string;
    expect((await h.call('DELETE', `/api/tokens/${id}`, t.default.admin)).status).toBe(404);
    expect((await h.call('GET', '/api/tenant', t.acme.api)).status).toBe(200);
  });

  it('rejects a token whose tenant part was changed to another tenant', async () => {
    for (const [self, other] of [
      ['default', 'acme'],
      ['acme', 'default'],
    ] as const) {
      const forged = t[self].api.replace(`_${self}_`, `_${other}_`);
      expect((await h.call('GET', '/api/machines', forged)).status).toBe(401);
      const forgedDevice = t[self].device.deviceSecret.replace(`_${self}_`, `_${other}_`);
      expect((await h.ingest(forgedDevice, 'x1', [processRow(2)])).status).toBe(401);
    }
  });

  it('does not let a device write rows of another device', async () => {
    const r = await h.ingest(t.default.device.deviceSecret, 'spoof', [
      processRow(3, { DeviceId: t.acme.device.deviceId }),
    ]);
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe('INGEST_DEVICE_MISMATCH');
  });

  it('does not let a login reach another tenant', async () => {
    const r = await h.call('POST', '/api/auth/login', undefined, {
      tenant: 'acme',
      username: 'admin',
      password: h.adminPassword,
    });
    expect(r.status).toBe(401);
  });

  it('does not let devices or API tokens use each other routes', async () => {
    expect((await h.call('GET', '/api/machines', t.default.device.deviceSecret)).status).toBe(403);
    expect((await h.ingest(t.default.api, 'b9', [processRow(4)])).status).toBe(403);
  });
});
