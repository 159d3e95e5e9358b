import { useState } from 'react';
import type { Indicator } from '../api/types';
import { formatTime } from '../common/format';
import { Pager } from '../common/pager';
import { paginate } from '../common/paginate';
import { Empty } from '../common/status-views';
import { IndicatorEditForm } from './indicator-edit-form';
import { matchesIndicator } from './indicator-model';

/** Indicators per page. */
export const indicatorPageSize = 25;

/** The indicators, filtered by a text and paged in the browser; Edit opens a form above the table. */
export function IndicatorTable({
  indicators,
  onDelete,
  onEdited,
}: {
  readonly indicators: readonly Indicator[];
  readonly onDelete: (i: Indicator) => void;
  readonly onEdited: (i: Indicator) => void;
}) {
  const [text, setText] = useState('');
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<Indicator | null>(null);
  const shown = paginate(
    indicators.filter((i) => matchesIndicator(i, text)),
    page,
    indicatorPageSize,
  );
  return (
    <>
      <div className="filters">
        <label>
          Filter indicators{' '}
          <input
            type="search"
            placeholder="value, title, type or action"
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setPage(1);
            }}
          />
        </label>
      </div>
      {editing ? (
        <IndicatorEditForm
          key={editing.id}
          indicator={editing}
          onCancel={() => setEditing(null)}
          onDone={(i) => {
            setEditing(null);
            onEdited(i);
          }}
        />
      ) : null}
      {shown.total === 0 ? <Empty>No indicator matches “{text}”.</Empty> : null}
      {shown.total > 0 ? (
        <>
          <table className="grid" aria-label="Indicators">
            <thead>
              <tr>
                <th>Type</th>
                <th>Value</th>
                <th>Action</th>
                <th>Severity</th>
                <th>Title</th>
                <th>Expires</th>
                <th>Created</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {shown.items.map((i) => (
                <tr key={i.id}>
                  <td>{i.indicatorType}</td>
                  <td className="wrap">
                    <code>{i.indicatorValue}</code>
                  </td>
                  <td>{i.action}</td>
                  <td>{i.severity ?? '—'}</td>
                  <td className="wrap">{i.title ?? ''}</td>
                  <td className="nowrap">{i.expirationTime ? formatTime(i.expirationTime) : 'Never'}</td>
                  <td className="nowrap">{formatTime(i.creationTimeDateTimeUtc)}</td>
                  <td className="nowrap">
                    <button type="button" aria-label={`Edit ${i.indicatorValue}`} onClick={() => setEditing(i)}>
                      Edit
                    </button>{' '}
                    <button type="button" aria-label={`Delete ${i.indicatorValue}`} onClick={() => onDelete(i)}>
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager
            page={shown.page}
            pageCount={shown.pageCount}
            first={shown.first}
            last={shown.last}
            total={shown.total}
            onPage={setPage}
          />
        </>
      ) : null}
    </>
  );
}
