import { describe, expect, it } from 'vitest';
import type { HuntResult } from '../api/types';
import { chartSpecOf, echartsOption } from './chart-model';

const byTime: HuntResult = {
  Schema: [
    { Name: 'Timestamp', Type: 'DateTime' },
    { Name: 'ActionType', Type: 'String' },
    { Name: 'count_', Type: 'Int64' },
  ],
  Results: [
    { Timestamp: '2026-01-01T01:00:00Z', ActionType: 'A', count_: 2 },
    { Timestamp: '2026-01-01T00:00:00Z', ActionType: 'A', count_: 1 },
    { Timestamp: '2026-01-01T00:00:00Z', ActionType: 'B', count_: 5 },
  ],
  Truncated: false,
};
const byName: HuntResult = {
  Schema: [
    { Name: 'FileName', Type: 'String' },
    { Name: 'n', Type: 'Int64' },
  ],
  Results: [
    { FileName: 'a', n: 3 },
    { FileName: 'b', n: 4 },
  ],
  Truncated: false,
};

describe('chartSpecOf', () => {
  it('draws a summarize by time as a time chart, split by the string column, in time order', () => {
    const spec = chartSpecOf(byTime);
    expect(spec).toMatchObject({ kind: 'line', xType: 'time' });
    expect(spec?.series).toEqual([
      {
        name: 'A',
        points: [
          ['2026-01-01T00:00:00Z', 1],
          ['2026-01-01T01:00:00Z', 2],
        ],
      },
      { name: 'B', points: [['2026-01-01T00:00:00Z', 5]] },
    ]);
  });

  it('draws a summarize by a category as columns', () => {
    expect(chartSpecOf(byName)).toMatchObject({ kind: 'column', xType: 'category', series: [{ name: 'n' }] });
  });

  it.each([
    ['timechart', 'line'],
    ['columnchart', 'column'],
    ['barchart', 'bar'],
    ['piechart', 'pie'],
    ['areachart', 'area'],
  ])('follows render %s', (type, kind) => {
    expect(chartSpecOf({ ...byName, Chart: { type, properties: { title: 'T' } } })).toMatchObject({ kind, title: 'T' });
  });

  it('draws nothing for a render it cannot draw, rows without numbers, or no rows', () => {
    expect(chartSpecOf({ ...byName, Chart: { type: 'table', properties: {} } })).toBeNull();
    expect(chartSpecOf({ ...byName, Schema: [{ Name: 'FileName', Type: 'String' }] })).toBeNull();
    expect(chartSpecOf({ ...byName, Results: [] })).toBeNull();
  });
});

describe('echartsOption', () => {
  it('turns a bar chart horizontal and a column chart vertical', () => {
    const column = echartsOption(chartSpecOf(byName)!);
    expect(column.xAxis).toEqual({ type: 'category', data: ['a', 'b'] });
    const bar = echartsOption(chartSpecOf({ ...byName, Chart: { type: 'barchart', properties: {} } })!);
    expect(bar.yAxis).toMatchObject({ type: 'category', data: ['a', 'b'] });
    expect(bar.series).toMatchObject([{ type: 'bar', data: [3, 4] }]);
  });

  it('gives a time chart a time axis with [time, value] points', () => {
    const o = echartsOption(chartSpecOf(byTime)!);
    expect(o.xAxis).toEqual({ type: 'time' });
    expect(o.series).toMatchObject([
      {
        type: 'line',
        data: [
          ['2026-01-01T00:00:00Z', 1],
          ['2026-01-01T01:00:00Z', 2],
        ],
      },
      { name: 'B' },
    ]);
  });
});
