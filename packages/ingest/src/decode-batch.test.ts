import { gzipSync } from 'node:zlib';
import { RowValidator } from '@vigil/protocol';
import { tables } from '@vigil/schema';
import type { Row } from '@vigil/storage';
import { describe, expect, it } from 'vitest';
import { decodeBatch } from './decode-batch.js';
import { defaultIngestLimits } from './ingest-limits.js';

const validator = new RowValidator(tables, { maxFieldBytes: 1024, writer: 'sensor' });
const device = { deviceId: 'dev-1', deviceName: 'wörkstation' };
const decode = (lines: string[], gzip = true, onRow?: (table: string, row: Row) => void) => {
  const text = Buffer.from(lines.join('\n'));
  return decodeBatch(gzip ? gzipSync(text) : text, {
    gzip,
    limits: defaultIngestLimits,
    validator,
    device,
    ...(onRow ? { onRow } : {}),
  });
};
const ndjsonRows = (bytes: Uint8Array | undefined) =>
  Buffer.from(bytes ?? new Uint8Array())
    .toString('utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const { Table: _, ...row } = JSON.parse(l) as Record<string, unknown>;
      return row;
    });

describe('decodeBatch', () => {
  it('gives each table its rows as NDJSON equal to the validated rows, device columns filled in', async () => {
    const lines = [
      // as sent: kept byte for byte, with the device's columns put in front
      '{"Table":"DeviceProcessEvents","Timestamp":"2026-11-01T00:00:00Z","FileName":"a.exe","ProcessId":1}',
      // not ASCII, with a carriage return and blanks around it
      ' {"Table":"DeviceProcessEvents","Timestamp":"2026-11-01T00:00:01Z","FileName":"ä®.exe"}\r',
      '',
      // normalized (offset datetime, a null): serialized from the validated row instead
      '{"Table":"DeviceProcessEvents","Timestamp":"2026-11-01T02:00:00+02:00","FileName":null,"DeviceName":"x"}',
      '{"Table":"DeviceNetworkEvents","Timestamp":"2026-11-01T00:00:03Z","DeviceId":"dev-1","RemoteIP":"10.0.0.1"}',
    ];
    const seen = new Map<string, Row[]>();
    // onRow gets the parsed line itself, its Table key still in (not a column).
    const d = await decode(lines, true, (table, { Table: _, ...row }) =>
      seen.set(table, [...(seen.get(table) ?? []), row]),
    );
    expect(d.rowCount).toBe(4);
    expect([...d.tables.keys()]).toEqual([...seen.keys()]);
    for (const [table, rows] of seen) {
      expect(ndjsonRows(d.tables.get(table)?.ndjson)).toEqual(rows);
      expect(d.tables.get(table)?.rows).toBe(rows.length);
    }
    expect(seen.get('DeviceProcessEvents')?.map((r) => [r.DeviceId, r.DeviceName, r.Timestamp])).toEqual([
      ['dev-1', 'wörkstation', '2026-11-01T00:00:00Z'],
      ['dev-1', 'wörkstation', '2026-11-01T00:00:01Z'],
      ['dev-1', 'x', '2026-11-01T00:00:00.000000Z'],
    ]);
    expect(seen.get('DeviceNetworkEvents')?.[0]).toMatchObject({ DeviceId: 'dev-1', DeviceName: 'wörkstation' });
  });

  it.each([
    ['not JSON', '{"Table":', 'INGEST_INVALID_JSON', undefined],
    [
      'another device',
      '{"Table":"DeviceProcessEvents","Timestamp":"2026-11-01T00:00:00Z","DeviceId":"other"}',
      'INGEST_DEVICE_MISMATCH',
      'DeviceId',
    ],
    [
      'a wrong type',
      '{"Table":"DeviceProcessEvents","Timestamp":"2026-11-01T00:00:00Z","ProcessId":"x"}',
      'INGEST_WRONG_TYPE',
      'ProcessId',
    ],
  ])('rejects the whole batch for %s, naming line and field', async (_name, bad, code, field) => {
    const good = '{"Table":"DeviceProcessEvents","Timestamp":"2026-11-01T00:00:00Z"}';
    await expect(decode([good, bad], false)).rejects.toMatchObject({
      code,
      details: [{ code, location: { line: 2, ...(field ? { field } : {}) } }],
    });
  });

  it('fills the InitiatingProcess* columns of a row that refers to an earlier row of its batch', async () => {
    const t = (s: number) => `"Timestamp":"2026-11-01T00:00:0${s}Z"`;
    const bash = '"InitiatingProcessFileName":"bash","InitiatingProcessCommandLine":"bash -c x"';
    const python = '"InitiatingProcessFileName":"python3","InitiatingProcessCommandLine":"python3 y.py"';
    const lines = [
      `{"Table":"DeviceFileEvents",${t(0)},"FileName":"a",${bash},"InitiatingProcessUniqueId":"7-100"}`,
      `{"Table":"DeviceFileEvents",${t(1)},"FileName":"b","@InitiatingProcess":"7-100"}`,
      // the same process after an exec: the last earlier row of that id counts
      `{"Table":"DeviceFileEvents",${t(2)},"FileName":"c",${python},"InitiatingProcessUniqueId":"7-100"}`,
      `{"Table":"DeviceNetworkEvents",${t(3)},"RemoteIP":"10.0.0.1","@InitiatingProcess":"7-100"}`,
    ];
    const seen: Row[] = [];
    const d = await decode(lines, true, (_table, { Table: _, ...row }) => seen.push(row));
    expect(d.rowCount).toBe(4);
    const initiator = (r: Record<string, unknown> | undefined) => [
      r?.InitiatingProcessFileName,
      r?.InitiatingProcessCommandLine,
      r?.InitiatingProcessUniqueId,
    ];
    expect(seen.map(initiator)).toEqual([
      ['bash', 'bash -c x', '7-100'],
      ['bash', 'bash -c x', '7-100'],
      ['python3', 'python3 y.py', '7-100'],
      ['python3', 'python3 y.py', '7-100'],
    ]);
    expect(seen.every((r) => !('@InitiatingProcess' in r))).toBe(true);
    // The stored NDJSON has the columns, not the reference.
    expect(ndjsonRows(d.tables.get('DeviceFileEvents')?.ndjson).map(initiator)).toEqual(
      seen.slice(0, 3).map(initiator),
    );
    expect(ndjsonRows(d.tables.get('DeviceNetworkEvents')?.ndjson).map(initiator)).toEqual([initiator(seen[3])]);
  });

  it.each([
    ['no earlier row of that id', '"7-100"', 'names no earlier row'],
    ['a row of another id', '"8-2"', 'names no earlier row'],
    ['not a string', '7', 'must be a string'],
    ['a row with such a column of its own', '"8-1","InitiatingProcessId":3', 'InitiatingProcessId is there'],
  ])('rejects a reference to %s, naming the line', async (_name, ref, message) => {
    const lines = [
      '{"Table":"DeviceFileEvents","Timestamp":"2026-11-01T00:00:00Z","InitiatingProcessUniqueId":"8-1"}',
      `{"Table":"DeviceFileEvents","Timestamp":"2026-11-01T00:00:01Z","@InitiatingProcess":${ref}}`,
    ];
    await expect(decode(lines)).rejects.toMatchObject({
      code: 'INGEST_BAD_REFERENCE',
      message: expect.stringContaining(message),
      details: [{ location: { line: 2, field: '@InitiatingProcess' } }],
    });
  });
});
