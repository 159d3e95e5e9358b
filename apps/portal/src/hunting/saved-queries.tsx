import { useState } from 'react';
import type { SavedQuery } from '../api/types';
import { useAuth } from '../auth/auth-context';
import { formatTime } from '../common/format';
import { paginate } from '../common/paginate';
import { Empty, ErrorView, Loading } from '../common/status-views';
import type { AsyncState } from '../common/use-async';
import { firstLine } from './query-store';

/** Saved queries per page of the side panel. */
export const savedPageSize = 15;

/** The saved queries a text matches: in the name, the query, the description or the owner. */
export function matchesSaved(q: SavedQuery, text: string): boolean {
  const t = text.trim().toLowerCase();
  return !t || [q.name, q.query, q.description, q.owner].some((s) => s.toLowerCase().includes(t));
}

/** The server's saved queries: the caller's private ones and the tenant's shared ones; analysts save and edit. */
export function SavedQueries({
  state,
  reload,
  current,
  onLoad,
}: {
  readonly state: AsyncState<SavedQuery[]>;
  readonly reload: () => void;
  readonly current: string;
  readonly onLoad: (query: string) => void;
}) {
  const { api, session } = useAuth();
  const [name, setName] = useState('');
  const [shared, setShared] = useState(false);
  const [filter, setFilter] = useState('');
  const [page, setPage] = useState(1);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const canWrite = session.role !== 'viewer';

  const act = async (work: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await work();
      setNotice(done);
      reload();
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  const save = () => {
    const n = name.trim() || firstLine(current);
    return act(
      async () => {
        await api.createSavedQuery({ name: n, query: current, shared });
        setName('');
      },
      `Saved “${n}”${shared ? ', shared with the tenant' : ''}.`,
    );
  };

  const all = state.status === 'done' ? state.value.filter((q) => matchesSaved(q, filter)) : [];
  const shown = paginate(all, page, savedPageSize);
  return (
    <>
      {canWrite ? (
        <form
          className="save-form"
          aria-label="Save query"
          onSubmit={(e) => {
            e.preventDefault();
            if (current.trim()) void save();
          }}
        >
          <input aria-label="Query name" placeholder="Name" value={name} onChange={(e) => setName(e.target.value)} />
          <label className="small">
            <input type="checkbox" checked={shared} onChange={(e) => setShared(e.target.checked)} /> Shared
          </label>
          <button type="submit" disabled={!current.trim() || busy}>
            Save query
          </button>
        </form>
      ) : (
        <p className="muted small">Viewers can open shared queries; analysts save them.</p>
      )}
      <input
        type="search"
        className="library-filter"
        aria-label="Filter saved queries"
        placeholder="Filter"
        value={filter}
        onChange={(e) => {
          setFilter(e.target.value);
          setPage(1);
        }}
      />
      {notice ? (
        <p className="muted small" role="status">
          {notice}
        </p>
      ) : null}
      {error ? <ErrorView error={error} /> : null}
      {state.status === 'loading' ? <Loading what="saved queries" /> : null}
      {state.status === 'error' ? <ErrorView error={state.error} onRetry={reload} /> : null}
      {state.status === 'done' && all.length === 0 ? (
        <Empty>{state.value.length ? 'No saved query matches.' : 'No saved queries yet.'}</Empty>
      ) : null}
      <ul className="query-list" aria-label="Saved queries">
        {shown.items.map((q) => (
          <SavedItem
            key={q.id}
            q={q}
            mine={q.owner === session.username || session.role === 'admin'}
            canWrite={canWrite && !busy}
            onLoad={onLoad}
            onUpdate={() => act(() => api.updateSavedQuery(q.id, { query: current }), `Updated “${q.name}”.`)}
            onShare={() =>
              act(
                () => api.updateSavedQuery(q.id, { shared: !q.shared }),
                q.shared ? `“${q.name}” is now private.` : `“${q.name}” is now shared with the tenant.`,
              )
            }
            onDelete={() => act(() => api.deleteSavedQuery(q.id), `Deleted “${q.name}”.`)}
          />
        ))}
      </ul>
      {shown.pageCount > 1 ? (
        <div className="mini-pager">
          <button type="button" disabled={shown.page <= 1} onClick={() => setPage(shown.page - 1)}>
            ‹
          </button>
          <span className="small">
            {shown.first}–{shown.last} of {shown.total}
          </span>
          <button type="button" disabled={shown.page >= shown.pageCount} onClick={() => setPage(shown.page + 1)}>
            ›
          </button>
        </div>
      ) : null}
    </>
  );
}

function SavedItem(props: {
  readonly q: SavedQuery;
  readonly mine: boolean;
  readonly canWrite: boolean;
  readonly onLoad: (query: string) => void;
  readonly onUpdate: () => void;
  readonly onShare: () => void;
  readonly onDelete: () => void;
}) {
  const { q, mine, canWrite } = props;
  return (
    <li>
      <button type="button" className="load" title={q.description || q.query} onClick={() => props.onLoad(q.query)}>
        <span className="qname">{q.name}</span>
        <span className="muted small">
          {q.shared ? `Shared · ${q.owner}` : 'Private'} · {formatTime(q.lastUpdatedTime)}
        </span>
      </button>
      {canWrite ? (
        <span className="item-actions">
          <button type="button" aria-label={`Update ${q.name} with the editor's query`} onClick={props.onUpdate}>
            ⟳
          </button>
          {mine ? (
            <>
              <button
                type="button"
                aria-label={q.shared ? `Make ${q.name} private` : `Share ${q.name}`}
                onClick={props.onShare}
              >
                {q.shared ? '🔒' : '👥'}
              </button>
              <button type="button" aria-label={`Delete ${q.name}`} onClick={props.onDelete}>
                ✕
              </button>
            </>
          ) : null}
        </span>
      ) : null}
    </li>
  );
}
