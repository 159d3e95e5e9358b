import { type FormEvent, useState } from 'react';
import { ConfirmActionDialog } from '../actions/confirm-action-dialog';
import { type QuarantineTarget, quarantineTargetOf } from '../actions/quarantine-model';
import type { MachineAction } from '../api/action-types';
import { useAuth } from '../auth/auth-context';
import { cellText, formatTime } from '../common/format';
import { Pager } from '../common/pager';
import { Empty, ErrorView, Loading } from '../common/status-views';
import { useAsync } from '../common/use-async';
import { buildTimelineQuery, type TimelineFilter, timelineTables, timelineWindows } from './timeline-query';

const pageSize = 50;
type Draft = Pick<TimelineFilter, 'tables' | 'window' | 'actionType' | 'search'>;
const emptyDraft: Draft = { tables: [], window: '30d', actionType: '', search: '' };
const detailColumns = ['FileName', 'ProcessCommandLine', 'RemoteIP', 'RemoteUrl', 'RegistryKey', 'AccountName'];

/**
 * A device's events from every Device*Events table, newest first, filtered and paged through advanced hunting; a file
 * event offers to stop and quarantine its file, a process start its image.
 */
export function DeviceTimeline({
  deviceId,
  onAction,
}: {
  readonly deviceId: string;
  readonly onAction?: (a: MachineAction) => void;
}) {
  const { api, session } = useAuth();
  const [quarantine, setQuarantine] = useState<QuarantineTarget | null>(null);
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [applied, setApplied] = useState<Draft>(emptyDraft);
  const [page, setPage] = useState(1);
  const query = buildTimelineQuery({ deviceId, ...applied, page, pageSize });
  const state = useAsync((signal) => api.hunt(query, { signal }), [api, query]);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setApplied(draft);
    setPage(1);
  };

  const rows = state.status === 'done' ? state.value.Results.slice(0, pageSize) : [];
  const hasMore = state.status === 'done' && state.value.Results.length > pageSize;
  return (
    <section className="timeline" aria-labelledby="timeline-title">
      <h2 id="timeline-title">Timeline</h2>
      <form className="filters" onSubmit={apply} aria-label="Timeline filters">
        <select
          aria-label="Event table"
          value={draft.tables[0] ?? ''}
          onChange={(e) => setDraft({ ...draft, tables: e.target.value ? [e.target.value] : [] })}
        >
          <option value="">All event tables</option>
          {timelineTables.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
        <select
          aria-label="Time window"
          value={draft.window}
          onChange={(e) => setDraft({ ...draft, window: e.target.value as Draft['window'] })}
        >
          {Object.entries(timelineWindows).map(([k, label]) => (
            <option key={k} value={k}>
              Last {label}
            </option>
          ))}
        </select>
        <input
          aria-label="Action type"
          placeholder="Action type"
          value={draft.actionType}
          onChange={(e) => setDraft({ ...draft, actionType: e.target.value })}
        />
        <input
          type="search"
          aria-label="Search events"
          placeholder="Search file, command line, IP, URL…"
          value={draft.search}
          onChange={(e) => setDraft({ ...draft, search: e.target.value })}
        />
        <button type="submit">Apply</button>
      </form>
      {state.status === 'loading' ? <Loading what="events" /> : null}
      {state.status === 'error' ? <ErrorView error={state.error} onRetry={state.reload} /> : null}
      {state.status === 'done' && rows.length === 0 ? <Empty>No events match.</Empty> : null}
      {rows.length > 0 ? (
        <>
          <TimelineTable rows={rows} onQuarantine={session.role === 'viewer' ? undefined : setQuarantine} />
          <Pager
            page={page}
            first={(page - 1) * pageSize + 1}
            last={(page - 1) * pageSize + rows.length}
            hasMore={hasMore}
            onPage={setPage}
          />
        </>
      ) : null}
      {quarantine ? (
        <ConfirmActionDialog
          title={quarantine.kind === 'image' ? 'Stop and quarantine process image' : 'Stop and quarantine file'}
          confirmLabel="Quarantine"
          onConfirm={(Comment) =>
            api.requestAction(deviceId, 'quarantine', {
              Comment,
              Path: quarantine.path,
              ...(quarantine.sha256 ? { Sha256: quarantine.sha256 } : {}),
            })
          }
          onClose={(done) => {
            setQuarantine(null);
            if (done) onAction?.(done);
          }}
        >
          <p>
            Stops every process running <code>{quarantine.path}</code> and moves the file to quarantine
            {quarantine.sha256 ? ' (only if its SHA-256 still matches)' : ''}.
          </p>
        </ConfirmActionDialog>
      ) : null}
    </section>
  );
}

function TimelineTable({
  rows,
  onQuarantine,
}: {
  readonly rows: readonly Record<string, unknown>[];
  readonly onQuarantine: ((target: QuarantineTarget) => void) | undefined;
}) {
  return (
    <table className="grid" aria-label="Device events">
      <thead>
        <tr>
          <th>Time</th>
          <th>Table</th>
          <th>Action type</th>
          <th>Details</th>
          <th>Initiating process</th>
          {onQuarantine ? <th /> : null}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: events have no id that is unique across tables; a page is static.
          <tr key={i}>
            <td className="nowrap">{formatTime(cellText(row.Timestamp))}</td>
            <td>{cellText(row.EventTable).replace(/^Device/, '')}</td>
            <td>{cellText(row.ActionType)}</td>
            <td className="wrap">
              {detailColumns
                .map((c) => cellText(row[c]))
                .filter(Boolean)
                .join(' · ')}
            </td>
            <td className="wrap">{cellText(row.InitiatingProcessFileName)}</td>
            {onQuarantine ? <QuarantineCell row={row} onQuarantine={onQuarantine} /> : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function QuarantineCell({
  row,
  onQuarantine,
}: {
  readonly row: Readonly<Record<string, unknown>>;
  readonly onQuarantine: (target: QuarantineTarget) => void;
}) {
  const target = quarantineTargetOf(row);
  return (
    <td>
      {target ? (
        <button
          type="button"
          aria-label={`Quarantine ${target.path}`}
          title={target.kind === 'image' ? 'Stop and quarantine the process image' : 'Stop and quarantine the file'}
          onClick={() => onQuarantine(target)}
        >
          {target.kind === 'image' ? 'Quarantine image' : 'Quarantine'}
        </button>
      ) : null}
    </td>
  );
}
