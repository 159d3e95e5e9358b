import { useMemo, useState } from 'react';
import type { HuntResult } from '../api/types';
import { cellText } from '../common/format';
import { Pager } from '../common/pager';
import { paginate } from '../common/paginate';
import { download, toCsv, toJson } from './export-rows';
import { type GridSort, nextSort, viewRows } from './grid-model';

/** Rows per page of the results grid. */
export const resultsPageSize = 100;

/** Hunting results: filter, sort by a header click, CSV/JSON export of the filtered rows, pages of 100. */
export function ResultsGrid({ result }: { readonly result: HuntResult }) {
  const [filter, setFilter] = useState('');
  const [sort, setSort] = useState<GridSort | null>(null);
  const [page, setPage] = useState(1);
  const rows = useMemo(() => viewRows(result.Results, filter, sort), [result, filter, sort]);
  const current = paginate(rows, page, resultsPageSize);
  const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');

  return (
    <div className="results">
      <div className="results-bar">
        <span className="count" aria-live="polite">
          {rows.length === result.Results.length
            ? `${result.Results.length} rows`
            : `${rows.length} of ${result.Results.length} rows`}
          {result.Truncated ? ' (truncated by the row limit)' : ''}
        </span>
        <input
          type="search"
          aria-label="Filter results"
          placeholder="Filter results"
          value={filter}
          onChange={(e) => {
            setFilter(e.target.value);
            setPage(1);
          }}
        />
        <button
          type="button"
          onClick={() => download(`hunting-${stamp()}.csv`, toCsv(result.Schema, rows), 'text/csv')}
        >
          Export CSV
        </button>
        <button
          type="button"
          onClick={() => download(`hunting-${stamp()}.json`, toJson(result.Schema, rows), 'application/json')}
        >
          Export JSON
        </button>
      </div>
      <div className="grid-scroll">
        <table className="grid" aria-label="Query results">
          <thead>
            <tr>
              {result.Schema.map((c) => (
                <th
                  key={c.Name}
                  aria-sort={
                    sort?.column === c.Name ? (sort.direction === 'asc' ? 'ascending' : 'descending') : undefined
                  }
                >
                  <button type="button" className="sort" title={c.Type} onClick={() => setSort(nextSort(sort, c.Name))}>
                    {c.Name}
                    {sort?.column === c.Name ? (sort.direction === 'asc' ? ' ▲' : ' ▼') : ''}
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {current.items.map((row, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: result rows have no identity of their own.
              <tr key={i}>
                {result.Schema.map((c) => (
                  <td key={c.Name} className={c.Type === 'Object' ? 'mono' : undefined}>
                    {cellText(row[c.Name])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {current.pageCount > 1 ? (
        <Pager
          page={current.page}
          pageCount={current.pageCount}
          first={current.first}
          last={current.last}
          total={current.total}
          onPage={setPage}
        />
      ) : null}
    </div>
  );
}
