import { describe, expect, it } from 'vitest';
import { paginate } from './paginate';

describe('paginate', () => {
  const items = Array.from({ length: 55 }, (_, i) => i + 1);
  it.each([
    [1, { first: 1, last: 25, page: 1, pageCount: 3 }],
    [3, { first: 51, last: 55, page: 3, pageCount: 3 }],
    [9, { first: 51, last: 55, page: 3, pageCount: 3 }],
    [0, { first: 1, last: 25, page: 1, pageCount: 3 }],
  ])('page %i', (page, expected) => {
    const p = paginate(items, page, 25);
    expect(p).toMatchObject({ ...expected, total: 55 });
    expect(p.items[0]).toBe(expected.first);
  });

  it('has one empty page for no items', () => {
    expect(paginate([], 1, 25)).toMatchObject({ page: 1, pageCount: 1, first: 0, last: 0, total: 0 });
  });
});
