import { describe, expect, it } from 'vitest';
import { normalizeDatetime } from './datetime.js';

describe('normalizeDatetime', () => {
  it.each([
    ['2026-11-29T03:30:44Z', '2026-11-29T03:30:44.000000Z'],
    ['2026-11-29T03:30:44.1234567Z', '2026-11-29T03:30:44.123456Z'],
    ['2026-11-29 03:30:44', '2026-11-29T03:30:44.000000Z'],
    ['2026-11-29T05:30:44+02:00', '2026-11-29T03:30:44.000000Z'],
    ['2026-11-29T01:00:00-0230', '2026-11-29T03:30:00.000000Z'],
    ['2026-11-29', '2026-11-29T00:00:00.000000Z'],
    ['2024-02-29T00:00:00z', '2024-02-29T00:00:00.000000Z'],
  ])('%s -> %s', (input, expected) => {
    expect(normalizeDatetime(input)).toBe(expected);
  });

  it.each([
    '',
    'yesterday',
    '2026-13-01T00:00:00Z',
    '2023-02-29T00:00:00Z',
    '2026-11-29T24:00:00Z',
    '0099-01-01',
    '1700000000',
  ])('rejects %j', (input) => {
    expect(normalizeDatetime(input)).toBeUndefined();
  });
});
