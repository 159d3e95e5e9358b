import { tables } from '@vigil/schema';
import { describe, expect, it } from 'vitest';
import { RowValidator } from './row-validator.js';

const v = new RowValidator(tables, { maxFieldBytes: 64, writer: 'sensor' });
const base = { Table: 'DeviceNetworkEvents', Timestamp: '2026-11-01T00:00:00Z' };

describe('RowValidator', () => {
  it('accepts every column type and normalizes datetimes', () => {
    const r = v.validate({
      ...base,
      RemoteIP: '10.0.0.1',
      RemotePort: 443,
      InitiatingProcessId: '9223372036854775807',
      ReportId: 7,
    });
    // A UTC datetime is kept as sent (the row is the sender's text: it can be stored without rewriting it).
    expect(r).toEqual({
      table: 'DeviceNetworkEvents',
      row: {
        Timestamp: '2026-11-01T00:00:00Z',
        RemoteIP: '10.0.0.1',
        RemotePort: 443,
        InitiatingProcessId: '9223372036854775807',
        ReportId: 7,
      },
      changed: false,
    });
    // Other forms are normalized to UTC with microseconds, and the row says it changed.
    expect(v.validate({ ...base, Timestamp: '2026-11-01 02:00:00.1234567+02:00', RemoteIP: null })).toEqual({
      table: 'DeviceNetworkEvents',
      row: { Timestamp: '2026-11-01T00:00:00.123456Z' },
      changed: true,
    });
    expect(
      v.validate({ Table: 'DeviceInfo', Timestamp: '2026-11-01T00:00:00Z', IsAzureADJoined: true }),
    ).toHaveProperty('row');
    expect(
      v.validate({ Table: 'DeviceTvmSoftwareVulnerabilitiesKB', CvssScore: 9.8, AffectedSoftware: [{ a: 1 }] }),
    ).toHaveProperty('row');
  });

  it('keeps a UTC datetime on the last days of a month as sent, and refuses a day the month does not have', () => {
    for (const t of [
      '2026-11-29T10:00:00.123Z',
      '2026-11-30T10:00:00Z',
      '2026-12-31T23:59:59Z',
      '2024-02-29T00:00:00Z',
    ])
      expect(v.validate({ ...base, Timestamp: t })).toMatchObject({ row: { Timestamp: t }, changed: false });
    for (const t of ['2026-11-31T10:00:00Z', '2026-02-29T00:00:00Z', '2100-02-29T00:00:00Z', '2024-02-30T00:00:00Z'])
      expect(v.validate({ ...base, Timestamp: t })).toMatchObject({ code: 'INGEST_WRONG_TYPE', field: 'Timestamp' });
  });

  it.each([
    [{ ...base, RemotePort: 2 ** 31 }, 'INGEST_WRONG_TYPE', 'RemotePort'],
    [{ ...base, RemotePort: 1.5 }, 'INGEST_WRONG_TYPE', 'RemotePort'],
    [{ ...base, ReportId: '9223372036854775808' }, 'INGEST_WRONG_TYPE', 'ReportId'],
    [{ ...base, ReportId: 2 ** 60 }, 'INGEST_WRONG_TYPE', 'ReportId'],
    [{ ...base, RemoteIP: 5 }, 'INGEST_WRONG_TYPE', 'RemoteIP'],
    [{ ...base, RemoteIP: 'x'.repeat(65) }, 'INGEST_FIELD_TOO_LARGE', 'RemoteIP'],
    [{ ...base, RemoteIP: 'é'.repeat(33) }, 'INGEST_FIELD_TOO_LARGE', 'RemoteIP'],
    [{ ...base, Timestamp: 1700000000 }, 'INGEST_WRONG_TYPE', 'Timestamp'],
    [{ Table: 'DeviceNetworkEvents', RemotePort: 1 }, 'INGEST_MISSING_TIME', 'Timestamp'],
    [{ ...base, Nope: 1 }, 'INGEST_UNKNOWN_COLUMN', 'Nope'],
    [{ ...base, Table: 'Nope' }, 'INGEST_UNKNOWN_TABLE', 'Table'],
    [{ Timestamp: '2026-11-01T00:00:00Z' }, 'INGEST_MISSING_TABLE', 'Table'],
    [{ Table: 'AlertInfo', Timestamp: '2026-11-01T00:00:00Z' }, 'INGEST_TABLE_NOT_WRITABLE', 'Table'],
    [
      { Table: 'DeviceInfo', Timestamp: '2026-11-01T00:00:00Z', IsAzureADJoined: 'yes' },
      'INGEST_WRONG_TYPE',
      'IsAzureADJoined',
    ],
    [{ Table: 'DeviceTvmSoftwareVulnerabilitiesKB', CvssScore: '9.8' }, 'INGEST_WRONG_TYPE', 'CvssScore'],
    [
      { Table: 'DeviceTvmSoftwareVulnerabilitiesKB', AffectedSoftware: ['x'.repeat(80)] },
      'INGEST_FIELD_TOO_LARGE',
      'AffectedSoftware',
    ],
  ])('rejects %j with %s on %s', (input, code, field) => {
    expect(v.validate(input)).toMatchObject({ code, field });
  });

  it('rejects non-objects', () => {
    for (const x of [null, 1, 'row', [base]]) expect(v.validate(x)).toMatchObject({ code: 'INGEST_NOT_OBJECT' });
  });

  it('lets the server write alert tables', () => {
    const server = new RowValidator(tables, { maxFieldBytes: 64, writer: 'server' });
    expect(server.validate({ Table: 'AlertInfo', Timestamp: '2026-11-01T00:00:00Z', AlertId: 'a' })).toHaveProperty(
      'row',
    );
  });
});
