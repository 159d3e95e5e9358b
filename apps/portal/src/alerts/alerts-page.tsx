import { useState } from 'react';
import type { Alert } from '../api/types';
import { useAuth } from '../auth/auth-context';
import { formatTime } from '../common/format';
import { Pager } from '../common/pager';
import { Empty, ErrorView, Loading } from '../common/status-views';
import { useAsync } from '../common/use-async';
import { type AlertFilters, hrefOf, noAlertFilters } from '../router/routes';
import { navigate } from '../router/use-route';
import { alertSeverities, alertStatuses, techniqueLabel, techniquesOf, words } from './alert-model';

/** Alerts per page of the queue. */
export const alertPageSize = 25;

type Filters = AlertFilters;
const noFilters = noAlertFilters;

/**
 * The alerts queue: newest first, filtered and paged by the server, with bulk status changes. The filters and the
 * page live in the URL (`#/alerts?severity=High&page=2`): applying them navigates, so every view is a deep link.
 */
export function AlertsPage({
  filters = noFilters,
  page = 1,
  onNavigate = navigate,
}: {
  readonly filters?: Filters;
  readonly page?: number;
  readonly onNavigate?: (hash: string) => void;
}) {
  const { api } = useAuth();
  const [draft, setDraft] = useState<Filters>(filters);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [bulkStatus, setBulkStatus] = useState('InProgress');
  const [bulk, setBulk] = useState<{ busy: boolean; message?: string; error?: Error }>({ busy: false });
  const machines = useAsync((signal) => api.machines(signal), [api]);
  const state = useAsync(
    (signal) =>
      api.alerts(
        {
          ...(filters.severity ? { severity: [filters.severity] } : {}),
          ...(filters.status ? { status: [filters.status] } : {}),
          ...(filters.technique.trim() ? { technique: filters.technique.trim() } : {}),
          ...(filters.machineId ? { machineId: filters.machineId } : {}),
          top: alertPageSize,
          skip: (page - 1) * alertPageSize,
        },
        signal,
      ),
    [api, filters.severity, filters.status, filters.technique, filters.machineId, page],
  );

  const go = (next: Filters, p: number) => onNavigate(hrefOf({ kind: 'alerts', filters: next, page: p }));
  const apply = (next: Filters) => go(next, 1);
  const filtered = Object.values(filters).some(Boolean);

  const changeStatus = async () => {
    setBulk({ busy: true });
    const ids = [...selected];
    const failures: string[] = [];
    let lastError: Error | undefined;
    for (const id of ids) {
      try {
        await api.updateAlert(id, { status: bulkStatus });
      } catch (e) {
        failures.push(id);
        lastError = e as Error;
      }
    }
    setSelected(new Set(failures));
    setBulk({
      busy: false,
      message: `${ids.length - failures.length} of ${ids.length} alerts set to ${words(bulkStatus)}.`,
      ...(lastError ? { error: lastError } : {}),
    });
    state.reload();
  };

  const alerts = state.status === 'done' ? state.value.value : [];
  const total = state.status === 'done' ? state.value.total : 0;
  const pageCount = Math.max(1, Math.ceil(total / alertPageSize));
  const first = alerts.length ? (page - 1) * alertPageSize + 1 : 0;
  const allSelected = alerts.length > 0 && alerts.every((a) => selected.has(a.id));

  return (
    <section aria-labelledby="alerts-title">
      <div className="page-head">
        <h1 id="alerts-title">Alerts queue</h1>
        <button type="button" onClick={state.reload}>
          Refresh
        </button>
      </div>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          apply(draft);
        }}
      >
        <label>
          Severity{' '}
          <select value={draft.severity} onChange={(e) => setDraft({ ...draft, severity: e.target.value })}>
            <option value="">Any</option>
            {[...alertSeverities].reverse().map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Status{' '}
          <select value={draft.status} onChange={(e) => setDraft({ ...draft, status: e.target.value })}>
            <option value="">Any</option>
            {alertStatuses.map((s) => (
              <option key={s} value={s}>
                {words(s)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Technique{' '}
          <input
            type="search"
            placeholder="T1059"
            value={draft.technique}
            onChange={(e) => setDraft({ ...draft, technique: e.target.value })}
          />
        </label>
        <label>
          Device{' '}
          <select value={draft.machineId} onChange={(e) => setDraft({ ...draft, machineId: e.target.value })}>
            <option value="">Any</option>
            {(machines.status === 'done' ? machines.value : []).map((m) => (
              <option key={m.id} value={m.id}>
                {m.computerDnsName}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary">
          Apply
        </button>
        <button
          type="button"
          onClick={() => {
            setDraft(noFilters);
            apply(noFilters);
          }}
        >
          Clear
        </button>
      </form>
      <div className="toolbar">
        <span className="muted">{selected.size} selected</span>
        <label>
          Set status{' '}
          <select value={bulkStatus} onChange={(e) => setBulkStatus(e.target.value)}>
            {alertStatuses.map((s) => (
              <option key={s} value={s}>
                {words(s)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" disabled={selected.size === 0 || bulk.busy} onClick={changeStatus}>
          Change status of selected
        </button>
        {bulk.message ? (
          <span className="muted" role="status">
            {bulk.message}
          </span>
        ) : null}
      </div>
      {bulk.error ? <ErrorView error={bulk.error} /> : null}
      {state.status === 'loading' ? <Loading what="alerts" /> : null}
      {state.status === 'error' ? <ErrorView error={state.error} onRetry={state.reload} /> : null}
      {state.status === 'done' && alerts.length === 0 ? (
        <Empty>{filtered ? 'No alert matches the filters.' : 'No alert yet.'}</Empty>
      ) : null}
      {state.status === 'done' && alerts.length > 0 ? (
        <>
          <AlertTable
            alerts={alerts}
            selected={selected}
            allSelected={allSelected}
            onToggle={(id) => {
              const next = new Set(selected);
              if (next.has(id)) next.delete(id);
              else next.add(id);
              setSelected(next);
            }}
            onToggleAll={() => setSelected(allSelected ? new Set() : new Set(alerts.map((a) => a.id)))}
          />
          <Pager
            page={page}
            pageCount={pageCount}
            first={first}
            last={first + alerts.length - 1}
            total={total}
            onPage={(p) => go(filters, p)}
          />
        </>
      ) : null}
    </section>
  );
}

function AlertTable({
  alerts,
  selected,
  allSelected,
  onToggle,
  onToggleAll,
}: {
  readonly alerts: readonly Alert[];
  readonly selected: ReadonlySet<string>;
  readonly allSelected: boolean;
  readonly onToggle: (id: string) => void;
  readonly onToggleAll: () => void;
}) {
  return (
    <table className="grid" aria-label="Alerts">
      <thead>
        <tr>
          <th>
            <input type="checkbox" aria-label="Select all alerts" checked={allSelected} onChange={onToggleAll} />
          </th>
          <th>Severity</th>
          <th>Status</th>
          <th>Title</th>
          <th>Device</th>
          <th>Techniques</th>
          <th>First activity</th>
          <th>Last activity</th>
          <th>Events</th>
        </tr>
      </thead>
      <tbody>
        {alerts.map((a) => (
          <tr key={a.id}>
            <td>
              <input
                type="checkbox"
                aria-label={`Select ${a.title}`}
                checked={selected.has(a.id)}
                onChange={() => onToggle(a.id)}
              />
            </td>
            <td>
              <span className={`badge sev-${a.severity.toLowerCase()}`}>{a.severity}</span>
            </td>
            <td>{words(a.status)}</td>
            <td className="wrap">
              <a href={hrefOf({ kind: 'alert', id: a.id })}>{a.title}</a>
            </td>
            <td>
              {a.machineId ? (
                <a href={hrefOf({ kind: 'device', id: a.machineId })}>{a.computerDnsName ?? a.machineId}</a>
              ) : (
                '—'
              )}
            </td>
            <td className="wrap">{techniquesOf(a).map(techniqueLabel).join(', ') || '—'}</td>
            <td className="nowrap">{formatTime(a.firstEventTime)}</td>
            <td className="nowrap">{formatTime(a.lastEventTime)}</td>
            <td>{a.eventCount}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
