import { describe, expect, it } from 'vitest';
import { buildTimelineQuery, kqlString, timelineTables } from './timeline-query';

const base = { deviceId: 'abc', tables: [], window: '30d', actionType: '', search: '', page: 1, pageSize: 50 } as const;

describe('buildTimelineQuery', () => {
  it('unions every event table of the device, newest first, one row past the page', () => {
    const q = buildTimelineQuery(base);
    expect(q).toContain(`union withsource=EventTable ${timelineTables.join(', ')}`);
    expect(q).toContain('| where DeviceId == "abc"');
    expect(q).toContain('| where Timestamp > ago(30d)');
    expect(q).toContain('| sort by Timestamp desc, ReportId desc');
    expect(q).toContain('| where RowNumber > 0');
    expect(q).toContain('| take 51');
  });

  it('reads only the chosen table and projects only columns it has', () => {
    const q = buildTimelineQuery({ ...base, tables: ['DeviceRegistryEvents'], window: 'all', page: 3 });
    expect(q).toMatch(/^union withsource=EventTable DeviceRegistryEvents\n/);
    expect(q).not.toContain('RemoteIP');
    expect(q).toContain('RegistryKey');
    expect(q).not.toContain('ago(');
    expect(q).toContain('| where RowNumber > 100');
  });

  it('searches the string columns and filters the action type, escaping both', () => {
    const q = buildTimelineQuery({ ...base, actionType: 'FileCreated', search: 'a"b\\c' });
    expect(q).toContain('| where ActionType =~ "FileCreated"');
    expect(q).toContain('FileName contains "a\\"b\\\\c"');
    expect(q).toContain('ProcessCommandLine contains');
    expect(q).not.toContain('RemotePort contains');
  });
});

describe('kqlString', () => {
  it.each([
    ['plain', '"plain"'],
    ['q"uote', '"q\\"uote"'],
    ['back\\slash', '"back\\\\slash"'],
    ['line\nbreak', '"line\\nbreak"'],
  ])('%j', (text, literal) => expect(kqlString(text)).toBe(literal));
});
