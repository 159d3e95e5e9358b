import type { Alert, Detection } from '@vigil/incidents';
import { alertTableRows } from '@vigil/incidents';
import type { IndicatorMatch, IndicatorMatcher } from '@vigil/indicators';
import { type BatchWrite, isNdjson, type Row } from '@vigil/storage';
import { type Finding, SERVER_TABLES } from './detect-sigma.js';

function detectionOf(m: IndicatorMatch, row: Readonly<Record<string, unknown>>): Detection {
  const i = m.indicator;
  return {
    detectorId: `indicator:${i.id}`,
    title: i.title,
    description: `${i.indicatorType} indicator ${i.indicatorValue} matched ${m.column}. ${i.description}`.trim(),
    severity: i.severity,
    category: 'SuspiciousActivity',
    detectionSource: 'CustomTi',
    mitreTechniques: i.mitreTechniques,
    recommendedAction: i.recommendedActions,
    dedupKey: `indicator:${i.id}:${String(row.DeviceId ?? '')}`,
  };
}

/**
 * Matches one row against the tenant's indicators and adds the detections to raise to `found`. An Allowed
 * indicator that matches a row silences the others for that row; Audit alerts only when the indicator asks for
 * alerts.
 */
export function matchRowIndicators(
  table: string,
  row: Row,
  matcher: IndicatorMatcher,
  now: Date,
  found: Finding[],
): void {
  if (matcher.empty || SERVER_TABLES.has(table)) return;
  const matches = matcher.match(row, now);
  if (matches.length === 0 || matches.some((m) => m.indicator.action === 'Allowed')) return;
  // Rows decoded from NDJSON may still carry the Table key the sender wrote: it is not a column.
  const { Table: _table, ...columns } = row;
  for (const m of matches) {
    if (m.indicator.generateAlert) found.push({ table, row: columns, detection: detectionOf(m, columns) });
  }
}

/**
 * Matches the rows of a stored batch given as objects against the tenant's indicators (tables given as NDJSON were
 * matched while they were decoded). Returns the detections to raise, so that the rows need not be kept until the
 * alerts are raised.
 */
export function indicatorFindings(batch: BatchWrite, matcher: IndicatorMatcher, now: Date): Finding[] {
  const found: Finding[] = [];
  if (matcher.empty) return found;
  for (const [table, rows] of batch.tables) {
    if (isNdjson(rows)) continue;
    for (const row of rows) matchRowIndicators(table, row, matcher, now, found);
  }
  return found;
}

/** A batch holding the AlertInfo and AlertEvidence rows of new alerts. */
export function alertRowsBatch(created: readonly Alert[]): BatchWrite | undefined {
  if (created.length === 0) return undefined;
  const info: Row[] = [];
  const evidence: Row[] = [];
  for (const a of created) {
    const r = alertTableRows(a);
    info.push(...(r.AlertInfo as Row[]));
    evidence.push(...(r.AlertEvidence as Row[]));
  }
  return {
    key: `alerts:${created.map((a) => a.id).join(',')}`.slice(0, 120),
    tables: new Map([
      ['AlertInfo', info],
      ['AlertEvidence', evidence],
    ]),
    rowCount: info.length + evidence.length,
  };
}
