import { describe, expect, it } from 'vitest';
import { nextSort, viewRows } from './grid-model';

const rows = [
  { Name: 'b', N: 10, At: '2026-01-02' },
  { Name: 'A', N: 2, At: '' },
  { Name: 'c', N: null, At: '2026-01-01' },
  { Name: 'file10', N: 1, At: '2026-01-03' },
  { Name: 'file9', N: 3, At: '2026-01-04' },
];

describe('viewRows', () => {
  it.each([
    ['N', 'asc', ['file10', 'A', 'file9', 'b', 'c']],
    ['N', 'desc', ['b', 'file9', 'A', 'file10', 'c']],
    ['Name', 'asc', ['A', 'b', 'c', 'file9', 'file10']],
    ['At', 'desc', ['file9', 'file10', 'b', 'c', 'A']],
  ] as const)('sorts by %s %s, empty values last', (column, direction, names) => {
    expect(viewRows(rows, '', { column, direction }).map((r) => r.Name)).toEqual(names);
  });

  it('filters on any column, case-insensitively', () => {
    expect(viewRows(rows, 'FILE', null).map((r) => r.Name)).toEqual(['file10', 'file9']);
    expect(viewRows(rows, '2026-01-0', null)).toHaveLength(4);
  });

  it('filters objects by their JSON text', () => {
    expect(viewRows([{ X: { user: 'alice' } }, { X: { user: 'bob' } }], 'alice', null)).toHaveLength(1);
  });
});

describe('nextSort', () => {
  it('cycles ascending, descending, none', () => {
    const a = nextSort(null, 'N');
    expect(a).toEqual({ column: 'N', direction: 'asc' });
    const d = nextSort(a, 'N');
    expect(d).toEqual({ column: 'N', direction: 'desc' });
    expect(nextSort(d, 'N')).toBeNull();
    expect(nextSort(d, 'Name')).toEqual({ column: 'Name', direction: 'asc' });
  });
});
