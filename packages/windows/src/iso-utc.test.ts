import { describe, expect, it } from 'vitest';
import { epochMs, isoUtc, localToUtc } from './iso-utc.js';

describe('isoUtc', () => {
  it.each([
    ['2019-04-27 15:57:25.868', '2019-04-27T15:57:25.868000Z'],
    ['2019-04-27T15:57:25.868864Z', '2019-04-27T15:57:25.868864Z'],
    ['2019-03-19T23:37:45.1585430Z', '2019-03-19T23:37:45.158543Z'],
    ['2021-10-13T20:18:12.328447000Z', '2021-10-13T20:18:12.328447Z'],
    ['2020-10-22T14:33:14-04:00', '2020-10-22T18:33:14.000000Z'],
    ['2020-10-22 14:33:14', '2020-10-22T14:33:14.000000Z'],
  ])('%s → %s', (input, expected) => {
    expect(isoUtc(input)).toBe(expected);
  });

  it.each([['not a time'], ['2019-02-30 10:00:00'], ['2019-02-29 10:00:00.000'], ['2019-04-27'], [42]])(
    'rejects %j',
    (input) => {
      expect(isoUtc(input)).toBeUndefined();
    },
  );

  it('gives the same epoch milliseconds on the canonical fast path as through the general parser', () => {
    expect(epochMs('2019-04-27T15:57:25.868864Z')).toBe(Date.UTC(2019, 3, 27, 15, 57, 25, 868));
    expect(epochMs('2019-04-27 15:57:25.868')).toBe(Date.UTC(2019, 3, 27, 15, 57, 25, 868));
    expect(epochMs('2019-02-29T00:00:00.000000Z')).toBeUndefined();
  });

  it('converts NXLog local times with the offset of the receive times', () => {
    // EventReceivedTime 14:33:16 local was @timestamp 18:33:16.053Z: the clock is UTC-4.
    expect(localToUtc('2020-10-22 14:33:14', '2020-10-22 14:33:16', '2020-10-22T18:33:16.053Z')).toBe(
      '2020-10-22T18:33:14.000000Z',
    );
    // A receive delay of a few minutes does not change the rounded offset.
    expect(localToUtc('2019-12-24 23:52:00', '2019-12-24 23:52:02', '2019-12-25T04:55:02.806Z')).toBe(
      '2019-12-25T04:52:00.000000Z',
    );
  });
});
