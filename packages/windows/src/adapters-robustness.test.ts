import { describe, expect, it } from 'vitest';
import { fromEvtxDumpJson } from './from-evtx-dump-json.js';
import { type EvtxRecordLike, fromEvtxRecord } from './from-evtx-record.js';
import { fromSecurityDatasetsJson } from './from-security-datasets-json.js';
import { fromSysmonLinuxXml } from './from-sysmon-linux-xml.js';
import { normalizeWindowsEvent } from './normalize-windows-event.js';
import { rowTypeProblems } from './row-type-problems.js';

// Odd values in every place a field can be: the adapters must answer with an event or a problem, never throw, and
// whatever they accept must normalize into a valid row.
const oddValues: unknown[] = [null, undefined, 0, -1, 1.5, Number.NaN, '', '-', 'x', [], [1], {}, { '#text': 7 }, true];

function* oddObjects(base: Record<string, unknown>): Generator<Record<string, unknown>> {
  for (const key of Object.keys(base)) for (const v of oddValues) yield { ...base, [key]: v };
}

const securityLine = {
  Channel: 'Microsoft-Windows-Sysmon/Operational',
  EventID: 3,
  Hostname: 'h',
  TimeCreated: '2020-01-01T00:00:00Z',
  SourceIp: '10.0.0.1',
  DestinationPort: '443',
  Initiated: 'false',
  ProcessId: '12',
  UtcTime: '2020-01-01 00:00:00.000',
  ProcessGuid: '{00000000-ffff-ffff-0000-000000000000}',
};

describe('adapters on odd input', () => {
  it('never throw, and what they accept normalizes into valid rows', () => {
    const results = [
      ...oddValues.map((v) => fromEvtxDumpJson(v)),
      ...oddValues.map((v) => fromSecurityDatasetsJson(v)),
      ...[...oddObjects(securityLine)].map((o) => fromSecurityDatasetsJson(o)),
      ...[...oddObjects(securityLine)].map((o) =>
        fromEvtxDumpJson({
          Event: {
            System: {
              EventID: o.EventID,
              Channel: o.Channel,
              Computer: o.Hostname,
              TimeCreated: { '#attributes': { SystemTime: o.TimeCreated } },
            },
            EventData: o,
          },
        }),
      ),
      ...['', '<Event>', '<Event></Event>', '<Event><System/></Event>', 'x<Event a="1"><System>'].map(
        fromSysmonLinuxXml,
      ),
      ...oddValues.map((v) => fromEvtxRecord({ recordId: 1, written: 'x', system: v } as unknown as EvtxRecordLike)),
    ];
    let accepted = 0;
    for (const r of results) {
      if (!r.ok) {
        expect(r.error.message.length).toBeGreaterThan(10);
        continue;
      }
      accepted++;
      const out = normalizeWindowsEvent(r.value);
      expect(out.problem).toBeUndefined();
      expect(rowTypeProblems(out.table, out.row)).toEqual([]);
    }
    expect(accepted).toBeGreaterThan(100);
  });
});
