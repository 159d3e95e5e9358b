import type { Alert, AlertService } from '@vigil/incidents';
import { alertTableRows } from '@vigil/incidents';
import type { IndicatorMatch, IndicatorMatcher } from '@vigil/indicators';
import type { BatchWrite, Row } from '@vigil/storage';

/** Tables written by the server itself: never matched again (alerts must not raise alerts). */
const SERVER_TABLES = new Set(['AlertInfo', 'AlertEvidence']);

function detectionOf(m: IndicatorMatch, row: Readonly<Record<string, unknown>>) {
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
 * Matches the rows of a stored batch against the tenant's indicators and raises alerts. An Allowed indicator
 * that matches a row silences the others for that row; Audit alerts only when the indicator asks for alerts.
 * Returns the alerts created, whose AlertInfo/AlertEvidence rows the caller stores.
 */
export async function detectIndicators(
  batch: BatchWrite,
  matcher: IndicatorMatcher,
  alerts: AlertService,
  now: Date,
): Promise<Alert[]> {
  if (matcher.empty) return [];
  const created: Alert[] = [];
  for (const [table, rows] of batch.tables) {
    if (SERVER_TABLES.has(table)) continue;
    for (const row of rows) {
      const matches = matcher.match(row, now);
      if (matches.length === 0 || matches.some((m) => m.indicator.action === 'Allowed')) continue;
      for (const m of matches) {
        if (!m.indicator.generateAlert) continue;
        const r = await alerts.raise(detectionOf(m, row), { table, row });
        if (r?.created) created.push(r.alert);
      }
    }
  }
  return created;
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
