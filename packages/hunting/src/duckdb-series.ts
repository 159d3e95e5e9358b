import type { SeriesSql } from './nested-sql.js';

const TIME_ORIGIN = "TIMESTAMP '0001-01-01 00:00:00'";

/**
 * make-series on DuckDB: the bins from `from` (or the data's first bin) up to `to` (exclusive; or the bin after the
 * data's last), every group crossed with every bin, the group's aggregates per bin left-joined, and one array per
 * aggregate ordered by bin, with the default where a bin has no rows.
 */
export function duckdbMakeSeries(s: SeriesSql): string {
  const time = s.axisType === 'datetime';
  const bucket = (v: string, origin: string) =>
    time
      ? `time_bucket(${s.step}, ${v}, ${origin})`
      : `(${origin} + floor((${v} - ${origin}) / (${s.step})) * (${s.step}))`;
  const from = s.from ?? bucket(`min(${s.axis})`, time ? TIME_ORIGIN : '0');
  const to = s.to ?? `(${bucket(`max(${s.axis})`, time ? TIME_ORIGIN : '0')} + ${s.step})`;
  const rangeFrom = s.from && s.to ? '' : ' FROM "__src"';
  const bins = time
    ? `CAST(ceil((epoch_us("__to") - epoch_us("__from")) / epoch_us(${s.step})) AS BIGINT)`
    : `CAST(ceil(("__to" - "__from") / (${s.step})) AS BIGINT)`;
  const groups = s.groups.length > 0 ? s.groups : ['1'];
  const g = groups.map((sql, i) => `${sql} AS "__g${i}"`);
  const gNames = groups.map((_, i) => `"__g${i}"`);
  const aggs = s.aggs.map((a, i) => `${a.sql} AS "__v${i}"`);
  const ctes = [
    `"__src" AS (${s.input})`,
    `"__rng" AS (SELECT ${from} AS "__from", ${to} AS "__to"${rangeFrom})`,
    `"__bins" AS (SELECT "__from" + _i * ${s.step} AS "__bin" FROM "__rng", range(0, greatest(${bins}, 0)) AS _r(_i))`,
    `"__f" AS (SELECT *, ${bucket(s.axis, '"__from"')} AS "__bin" FROM "__src", "__rng" WHERE ${s.axis} >= "__from" AND ${s.axis} < "__to")`,
    `"__g" AS (SELECT DISTINCT ${g.join(', ')} FROM "__f")`,
    `"__a" AS (SELECT ${[...g, '"__bin"', ...aggs].join(', ')} FROM "__f" GROUP BY ${range(groups.length + 1).join(', ')})`,
  ];
  const on = gNames.map((n) => `"__a".${n} IS NOT DISTINCT FROM "__g".${n}`);
  const order = 'ORDER BY "__bins"."__bin"';
  // The same text as a datetime column's: ISO 8601 UTC without trailing zeros of the fraction.
  const axisValue = time
    ? `regexp_replace(strftime("__bins"."__bin", '%Y-%m-%dT%H:%M:%S.%f'), '\\.?0*$', '') || 'Z'`
    : '"__bins"."__bin"';
  const select = [
    ...s.groups.map((_, i) => `"__g".${gNames[i]} AS ${s.names[i]}`),
    ...s.aggs.map(
      (a, i) => `to_json(list(coalesce("__a"."__v${i}", ${a.fallback}) ${order})) AS ${s.names[s.groups.length + i]}`,
    ),
    `to_json(list(${axisValue} ${order})) AS ${s.names.at(-1)}`,
  ];
  return `WITH ${ctes.join(', ')} SELECT ${select.join(', ')} FROM "__g" CROSS JOIN "__bins" LEFT JOIN "__a" ON ${[...on, '"__a"."__bin" = "__bins"."__bin"'].join(' AND ')} GROUP BY ${gNames.map((n) => `"__g".${n}`).join(', ')}`;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}
