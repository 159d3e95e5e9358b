import type { HuntResult } from '../api/types';
import { cellText } from '../common/format';

/** A chart the portal can draw from a result. */
export interface ChartSpec {
  readonly kind: 'line' | 'area' | 'column' | 'bar' | 'pie' | 'scatter';
  readonly title: string;
  /** The x axis is time (a time chart) or categories. */
  readonly xType: 'time' | 'category';
  readonly series: readonly { readonly name: string; readonly points: readonly (readonly [string, number])[] }[];
}

const numeric = new Set(['Int64', 'Int32', 'Double', 'Decimal']);
const kinds: Readonly<Record<string, ChartSpec['kind']>> = {
  timechart: 'line',
  linechart: 'line',
  areachart: 'area',
  stackedareachart: 'area',
  columnchart: 'column',
  barchart: 'bar',
  piechart: 'pie',
  scatterchart: 'scatter',
};
/** Charts drawn for summarize results without `render` stay small enough to read. */
const maxAutoCategories = 50;

/** Which chart a result asks for (`render`) or suits (a summarize by time or by a category); null for none. */
export function chartSpecOf(result: HuntResult): ChartSpec | null {
  const cols = result.Schema;
  const time = cols.find((c) => c.Type === 'DateTime');
  const category = cols.find((c) => c.Type === 'String');
  const values = cols.filter((c) => numeric.has(c.Type));
  if (values.length === 0 || result.Results.length === 0) return null;
  const hinted = result.Chart ? kinds[result.Chart.type] : undefined;
  if (result.Chart && !hinted) return null;
  const title = result.Chart?.properties.title ?? '';
  let kind = hinted;
  if (!kind) {
    if (time) kind = 'line';
    else if (category && result.Results.length <= maxAutoCategories) kind = 'column';
    else return null;
  }
  const timeAxis = (kind === 'line' || kind === 'area' || kind === 'scatter') && time !== undefined;
  const x = timeAxis ? time : (category ?? time);
  if (!x) return null;
  // In a time chart a string column splits the series, as Kusto does.
  const split = timeAxis ? category : undefined;
  const series = new Map<string, [string, number][]>();
  for (const row of result.Results) {
    const xv = cellText(row[x.Name]);
    for (const v of values) {
      const name = split ? `${cellText(row[split.Name]) || '(empty)'}${values.length > 1 ? ` ${v.Name}` : ''}` : v.Name;
      const list = series.get(name) ?? [];
      list.push([xv, Number(row[v.Name] ?? 0)]);
      series.set(name, list);
    }
  }
  if (timeAxis) for (const list of series.values()) list.sort((a, b) => a[0].localeCompare(b[0]));
  return {
    kind,
    title,
    xType: timeAxis ? 'time' : 'category',
    series: [...series].map(([name, points]) => ({ name, points })),
  };
}

/** The echarts option of a chart spec. */
export function echartsOption(spec: ChartSpec): Record<string, unknown> {
  const base = {
    title: spec.title ? { text: spec.title, left: 'center' } : undefined,
    tooltip: { trigger: spec.kind === 'pie' ? 'item' : 'axis' },
    legend: { type: 'scroll', bottom: 0 },
    animation: false,
  };
  if (spec.kind === 'pie') {
    const first = spec.series[0];
    return {
      ...base,
      series: [{ type: 'pie', radius: '60%', data: first?.points.map(([name, value]) => ({ name, value })) ?? [] }],
    };
  }
  const horizontal = spec.kind === 'bar';
  const categories =
    spec.xType === 'category' ? [...new Set(spec.series.flatMap((s) => s.points.map((p) => p[0])))] : [];
  const xAxis = spec.xType === 'time' ? { type: 'time' } : { type: 'category', data: categories };
  const yAxis = { type: 'value' };
  return {
    ...base,
    grid: { left: 60, right: 30, top: spec.title ? 40 : 20, bottom: 50, containLabel: true },
    xAxis: horizontal ? yAxis : xAxis,
    yAxis: horizontal ? { ...xAxis, inverse: true } : yAxis,
    series: spec.series.map((s) => ({
      name: s.name,
      type: spec.kind === 'column' || spec.kind === 'bar' ? 'bar' : spec.kind === 'scatter' ? 'scatter' : 'line',
      ...(spec.kind === 'area' ? { areaStyle: {} } : {}),
      showSymbol: s.points.length < 60,
      data:
        spec.xType === 'time'
          ? s.points.map(([x, y]) => [x, y])
          : categories.map((c) => s.points.find((p) => p[0] === c)?.[1] ?? 0),
    })),
  };
}
