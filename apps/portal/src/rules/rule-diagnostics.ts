import type { RuleDiagnostic } from '../api/types';

/** The load diagnostics of one rule file. */
export interface FileDiagnostics {
  /** The file, or `(no file)` for diagnostics of the whole rule set. */
  readonly file: string;
  readonly errors: number;
  readonly warnings: number;
  readonly items: readonly RuleDiagnostic[];
}

/** The label of diagnostics that name no file. */
export const noFile = '(no file)';

/** Groups diagnostics by file: files with errors first, then by name; items in line order. */
export function diagnosticsByFile(diagnostics: readonly RuleDiagnostic[]): FileDiagnostics[] {
  const byFile = new Map<string, RuleDiagnostic[]>();
  for (const d of diagnostics) {
    const key = d.file ?? noFile;
    const list = byFile.get(key) ?? [];
    list.push(d);
    byFile.set(key, list);
  }
  return [...byFile.entries()]
    .map(([file, items]) => ({
      file,
      errors: items.filter((d) => d.severity === 'error').length,
      warnings: items.filter((d) => d.severity !== 'error').length,
      items: [...items].sort((a, b) => (a.line ?? 0) - (b.line ?? 0)),
    }))
    .sort((a, b) => Number(b.errors > 0) - Number(a.errors > 0) || a.file.localeCompare(b.file));
}

/** The files whose name or diagnostics mention `text` (case-insensitive), and only those with errors if asked. */
export function filterFiles(files: readonly FileDiagnostics[], text: string, errorsOnly: boolean): FileDiagnostics[] {
  const t = text.trim().toLowerCase();
  return files.filter(
    (f) =>
      (!errorsOnly || f.errors > 0) &&
      (!t ||
        f.file.toLowerCase().includes(t) ||
        f.items.some((d) => d.code.toLowerCase().includes(t) || d.message.toLowerCase().includes(t))),
  );
}

/** The last path segment, for compact tables. */
export function baseName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}
