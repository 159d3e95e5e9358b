import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, processRow, startHarness } from './test-support/harness.js';

describe('custom detections (scheduled KQL)', () => {
  let h: Harness;
  let admin: string;

  beforeAll(async () => {
    h = await startHarness();
    admin = await h.login('default', 'admin', h.adminPassword);
    const { deviceSecret } = await h.enroll('default', 'cd-host');
    const now = Date.now();
    const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();
    await h.ingest(deviceSecret, 'cd1', [
      processRow(1, {
        Timestamp: at(10),
        FileName: 'certutil.exe',
        ProcessCommandLine: 'certutil -urlcache -f http://x/a.exe a.exe',
      }),
      processRow(2, {
        Timestamp: at(20),
        FileName: 'certutil.exe',
        ProcessCommandLine: 'certutil -urlcache -split -f http://y/b b',
      }),
      processRow(3, { Timestamp: at(30), FileName: 'bash' }),
      processRow(4, {
        Timestamp: at(60 * 24 * 10),
        FileName: 'certutil.exe',
        ProcessCommandLine: 'certutil -urlcache old',
      }),
    ]);
    await (await h.server.data.tenant('default')).settled();
  });
  afterAll(() => h.stop());

  const rule = {
    name: 'certutil download',
    query:
      'DeviceProcessEvents | where FileName =~ "certutil.exe" and ProcessCommandLine has "urlcache" | project Timestamp, ReportId, DeviceId, ProcessCommandLine',
    schedule: '1H',
    alertTemplate: {
      title: 'Certutil used to download a file',
      severity: 'Medium',
      category: 'CommandAndControl',
      mitreTechniques: ['T1105'],
    },
  };

  it('checks the required columns when the rule is saved', async () => {
    const r = await h.call('POST', '/api/detectionrules', admin, {
      ...rule,
      query: 'DeviceProcessEvents | project Timestamp, DeviceId',
    });
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe('DETECTION_RULE_COLUMNS');
    expect(r.json.error.message).toContain('ReportId');
    const bad = await h.call('POST', '/api/detectionrules', admin, {
      ...rule,
      query: 'DeviceProcessEvents | where FileNam == 1',
    });
    expect(bad.json.error.code).toBe('KQL_KS142');
    const sched = await h.call('POST', '/api/detectionrules', admin, { ...rule, schedule: '2H' });
    expect(sched.json.error.message).toContain('schedule');
  });

  it('runs over its look-back window and raises one alert per result row, capped', async () => {
    const saved = await h.call('POST', '/api/detectionrules', admin, { ...rule, maxAlertsPerRun: 1 });
    expect(saved.status).toBe(201);
    const run = await h.call('POST', `/api/detectionrules/${saved.json.id}/run`, admin);
    expect(run.json).toMatchObject({ lastRunStatus: 'Completed', alertsRaised: 1, lastRunAlerts: 1 });
    await h.call('PATCH', `/api/detectionrules/${saved.json.id}`, admin, { maxAlertsPerRun: 100 });
    const again = await h.call('POST', `/api/detectionrules/${saved.json.id}/run`, admin);
    // The 4-hour look-back of an hourly rule leaves out the 10-day-old event; the row alerted before is not repeated.
    expect(again.json.alertsRaised).toBe(1);
    const alerts = await h.call('GET', '/api/alerts', admin);
    expect(alerts.json.total).toBe(2);
    expect(alerts.json.value[0]).toMatchObject({
      title: 'Certutil used to download a file',
      detectionSource: 'CustomDetection',
      category: 'CommandAndControl',
      mitreTechniqueDetails: [{ id: 'T1105', name: 'Ingress Tool Transfer', tactics: ['command-and-control'] }],
    });
    const list = await h.call('GET', '/api/detectionrules', admin);
    expect(list.json.value).toHaveLength(1);
  });

  it('checks and applies the entity mapping of the alert template', async () => {
    const bad = await h.call('POST', '/api/detectionrules', admin, {
      ...rule,
      alertTemplate: { ...rule.alertTemplate, impactedEntities: { user: 'AccountSid' } },
    });
    expect(bad.json.error.code).toBe('DETECTION_RULE_COLUMNS');
    const wrongKind = await h.call('POST', '/api/detectionrules', admin, {
      ...rule,
      alertTemplate: { ...rule.alertTemplate, impactedEntities: { device: 'ProcessCommandLine' } },
    });
    expect(wrongKind.json.error.message).toContain('impactedEntities.device');
    const saved = await h.call('POST', '/api/detectionrules', admin, {
      ...rule,
      name: 'by user',
      query: `${rule.query}, AccountName`,
      alertTemplate: {
        ...rule.alertTemplate,
        title: 'Certutil by user',
        impactedEntities: { device: 'DeviceId', user: 'AccountName' },
      },
    });
    expect(saved.json.alertTemplate.impactedEntities).toEqual({ device: 'DeviceId', user: 'AccountName' });
  });

  it('lists the Sigma rules evaluated at ingest with their diagnostics', async () => {
    const r = await h.call('GET', '/api/rules?q=t1003.001', admin);
    expect(r.status).toBe(200);
    expect(r.json.value.map((x: { title: string }) => x.title)).toContain('LSASS Memory Dump Via Comsvcs.dll MiniDump');
    expect(r.json.value.every((x: { mapped: boolean }) => x.mapped)).toBe(true);
    expect(Array.isArray(r.json.diagnostics)).toBe(true);
  });
});
