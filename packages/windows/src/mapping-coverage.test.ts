import { describe, expect, it } from 'vitest';
import { formatMappingCoverage, mappingCoverage } from './mapping-coverage.js';

describe('mappingCoverage', () => {
  const items = [
    { table: 'DeviceProcessEvents', channel: 'Security', eventId: 4688 },
    { table: 'VigilRawEvents', channel: 'Security', eventId: 4658 },
    { table: 'VigilRawEvents', channel: 'Security', eventId: 4658 },
    { table: 'VigilRawEvents', channel: 'System', eventId: 7036 },
    { table: 'DeviceProcessEvents', channel: 'Microsoft-Windows-Sysmon/Operational', eventId: 1 },
  ];

  it('counts rows per table and unmapped event types', () => {
    expect(mappingCoverage(items)).toEqual({
      events: 5,
      mapped: 2,
      tables: [
        { table: 'VigilRawEvents', rows: 3 },
        { table: 'DeviceProcessEvents', rows: 2 },
      ],
      raw: [
        { source: 'Security:4658', events: 2 },
        { source: 'System:7036', events: 1 },
      ],
    });
  });

  it('renders a text table', () => {
    const text = formatMappingCoverage(mappingCoverage(items), 1);
    expect(text).toContain('5 events, 2 mapped to Defender tables (40.0%)');
    expect(text).toContain('VigilRawEvents       3');
    expect(text).toContain('unmapped event types (top 1 of 2):\n  Security:4658  2');
  });

  it('handles no events', () => {
    expect(formatMappingCoverage(mappingCoverage([]))).toContain('0 events, 0 mapped');
  });
});
