import { describe, expect, it } from 'vitest';
import { normalizeWindowsEvent } from './normalize-windows-event.js';
import { rowTypeProblems } from './row-type-problems.js';
import { sysmonMappings } from './sysmon-mappings.js';
import { sysmonRegistrySamples } from './sysmon-registry-samples.js';
import { actor, sysmon, sysmonSamples } from './sysmon-samples.js';
import type { WindowsEvent } from './windows-event.js';

const cases = [...sysmonSamples, ...sysmonRegistrySamples];

describe('Sysmon mappings', () => {
  it.each(cases)('maps $name', ({ event, table, columns }) => {
    const out = normalizeWindowsEvent(event);
    expect(out.problem).toBeUndefined();
    expect(out.table).toBe(table);
    expect(out.row).toMatchObject({
      DeviceName: 'workstation5.theshire.local',
      DeviceId: expect.stringMatching(/^[0-9a-f]{40}$/),
      ReportId: 519053,
      ...columns,
    });
    expect(rowTypeProblems(out.table, out.row)).toEqual([]);
  });

  it('keeps every original field, in AdditionalFields or in original', () => {
    for (const { event } of cases) {
      const out = normalizeWindowsEvent(event);
      const kept =
        typeof out.row.AdditionalFields === 'string' ? JSON.parse(out.row.AdditionalFields) : (out.original ?? {});
      expect(kept).toMatchObject({ ...event.data, EventID: event.eventId, Channel: event.channel });
    }
  });

  it('adds Defender-named details without overwriting original fields', () => {
    const access = normalizeWindowsEvent(cases.find((c) => c.name === '10 process access')?.event ?? sysmon(10, {}));
    expect(JSON.parse(String(access.row.AdditionalFields))).toMatchObject({
      GrantedAccess: '0x1010',
      DesiredAccess: 4112,
    });
    const pipe = normalizeWindowsEvent(sysmon(17, { ...actor, PipeName: '\\x', FileOperation: 'theirs' }));
    expect(JSON.parse(String(pipe.row.AdditionalFields))).toMatchObject({
      FileOperation: 'theirs',
      NamedPipeEnd: 'Server',
    });
  });

  it('treats Sysmon for Linux like Sysmon, without reading times from its GUIDs', () => {
    const linux = { ...cases[0]?.event, channel: 'Linux-Sysmon/Operational', provider: 'Linux-Sysmon' } as WindowsEvent;
    const out = normalizeWindowsEvent(linux);
    expect(out.table).toBe('DeviceProcessEvents');
    expect(out.row.InitiatingProcessCreationTime).toBeUndefined();
  });

  it('has a case for every Sysmon mapping', () => {
    const covered = new Set(cases.map((c) => c.event.eventId));
    expect(sysmonMappings.filter((m) => !covered.has(m.eventId)).map((m) => m.eventId)).toEqual([]);
  });
});
