/** One page of a list and where it sits in the whole. */
export interface PageOf<T> {
  readonly items: readonly T[];
  readonly page: number;
  readonly pageCount: number;
  readonly total: number;
  readonly first: number;
  readonly last: number;
}

/** Cuts page `page` (1-based, clamped) of `pageSize` items out of `items`. */
export function paginate<T>(items: readonly T[], page: number, pageSize: number): PageOf<T> {
  const pageCount = Math.max(1, Math.ceil(items.length / pageSize));
  const p = Math.min(Math.max(1, Math.floor(page) || 1), pageCount);
  const start = (p - 1) * pageSize;
  const slice = items.slice(start, start + pageSize);
  return {
    items: slice,
    page: p,
    pageCount,
    total: items.length,
    first: slice.length ? start + 1 : 0,
    last: start + slice.length,
  };
}
