import { useState } from 'react';
import { formatTime } from '../common/format';
import type { QueryStore, StoredQuery } from './query-store';

/** Saved queries and the run history; a click loads a query into the editor. */
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
  const [saved, setSaved] = useState(() => store.saved());
  const [name, setName] = useState('');
  const [tab, setTab] = useState<'saved' | 'history'>('saved');
  return (
    <aside className="library" aria-label="Queries">
      <div className="tabs" role="tablist">
        <button type="button" role="tab" aria-selected={tab === 'saved'} onClick={() => setTab('saved')}>
          Saved ({saved.length})
        </button>
        <button type="button" role="tab" aria-selected={tab === 'history'} onClick={() => setTab('history')}>
          History ({history.length})
        </button>
      </div>
      {tab === 'saved' ? (
        <>
          <form
            className="save-form"
            onSubmit={(e) => {
              e.preventDefault();
              if (!current.trim()) return;
              setSaved(store.save(name, current));
              setName('');
            }}
          >
            <input aria-label="Query name" placeholder="Name" value={name} onChange={(e) => setName(e.target.value)} />
            <button type="submit" disabled={!current.trim()}>
              Save query
            </button>
          </form>
          <QueryList
            items={saved}
            empty="No saved queries yet."
            onLoad={onLoad}
            onDelete={(q) => setSaved(store.remove(q.id))}
          />
        </>
      ) : (
        <>
          <QueryList items={history} empty="Queries you run appear here." onLoad={onLoad} />
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

function QueryList({
  items,
  empty,
  onLoad,
  onDelete,
}: {
  readonly items: readonly StoredQuery[];
  readonly empty: string;
  readonly onLoad: (query: string) => void;
  readonly onDelete?: (q: StoredQuery) => void;
}) {
  if (items.length === 0) return <p className="muted">{empty}</p>;
  return (
    <ul className="query-list">
      {items.map((q) => (
        <li key={q.id}>
          <button type="button" className="load" title={q.query} onClick={() => onLoad(q.query)}>
            <span className="qname">{q.name}</span>
            <span className="muted small">{formatTime(q.at)}</span>
          </button>
          {onDelete ? (
            <button type="button" aria-label={`Delete ${q.name}`} onClick={() => onDelete(q)}>
              ✕
            </button>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
