import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeUtmp, utmpTypes } from '@vigil/sensors';
import { describe, expect, it } from 'vitest';
import { DeviceStateSensor } from './device-state.js';
import { LogonSensor } from './logon-sensor.js';
import { SEGMENT, Spool, segmentNdjson } from './spool.js';
import { Telemetry } from './telemetry.js';

function sink() {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-local-'));
  const spool = new Spool(join(dir, 'spool'), { maxBytes: 1 << 24, batchMaxRows: 10_000 }, 't');
  const telemetry = new Telemetry(spool, () => {});
  const rows = () => {
    spool.flush();
    return segmentNdjson(readFileSync(join(dir, 'spool', SEGMENT)))
      .toString()
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  };
  return { dir, spool, telemetry, rows };
}

describe('logon sensor', () => {
  it('reads wtmp and btmp records when no log is readable', () => {
    const { dir, telemetry, rows, spool } = sink();
    const wtmp = join(dir, 'wtmp');
    const btmp = join(dir, 'btmp');
    writeFileSync(
      wtmp,
      encodeUtmp({
        type: utmpTypes.USER_PROCESS,
        pid: 5,
        line: 'pts/1',
        user: 'alice',
        host: '198.51.100.4',
        addr: '198.51.100.4',
        time: '2026-11-29T01:00:00Z',
      }),
    );
    writeFileSync(
      btmp,
      encodeUtmp({
        type: utmpTypes.LOGIN_PROCESS,
        pid: 6,
        line: 'ssh:notty',
        user: 'mallory',
        host: '203.0.113.9',
        time: '2026-11-29T01:01:00Z',
      }),
    );
    const s = new LogonSensor(telemetry, { authLog: join(dir, 'none'), journal: false, wtmp, btmp, fromStart: true });
    s.start();
    s.poll();
    s.stop();
    expect(s.using).toEqual(['wtmp', 'btmp']);
    const got = rows();
    expect(got).toHaveLength(2);
    expect(got[0]).toMatchObject({
      Table: 'DeviceLogonEvents',
      ActionType: 'LogonSuccess',
      LogonType: 'RemoteInteractive',
      AccountName: 'alice',
      RemoteIP: '198.51.100.4',
    });
    expect(got[1]).toMatchObject({ ActionType: 'LogonFailed', AccountName: 'mallory', RemoteIP: '203.0.113.9' });
    expect(typeof got[0]?.ReportId).toBe('number');
    spool.close();
  });

  it('prefers the auth log and follows what is appended to it', () => {
    const { dir, telemetry, rows, spool } = sink();
    const log = join(dir, 'auth.log');
    writeFileSync(log, 'Nov 29 01:00:00 h sshd[1]: Accepted password for old from 1.2.3.4 port 1 ssh2\n');
    const s = new LogonSensor(telemetry, { authLog: log, journal: false, wtmp: join(dir, 'none') });
    s.start();
    writeFileSync(log, 'Nov 29 01:00:01 h su[2]: FAILED SU (to root) bob on pts/0\n', { flag: 'a' });
    s.poll();
    s.stop();
    expect(s.using).toEqual([`auth.log:${log}`]);
    expect(rows().map((r) => [r.AccountName, r.ActionType])).toEqual([['root', 'LogonFailed']]);
    spool.close();
  });
});

describe('device state sensor', () => {
  it('reports DeviceInfo and DeviceNetworkInfo at start, on heartbeats, and not in between', () => {
    const { dir, telemetry, rows, spool } = sink();
    const s = new DeviceStateSensor(telemetry, '0.1.0', () => ({ ProcessSource: 'ebpf' }), dir, 60_000);
    expect(s.check(1_000_000)).toEqual(['DeviceInfo', 'DeviceNetworkInfo']);
    expect(s.check(1_010_000)).toEqual([]);
    expect(s.check(1_070_000)).toEqual(['DeviceInfo', 'DeviceNetworkInfo']);
    const info = rows().find((r) => r.Table === 'DeviceInfo');
    expect(info).toMatchObject({ OSPlatform: 'Linux', ClientVersion: '0.1.0', OnboardingStatus: 'Onboarded' });
    expect(JSON.parse(info?.AdditionalFields as string)).toMatchObject({ ProcessSource: 'ebpf' });
    expect(rows().some((r) => r.Table === 'DeviceNetworkInfo' && r.NetworkAdapterName === 'lo')).toBe(true);
    spool.close();
  });
});
