/** One normalized event, as much as coverage needs: where it went and what it was. */
export interface CoverageItem {
  readonly table: string;
  readonly channel: string;
  readonly eventId: number;
}

/** How a set of events was spread over the hunting tables, and which event types had no mapping. */
export interface MappingCoverage {
  readonly events: number;
  /** Events that went to a Defender table (not VigilRawEvents). */
  readonly mapped: number;
  /** Rows per table, most first. */
  readonly tables: readonly { readonly table: string; readonly rows: number }[];
  /** Unmapped event types (`Channel:EventID`) with their counts, most first. */
  readonly raw: readonly { readonly source: string; readonly events: number }[];
}

function sortedCounts(counts: Map<string, number>): [string, number][] {
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** Counts rows per table and unmapped `Channel:EventID` pairs over normalized events; `rawTable` names the raw table. */
export function mappingCoverage(items: Iterable<CoverageItem>, rawTable = 'VigilRawEvents'): MappingCoverage {
  const tables = new Map<string, number>();
  const raw = new Map<string, number>();
  let events = 0;
  for (const item of items) {
    events++;
    tables.set(item.table, (tables.get(item.table) ?? 0) + 1);
    if (item.table === rawTable) {
      const source = `${item.channel}:${item.eventId}`;
      raw.set(source, (raw.get(source) ?? 0) + 1);
    }
  }
  return {
    events,
    mapped: events - (tables.get(rawTable) ?? 0),
    tables: sortedCounts(tables).map(([table, rows]) => ({ table, rows })),
    raw: sortedCounts(raw).map(([source, count]) => ({ source, events: count })),
  };
}

/** Renders a coverage as aligned text lines: rows per table, then the `top` most frequent unmapped event types. */
export function formatMappingCoverage(coverage: MappingCoverage, top = 20): string {
  const share = coverage.events === 0 ? 0 : (100 * coverage.mapped) / coverage.events;
  const lines = [`${coverage.events} events, ${coverage.mapped} mapped to Defender tables (${share.toFixed(1)}%)`];
  const width = Math.max(5, ...coverage.tables.map((t) => t.table.length));
  lines.push(`${'table'.padEnd(width)}  rows`);
  for (const t of coverage.tables) lines.push(`${t.table.padEnd(width)}  ${t.rows}`);
  if (coverage.raw.length > 0) {
    lines.push(`unmapped event types (top ${Math.min(top, coverage.raw.length)} of ${coverage.raw.length}):`);
    for (const r of coverage.raw.slice(0, top)) lines.push(`  ${r.source}  ${r.events}`);
  }
  return lines.join('\n');
}
