import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, processRow, startHarness } from './test-support/harness.js';

const BAD_SHA1 = 'ab'.repeat(20);

describe('indicators raise ATT&CK-mapped alerts at ingest', () => {
  let h: Harness;
  let admin: string;
  let secret: string;
  let deviceId: string;

  beforeAll(async () => {
    h = await startHarness();
    admin = await h.login('default', 'admin', h.adminPassword);
    ({ deviceSecret: secret, deviceId } = await h.enroll('default', 'ioc-host'));
  });
  afterAll(() => h.stop());

  const idle = async () => (await h.server.data.tenant('default')).settled();

  it('validates indicators and says what is wrong', async () => {
    const r = await h.call('POST', '/api/indicators', admin, {
      indicatorType: 'FileSha1',
      indicatorValue: 'xyz',
      action: 'Alert',
    });
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe('INDICATOR_INVALID');
    expect(r.json.error.field).toBe('indicatorValue');
    expect(r.json.error.hint).toContain('40 hexadecimal');
  });

  it('raises one alert per device and counts repeats into it', async () => {
    const created = await h.call('POST', '/api/indicators', admin, {
      indicatorType: 'FileSha1',
      indicatorValue: BAD_SHA1.toUpperCase(),
      action: 'Alert',
      title: 'Known bad tool',
      severity: 'High',
      mitreTechniques: ['T1003.001'],
    });
    expect(created.status).toBe(201);
    await h.ingest(secret, 'b1', [processRow(1, { SHA1: BAD_SHA1, FileName: 'mimikatz.exe' }), processRow(2)]);
    await h.ingest(secret, 'b2', [processRow(3, { SHA1: BAD_SHA1, FileName: 'mimikatz.exe' })]);
    await idle();
    const list = await h.call('GET', '/api/alerts?severity=High', admin);
    expect(list.json.total).toBe(1);
    const alert = list.json.value[0];
    expect(alert).toMatchObject({
      title: 'Known bad tool',
      severity: 'High',
      status: 'New',
      detectionSource: 'CustomTi',
      mitreTechniques: ['T1003.001'],
      machineId: deviceId,
      computerDnsName: 'ioc-host',
      eventCount: 2,
    });
    expect(alert.evidence.map((e: { entityType: string }) => e.entityType)).toEqual(['Machine', 'Process']);
    // Named from Vigil's bundled ATT&CK default until the admin imports the full bundle.
    expect(alert.mitreTechniqueDetails).toEqual([
      { id: 'T1003.001', name: 'LSASS Memory', tactics: ['credential-access'] },
    ]);
    const one = (await h.call('GET', `/api/alerts/${alert.id}`, admin)).json;
    expect(one.mitreTechniqueDetails).toEqual(alert.mitreTechniqueDetails);
    expect((await h.call('GET', '/api/alerts?technique=T1003.001', admin)).json.total).toBe(1);
    expect((await h.call('GET', '/api/alerts?technique=T1059', admin)).json.total).toBe(0);
    expect((await h.call('GET', `/api/alerts?machineId=${deviceId}&status=New`, admin)).json.total).toBe(1);
  });

  it('writes AlertInfo and AlertEvidence rows that hunting joins to the device', async () => {
    await idle();
    const r = await h.call('POST', '/api/advancedqueries/run', admin, {
      Query:
        'AlertInfo | join kind=inner (AlertEvidence | where EntityType == "Machine") on AlertId | project Title, Severity, DetectionSource, DeviceName, AttackTechniques',
    });
    expect(r.json.Results).toEqual([
      {
        Title: 'Known bad tool',
        Severity: 'High',
        DetectionSource: 'CustomTi',
        DeviceName: 'ioc-host',
        AttackTechniques: '["T1003.001"]',
      },
    ]);
  });

  it("triages an alert with Defender's classifications and determinations", async () => {
    const [alert] = (await h.call('GET', '/api/alerts', admin)).json.value;
    const bad = await h.call('PATCH', `/api/alerts/${alert.id}`, admin, {
      classification: 'FalsePositive',
      determination: 'Malware',
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('ALERT_BAD_DETERMINATION');
    const ok = await h.call('PATCH', `/api/alerts/${alert.id}`, admin, {
      status: 'Resolved',
      classification: 'TruePositive',
      determination: 'Malware',
      assignedTo: 'admin',
      comment: 'confirmed credential dumping',
    });
    expect(ok.json).toMatchObject({
      status: 'Resolved',
      classification: 'TruePositive',
      determination: 'Malware',
      assignedTo: 'admin',
    });
    expect(ok.json.resolvedTime).toBeTruthy();
    expect(ok.json.comments[0]).toMatchObject({ comment: 'confirmed credential dumping', createdBy: 'admin' });
    const viewer = await h.call('POST', '/api/tokens', admin, { name: 'ro', role: 'viewer' });
    expect((await h.call('PATCH', `/api/alerts/${alert.id}`, viewer.json.token, { status: 'New' })).status).toBe(403);
  });

  it('imports a STIX 2.1 bundle, reports what it cannot use, and matches domains with their subdomains', async () => {
    const bundle = {
      type: 'bundle',
      id: 'bundle--x',
      objects: [
        {
          type: 'indicator',
          id: 'indicator--c2',
          name: 'C2 domain',
          pattern_type: 'stix',
          pattern: "[domain-name:value = 'c2.example']",
        },
        { type: 'indicator', id: 'indicator--bad', pattern_type: 'stix', pattern: "[process:name = 'x.exe']" },
      ],
    };
    const r = await h.call('POST', '/api/indicators/import', admin, bundle);
    expect(r.json.value.map((i: { indicatorValue: string }) => i.indicatorValue)).toEqual(['c2.example']);
    expect(r.json.problems.map((p: { code: string }) => p.code)).toEqual(['STIX_OBJECT_UNSUPPORTED']);
    await h.ingest(secret, 'net1', [
      JSON.stringify({
        Table: 'DeviceNetworkEvents',
        Timestamp: '2026-11-20T10:00:00Z',
        ActionType: 'ConnectionSuccess',
        RemoteUrl: 'https://beacon.c2.example/x',
        RemoteIP: '192.0.2.4',
      }),
    ]);
    await idle();
    const list = await h.call('GET', '/api/alerts?status=New', admin);
    expect(list.json.value.map((a: { title: string }) => a.title)).toEqual(['C2 domain']);
    expect(list.json.value[0].evidence.map((e: { entityType: string }) => e.entityType)).toEqual([
      'Machine',
      'Ip',
      'Url',
    ]);
  });

  it('lets an Allowed indicator silence others on the same row, and expired indicators never match', async () => {
    const sha = 'cd'.repeat(20);
    await h.call('POST', '/api/indicators/import', admin, {
      Indicators: [
        { indicatorType: 'FileSha1', indicatorValue: sha, action: 'Alert', title: 'would alert' },
        { indicatorType: 'DomainName', indicatorValue: 'trusted.example', action: 'Allowed' },
        {
          indicatorType: 'FileSha1',
          indicatorValue: 'ef'.repeat(20),
          action: 'Alert',
          title: 'expired',
          expirationTime: '2020-01-01T00:00:00Z',
        },
      ],
    });
    await h.ingest(secret, 'allow1', [
      JSON.stringify({
        Table: 'DeviceFileEvents',
        Timestamp: '2026-11-20T10:00:00Z',
        ActionType: 'FileCreated',
        SHA1: sha,
        FileOriginUrl: 'https://dl.trusted.example/tool.exe',
      }),
      processRow(9, { SHA1: 'ef'.repeat(20) }),
    ]);
    await idle();
    const titles = (await h.call('GET', '/api/alerts', admin)).json.value.map((a: { title: string }) => a.title);
    expect(titles).not.toContain('would alert');
    expect(titles).not.toContain('expired');
  });

  it('hides or resolves alerts that a suppression rule matches', async () => {
    const sha = '12'.repeat(20);
    const ind = await h.call('POST', '/api/indicators', admin, {
      indicatorType: 'FileSha1',
      indicatorValue: sha,
      action: 'Alert',
      title: 'noisy tool',
    });
    const bad = await h.call('POST', '/api/suppressionrules', admin, { name: 'x', action: 'Hide' });
    expect(bad.json.error.code).toBe('SUPPRESSION_RULE_INVALID');
    const hide = await h.call('POST', '/api/suppressionrules', admin, {
      name: 'admin tool on this host',
      action: 'Hide',
      detectorId: `indicator:${ind.json.id}`,
      conditions: [{ entityType: 'Process', field: 'fileName', value: 'AdminTool.exe' }],
      machineIds: [deviceId],
    });
    expect(hide.status).toBe(201);
    await h.ingest(secret, 'sup1', [processRow(20, { SHA1: sha, FileName: 'admintool.exe' })]);
    await idle();
    expect((await h.call('GET', '/api/alerts', admin)).json.value.map((a: { title: string }) => a.title)).not.toContain(
      'noisy tool',
    );
    await h.call('PATCH', `/api/suppressionrules/${hide.json.id}`, admin, { action: 'Resolve' });
    await h.ingest(secret, 'sup2', [processRow(21, { SHA1: sha, FileName: 'admintool.exe' })]);
    await idle();
    const resolved = (await h.call('GET', '/api/alerts?status=Resolved', admin)).json.value.find(
      (a: { title: string }) => a.title === 'noisy tool',
    );
    expect(resolved).toMatchObject({ status: 'Resolved', classification: 'InformationalExpectedActivity' });
  });
});
