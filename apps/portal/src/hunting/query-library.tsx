import { useState } from 'react';
import { useAuth } from '../auth/auth-context';
import { formatTime } from '../common/format';
import { useAsync } from '../common/use-async';
import type { QueryStore, StoredQuery } from './query-store';
import { SavedQueries } from './saved-queries';

/** Saved queries (on the server) and the run history (in this browser); a click loads a query into the editor. */
export function QueryLibrary({
  store,
  current,
  history,
  onHistory,
  onLoad,
}: {
  readonly store: QueryStore;
  readonly current: string;
  readonly history: readonly StoredQuery[];
  readonly onHistory: (list: StoredQuery[]) => void;
  readonly onLoad: (query: string) => void;
}) {
  const { api } = useAuth();
  const saved = useAsync((signal) => api.savedQueries(signal), [api]);
  const [tab, setTab] = useState<'saved' | 'history'>('saved');
  return (
    <aside className="library" aria-label="Queries">
      <div className="tabs" role="tablist">
        <button type="button" role="tab" aria-selected={tab === 'saved'} onClick={() => setTab('saved')}>
          Saved{saved.status === 'done' ? ` (${saved.value.length})` : ''}
        </button>
        <button type="button" role="tab" aria-selected={tab === 'history'} onClick={() => setTab('history')}>
          History ({history.length})
        </button>
      </div>
      {tab === 'saved' ? (
        <SavedQueries state={saved} reload={saved.reload} current={current} onLoad={onLoad} />
      ) : (
        <>
          <HistoryList items={history} onLoad={onLoad} />
          {history.length ? (
            <button
              type="button"
              onClick={() => {
                store.clearHistory();
                onHistory([]);
              }}
            >
              Clear history
            </button>
          ) : null}
        </>
      )}
    </aside>
  );
}

function HistoryList({
  items,
  onLoad,
}: {
  readonly items: readonly StoredQuery[];
  readonly onLoad: (query: string) => void;
}) {
  if (items.length === 0) return <p className="muted">Queries you run appear here.</p>;
  return (
    <ul className="query-list" aria-label="Query history">
      {items.map((q) => (
        <li key={q.id}>
          <button type="button" className="load" title={q.query} onClick={() => onLoad(q.query)}>
            <span className="qname">{q.name}</span>
            <span className="muted small">{formatTime(q.at)}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
