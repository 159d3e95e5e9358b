import { verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './test-support/harness.js';

describe('machine actions: request, signed delivery, reports, cancel, files, audit', () => {
  let h: Harness;
  let admin: string;
  let viewer: string;
  let dev: { deviceId: string; deviceSecret: string };
  let other: { deviceId: string; deviceSecret: string };

  beforeAll(async () => {
    h = await startHarness();
    admin = await h.login('default', 'admin', h.adminPassword);
    const t = await h.server.data.tenant('default');
    await t.service.putUser('vera', 'viewer', 'viewer-password-1');
    viewer = await h.login('default', 'vera', 'viewer-password-1');
    dev = await h.enroll('default', 'victim-1');
    other = await h.enroll('default', 'bystander');
  });
  afterAll(() => h.stop());

  const post = (path: string, body: unknown, token = admin) => h.call('POST', path, token, body);
  const poll = async (secret: string, wait = 0) =>
    (await h.call('GET', `/api/agent/commands?wait=${wait}`, secret)).json.commands as {
      payload: string;
      signature: string;
    }[];
  const report = (secret: string, id: string, body: unknown) =>
    h.call('POST', `/api/agent/commands/${id}/status`, secret, body);

  it('validates requests and names the field that is wrong', async () => {
    const base = `/api/machines/${dev.deviceId}`;
    let r = await post(`${base}/isolate`, {});
    expect(r.status).toBe(400);
    expect(r.json.error.message).toContain('Comment');
    r = await post(`${base}/isolate`, { Comment: 'x', IsolationType: 'Selective' });
    expect(r.json.error.message).toContain('IsolationType');
    r = await post(`${base}/kill`, { Comment: 'x', ProcessId: 'abc', ProcessCreationTime: '2026-01-01T00:00:00Z' });
    expect(r.json.error.message).toContain('ProcessId');
    r = await post(`${base}/quarantine`, { Comment: 'x', Path: 'relative/file' });
    expect(r.json.error.message).toContain('absolute path');
    r = await post(`${base}/runLiveResponse`, { Comment: 'x', Commands: [{ type: 'RunScript', params: [] }] });
    expect(r.status).toBe(400);
    expect(r.json.error.message).toContain('Commands[0].type');
    expect(r.json.error.hint).toContain('GetFile');
    r = await post(`${base}/runLiveResponse`, { Comment: 'x', Commands: [{ type: 'Dir', params: [] }] });
    expect(r.json.error.message).toContain('Dir needs the parameter Path');
    expect((await post('/api/machines/nope/isolate', { Comment: 'x' })).status).toBe(404);
    expect((await post(`${base}/isolate`, { Comment: 'x' }, viewer)).status).toBe(403);
    expect((await post(`${base}/isolate`, { Comment: 'x' }, dev.deviceSecret)).status).toBe(403);
    expect((await h.call('GET', '/api/machineactions', admin)).json.total).toBe(0);
  });

  it('queues a signed command only the target device receives, and tracks its states', async () => {
    const created = await post(`/api/machines/${dev.deviceId}/isolate`, { Comment: 'contain the host' });
    expect(created.status).toBe(201);
    const action = created.json;
    expect(action).toMatchObject({ type: 'Isolate', status: 'Pending', machineId: dev.deviceId, requestor: 'admin' });
    expect(action.computerDnsName).toBe('victim-1');
    expect(action.requestSource).toBe('Portal');
    const again = await post(`/api/machines/${dev.deviceId}/isolate`, { Comment: 'twice' });
    expect(again.status).toBe(400);
    expect(again.json.error.code).toBe('ActiveRequestAlreadyExists');
    expect((await h.call('GET', `/api/machines/${dev.deviceId}`, viewer)).json.isolationState).toBe('IsolationPending');

    expect(await poll(other.deviceSecret)).toEqual([]);
    const [cmd] = await poll(dev.deviceSecret);
    if (!cmd) throw new Error('no command');
    const key = (await h.call('GET', '/api/agent/config', dev.deviceSecret)).json.commandPublicKey as string;
    expect(key).toContain('BEGIN PUBLIC KEY');
    expect(verify(null, Buffer.from(cmd.payload), key, Buffer.from(cmd.signature, 'base64'))).toBe(true);
    const tampered = cmd.payload.replace(dev.deviceId, other.deviceId);
    expect(verify(null, Buffer.from(tampered), key, Buffer.from(cmd.signature, 'base64'))).toBe(false);
    const payload = JSON.parse(cmd.payload);
    expect(payload).toMatchObject({ actionId: action.id, deviceId: dev.deviceId, type: 'Isolate', tenant: 'default' });
    expect(Date.parse(payload.expiresAt)).toBeGreaterThan(Date.now());

    expect((await report(other.deviceSecret, action.id, { status: 'InProgress' })).status).toBe(404);
    expect((await report(dev.deviceSecret, action.id, { status: 'Done' })).json.error.code).toBe('REPORT_BAD_STATUS');
    expect((await report(dev.deviceSecret, action.id, { status: 'InProgress' })).json.status).toBe('InProgress');
    const done = await report(dev.deviceSecret, action.id, { status: 'Succeeded', result: { isolated: true } });
    expect(done.json.status).toBe('Succeeded');
    expect((await poll(dev.deviceSecret)).length).toBe(0);
    const late = await report(dev.deviceSecret, action.id, { status: 'Failed' });
    expect(late.status).toBe(409);

    const got = (await h.call('GET', `/api/machineactions/${action.id}`, viewer)).json;
    expect(got.history.map((x: { status: string }) => x.status)).toEqual(['Pending', 'InProgress', 'Succeeded']);
    expect(got.result).toEqual({ isolated: true });
    expect((await h.call('GET', `/api/machines/${dev.deviceId}`, viewer)).json.isolationState).toBe('Isolated');
    const audit = (await h.call('GET', `/api/auditlog?target=machineaction/${action.id}`, admin)).json;
    expect(audit.value.map((e: { action: string }) => e.action)).toEqual([
      'MachineAction.StatusChange',
      'MachineAction.StatusChange',
      'MachineAction.Create',
    ]);
    expect((await h.call('GET', '/api/auditlog', viewer)).status).toBe(403);
  });

  it('wakes a waiting poll when an action is queued', async () => {
    const waiting = poll(other.deviceSecret, 20);
    await new Promise((r) => setTimeout(r, 300));
    const a = (await post(`/api/machines/${other.deviceId}/collectInvestigationPackage`, { Comment: 'triage' })).json;
    const got = await waiting;
    expect(got.map((c) => JSON.parse(c.payload).actionId)).toEqual([a.id]);
  });

  it('accepts the investigation package while the action runs and serves it', async () => {
    const a = (await h.call('GET', `/api/machineactions?machineId=${other.deviceId}`, viewer)).json.value[0];
    const put = (name: string, body: Buffer) =>
      fetch(`${h.server.url}/api/agent/commands/${a.id}/files/${name}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${other.deviceSecret}`, 'content-type': 'application/octet-stream' },
        body,
      });
    const bytes = Buffer.from('not really a tarball, but bytes all the same');
    expect((await put('package.tar.gz', bytes)).status).toBe(409);
    await report(other.deviceSecret, a.id, { status: 'InProgress' });
    expect((await put('../escape', bytes)).status).toBe(404);
    expect((await put('evil.sh', bytes)).status).toBe(400);
    expect((await put('package.tar.gz', bytes)).status).toBe(200);
    expect((await h.call('GET', `/api/machineactions/${a.id}/getPackageUri`, viewer)).json.value).toBe(
      `/api/machineactions/${a.id}/package`,
    );
    await report(other.deviceSecret, a.id, { status: 'Succeeded', result: { size: bytes.length } });
    const dl = await fetch(`${h.server.url}/api/machineactions/${a.id}/package`, {
      headers: { authorization: `Bearer ${viewer}` },
    });
    expect(dl.headers.get('content-disposition')).toContain('bystander');
    expect(Buffer.from(await dl.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('cancels a pending action; the agent can then no longer start it', async () => {
    const a = (
      await post(`/api/machines/${dev.deviceId}/runLiveResponse`, {
        Comment: 'look around',
        Commands: [{ type: 'Processes', params: [] }],
      })
    ).json;
    expect(a.commands[0]).toMatchObject({ index: 0, commandStatus: 'Created' });
    expect((await post(`/api/machineactions/${a.id}/cancel`, {})).status).toBe(400);
    const c = await post(`/api/machineactions/${a.id}/cancel`, { Comment: 'wrong host' });
    expect(c.json).toMatchObject({
      status: 'Cancelled',
      cancellationRequestor: 'admin',
      cancellationComment: 'wrong host',
    });
    expect((await report(dev.deviceSecret, a.id, { status: 'InProgress' })).status).toBe(409);
    expect((await post(`/api/machineactions/${a.id}/cancel`, { Comment: 'again' })).status).toBe(409);
    const list = (await h.call('GET', `/api/machineactions?machineId=${dev.deviceId}&status=Cancelled`, viewer)).json;
    expect(list.value.map((x: { id: string }) => x.id)).toEqual([a.id]);
  });

  it('keeps each tenant to its own actions', async () => {
    await h.server.data.createTenant('other');
    const t2 = await h.server.data.tenant('other');
    const pw = await t2.service.putUser('eve', 'admin', 'other-tenant-pass');
    const eve = await h.login('other', 'eve', pw);
    expect((await post(`/api/machines/${dev.deviceId}/isolate`, { Comment: 'x' }, eve)).status).toBe(404);
    expect((await h.call('GET', '/api/machineactions', eve)).json.total).toBe(0);
    const mine = (await h.call('GET', '/api/machineactions', admin)).json.value[0].id;
    expect((await h.call('GET', `/api/machineactions/${mine}`, eve)).status).toBe(404);
  });
});
