/** Previous/next buttons and "rows a–b of n"; `total` may be unknown when the server pages by "is there more". */
export function Pager({
  page,
  pageCount,
  first,
  last,
  total,
  hasMore,
  onPage,
}: {
  readonly page: number;
  readonly pageCount?: number;
  readonly first: number;
  readonly last: number;
  readonly total?: number;
  readonly hasMore?: boolean;
  readonly onPage: (page: number) => void;
}) {
  const canNext = pageCount !== undefined ? page < pageCount : hasMore === true;
  return (
    <nav className="pager" aria-label="Pagination">
      <button type="button" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        ‹ Previous
      </button>
      <span>
        {first}–{last}
        {total !== undefined ? ` of ${total}` : ''} · page {page}
        {pageCount !== undefined ? ` of ${pageCount}` : ''}
      </span>
      <button type="button" disabled={!canNext} onClick={() => onPage(page + 1)}>
        Next ›
      </button>
    </nav>
  );
}
