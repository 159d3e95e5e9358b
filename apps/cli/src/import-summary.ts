import { formatDiagnostic } from '@vigil/base';
import type { TelemetryImportSummary } from '@vigil/runtime';
import { formatMappingCoverage } from '@vigil/windows';

/** The text `vigil import` prints: rows per table, the mapping coverage of Windows events, and problems. */
export function formatImportSummary(s: TelemetryImportSummary, tenant: string): string {
  const lines: string[] = [];
  const tables = Object.entries(s.rows).sort(([a], [b]) => a.localeCompare(b));
  for (const [table, n] of tables) lines.push(`${table}\t${n}`);
  const total = tables.reduce((sum, [, n]) => sum + n, 0);
  const verb = s.dryRun ? 'would import' : 'imported';
  lines.push(
    `${verb} ${total} rows from ${s.files} file(s) into ${tenant}` +
      (s.batchesDuplicate > 0 ? ` (${s.batchesDuplicate} chunk(s) were imported before and skipped)` : ''),
  );
  if (s.coverage) {
    lines.push('', 'Windows events by table:', formatMappingCoverage(s.coverage));
  }
  if (s.problemCount > 0) {
    lines.push(
      '',
      `${s.problemCount} problem(s) skipped${s.problems.length < s.problemCount ? `; the first ${s.problems.length}:` : ':'}`,
    );
    for (const d of s.problems) lines.push(`  ${formatDiagnostic(d)}`);
  }
  return lines.join('\n');
}
