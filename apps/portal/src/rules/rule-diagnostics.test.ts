import { describe, expect, it } from 'vitest';
import type { RuleDiagnostic } from '../api/types';
import { baseName, diagnosticsByFile, filterFiles } from './rule-diagnostics';

const d = (file: string | null, severity: 'error' | 'warning', line: number, code = 'SIGMA_X'): RuleDiagnostic => ({
  code,
  severity,
  file,
  line,
  message: `${code} at ${line}`,
});

describe('rule diagnostics', () => {
  const files = diagnosticsByFile([
    d('/r/b.yml', 'warning', 3),
    d('/r/a.yml', 'warning', 9),
    d('/r/c.yml', 'error', 7, 'SIGMA_UNKNOWN_MODIFIER'),
    d('/r/c.yml', 'warning', 2),
    d(null, 'error', 0, 'SIGMA_CORRELATION'),
  ]);

  it('groups by file, files with errors first, lines in order', () => {
    expect(files.map((f) => [f.file, f.errors, f.warnings])).toEqual([
      ['(no file)', 1, 0],
      ['/r/c.yml', 1, 1],
      ['/r/a.yml', 0, 1],
      ['/r/b.yml', 0, 1],
    ]);
    expect(files[1]?.items.map((i) => i.line)).toEqual([2, 7]);
  });

  it.each([
    ['', false, 4],
    ['', true, 2],
    ['a.yml', false, 1],
    ['unknown_modifier', false, 1],
    ['b.yml', true, 0],
  ])('filters %j (errors only: %s) to %i files', (text, errorsOnly, count) => {
    expect(filterFiles(files, text, errorsOnly)).toHaveLength(count);
  });

  it('names a file by its last segment', () => {
    expect(baseName('/content/sigma/linux/proc_creation.yml')).toBe('proc_creation.yml');
    expect(baseName('C:\\rules\\x.yml')).toBe('x.yml');
  });
});
