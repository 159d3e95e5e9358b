/** Where in an input a problem was found: a file, a line, a column, a field or a byte offset. */
export interface SourceLocation {
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly field?: string;
  readonly offset?: number;
}

/** A problem found in user input, with a stable code `AREA_NAME`, a location and a hint. */
export interface Diagnostic {
  readonly code: string;
  readonly message: string;
  readonly severity: 'error' | 'warning';
  readonly location?: SourceLocation;
  readonly hint?: string;
}

/** Formats a diagnostic as `file:line:col field: CODE message (hint)` for terminals and logs. */
export function formatDiagnostic(d: Diagnostic): string {
  const loc = d.location;
  const parts: string[] = [];
  if (loc) {
    const where = [loc.file, loc.line, loc.column].filter((x) => x !== undefined).join(':');
    if (where) parts.push(where);
    if (loc.field !== undefined) parts.push(`field ${loc.field}`);
    if (loc.offset !== undefined) parts.push(`offset ${loc.offset}`);
  }
  const head = parts.length > 0 ? `${parts.join(' ')}: ` : '';
  return `${head}${d.code} ${d.message}${d.hint ? ` (${d.hint})` : ''}`;
}
