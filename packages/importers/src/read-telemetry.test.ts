import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSyntheticEvtx } from '@vigil/evtx';
import { zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { listInputs } from './list-inputs.js';
import { readTelemetry } from './read-telemetry.js';
import type { TelemetryItem } from './telemetry-item.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-importers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function collect(file: string): Promise<TelemetryItem[]> {
  const out: TelemetryItem[] = [];
  for await (const item of readTelemetry(file)) out.push(item);
  return out;
}

const rows = (items: TelemetryItem[]) => items.flatMap((i) => (i.kind === 'row' ? [i] : []));
const problems = (items: TelemetryItem[]) => items.flatMap((i) => (i.kind === 'problem' ? [i.diagnostic] : []));

const sysmon1 = {
  provider: 'Microsoft-Windows-Sysmon',
  eventId: 1,
  timeCreated: '2026-11-20T10:00:00.123456Z',
  channel: 'Microsoft-Windows-Sysmon/Operational',
  computer: 'WS01.corp.example',
  eventData: {
    UtcTime: '2026-11-20 10:00:00.123',
    ProcessId: '4242',
    Image: 'C:\\Windows\\System32\\cmd.exe',
    CommandLine: 'cmd.exe /c whoami',
    User: 'CORP\\alice',
    ParentProcessId: '100',
    ParentImage: 'C:\\Windows\\explorer.exe',
    ParentCommandLine: 'explorer.exe',
    Hashes: 'SHA1=0123456789ABCDEF0123456789ABCDEF01234567,MD5=0123456789ABCDEF0123456789ABCDEF',
  },
};

const dumpEvent = (id: number, computer: string) => ({
  Event: {
    System: {
      Provider: { '#attributes': { Name: 'Microsoft-Windows-Security-Auditing' } },
      EventID: id,
      TimeCreated: { '#attributes': { SystemTime: '2026-11-20T10:00:00.000000Z' } },
      EventRecordID: 7,
      Channel: 'Security',
      Computer: computer,
    },
    EventData: {
      TargetUserName: 'bob',
      TargetDomainName: 'CORP',
      LogonType: 10,
      IpAddress: '203.0.113.9',
      IpPort: '0',
    },
  },
});

describe('readTelemetry', () => {
  it('reads an EVTX file into normalized rows with parent lineage and split hashes', async () => {
    const file = join(dir, 'a.evtx');
    writeFileSync(file, buildSyntheticEvtx([sysmon1, { ...sysmon1, eventId: 255, eventData: { X: 'y' } }]));
    const items = await collect(file);
    expect(problems(items)).toEqual([]);
    const [proc, raw] = rows(items);
    expect(proc?.table).toBe('DeviceProcessEvents');
    expect(proc?.row).toMatchObject({
      ActionType: 'ProcessCreated',
      FileName: 'cmd.exe',
      ProcessCommandLine: 'cmd.exe /c whoami',
      InitiatingProcessFileName: 'explorer.exe',
      InitiatingProcessId: 100,
      SHA1: '0123456789abcdef0123456789abcdef01234567',
      DeviceName: 'ws01.corp.example',
    });
    expect(raw?.table).toBe('VigilRawEvents');
    expect(proc?.source).toBe(`${file}:1`);
  });

  it('reports a corrupt EVTX region with its offset and still reads the rest', async () => {
    const bytes = buildSyntheticEvtx(
      Array.from({ length: 40 }, (_, i) => ({ ...sysmon1, eventData: { ...sysmon1.eventData, ProcessId: String(i) } })),
    );
    // Break the magic of the first record.
    const broken = bytes.slice();
    broken[4096 + 512] = 0;
    const file = join(dir, 'broken.evtx');
    writeFileSync(file, broken);
    const items = await collect(file);
    const p = problems(items);
    expect(p.length).toBeGreaterThan(0);
    expect(p.every((d) => typeof d.location?.offset === 'number')).toBe(true);
    expect(rows(items).length).toBeGreaterThan(0);
  });

  it('reads evtx_dump JSON holding several objects one after another', async () => {
    const file = join(dir, 'dump.json');
    writeFileSync(
      file,
      `${JSON.stringify(dumpEvent(4624, 'DC1'), null, 2)}\n${JSON.stringify(dumpEvent(4625, 'DC1'))}`,
    );
    const r = rows(await collect(file));
    expect(r.map((x) => [x.table, x.row.ActionType])).toEqual([
      ['DeviceLogonEvents', 'LogonSuccess'],
      ['DeviceLogonEvents', 'LogonFailed'],
    ]);
    expect(r[0]?.row.LogonType).toBe('RemoteInteractive');
  });

  it('reads Security-Datasets JSON lines inside a zip and skips junk entries', async () => {
    const line = JSON.stringify({
      Channel: 'security',
      EventID: 4688,
      Hostname: 'WORKSTATION5.theshire.local',
      '@timestamp': '2020-09-21T17:09:44.452Z',
      NewProcessName: 'C:\\Windows\\System32\\whoami.exe',
      CommandLine: 'whoami',
      ParentProcessName: 'C:\\Windows\\System32\\cmd.exe',
      SubjectUserName: 'pgustavo',
    });
    const zip = zipSync({
      'host/events.json': new TextEncoder().encode(`${line}\n${line}\n`),
      '__MACOSX/host/._events.json': new Uint8Array([0, 1, 2]),
    });
    const file = join(dir, 'ds.zip');
    writeFileSync(file, zip);
    const items = await collect(file);
    expect(problems(items)).toEqual([]);
    expect(rows(items).map((x) => x.table)).toEqual(['DeviceProcessEvents', 'DeviceProcessEvents']);
    expect(rows(items)[0]?.source).toBe(`${file}!host/events.json:1`);
  });

  it('says once that a JSON-lines file is not telemetry', async () => {
    const file = join(dir, 'manifest.jsonl');
    writeFileSync(file, '{"path":"x","records":3}\n{"path":"y","records":4}\n');
    const p = problems(await collect(file));
    expect(p.map((d) => d.code)).toEqual(['IMPORT_UNKNOWN_FORMAT']);
  });

  it('reports a broken zip', async () => {
    const file = join(dir, 'bad.zip');
    writeFileSync(file, Buffer.from('PK\u0003\u0004 not really a zip'));
    expect(problems(await collect(file)).map((d) => d.code)).toEqual(['IMPORT_BAD_ZIP']);
  });

  it('lists folders recursively by extension, and explicit files whatever their name', () => {
    const sub = join(dir, 'tree', 'deep');
    rmSync(join(dir, 'tree'), { recursive: true, force: true });
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, 'x.evtx'), '');
    writeFileSync(join(sub, 'notes.txt'), '');
    writeFileSync(join(dir, 'tree', 'y.jsonl'), '');
    expect(listInputs([join(dir, 'tree')]).map((f) => f.slice(dir.length))).toEqual([
      '/tree/deep/x.evtx',
      '/tree/y.jsonl',
    ]);
    expect(listInputs([join(sub, 'notes.txt')])).toHaveLength(1);
    expect(() => listInputs([join(dir, 'nope')])).toThrow(/does not exist/);
  });
});
