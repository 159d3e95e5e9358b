import { useState } from 'react';
import type { MachineAction } from '../api/action-types';
import { useAuth } from '../auth/auth-context';
import { cellText, formatTime } from '../common/format';
import { Empty, ErrorView, Loading } from '../common/status-views';
import { useAsync } from '../common/use-async';
import { usePolling } from '../common/use-polling';
import { hrefOf } from '../router/routes';
import { ActionFiles } from './action-files';
import { actionTypeLabel, cancellable, isActive, statusClass } from './action-model';
import { ConfirmActionDialog } from './confirm-action-dialog';
import { quarantinedFileOf } from './quarantine-model';
import { RestoreFileDialog } from './restore-file-dialog';

/**
 * One response action: its request, state, results, its history and (for admins) the audit log entries. While it is
 * Pending or InProgress the page asks again every few seconds, so an analyst watches it finish. A succeeded quarantine
 * offers to restore its file.
 */
export function ActionPage({ id }: { readonly id: string }) {
  const { api, session } = useAuth();
  const state = useAsync((signal) => api.machineAction(id, signal), [api, id]);
  const [cancelling, setCancelling] = useState(false);
  const [restoring, setRestoring] = useState(false);
  usePolling(state.status === 'done' && isActive(state.value), state.refresh);
  const restorable = state.status === 'done' ? quarantinedFileOf(state.value) : null;
  const canAct = session.role !== 'viewer';
  return (
    <section aria-labelledby="action-title">
      <p className="crumbs">
        <a href={hrefOf({ kind: 'actions', tab: 'pending', page: 1 })}>Action center</a> ›
      </p>
      {state.status === 'loading' ? <Loading what="the action" /> : null}
      {state.status === 'error' ? <ErrorView error={state.error} onRetry={state.reload} /> : null}
      {state.status === 'done' ? (
        <>
          <div className="page-head">
            <h1 id="action-title">{state.value.title}</h1>
            <span className={statusClass(state.value.status)}>{state.value.status}</span>
            <button type="button" onClick={state.reload}>
              Refresh
            </button>
            {restorable && canAct ? (
              <button type="button" onClick={() => setRestoring(true)}>
                Restore file
              </button>
            ) : null}
            {cancellable(state.value) && canAct ? (
              <button type="button" onClick={() => setCancelling(true)}>
                Cancel action
              </button>
            ) : null}
          </div>
          <ActionDetails action={state.value} />
          <ActionFiles action={state.value} />
          <ActionHistory action={state.value} />
          {session.role === 'admin' ? (
            <AuditTrail id={id} />
          ) : (
            <p className="muted small">The tenant's audit log is for admins; the history above is the action's own.</p>
          )}
          {restoring && restorable ? (
            <RestoreFileDialog
              machineId={state.value.machineId}
              sha256={restorable.sha256}
              originalPath={restorable.originalPath}
              onClose={() => setRestoring(false)}
            />
          ) : null}
          {cancelling ? (
            <ConfirmActionDialog
              title={`Cancel “${state.value.title}”`}
              confirmLabel="Cancel action"
              doneVerb="Cancelled"
              onConfirm={(comment) => api.cancelMachineAction(id, comment)}
              onClose={(done) => {
                setCancelling(false);
                if (done) state.reload();
              }}
            />
          ) : null}
        </>
      ) : null}
    </section>
  );
}

function ActionDetails({ action: a }: { readonly action: MachineAction }) {
  return (
    <dl className="details">
      <dt>Type</dt>
      <dd>{actionTypeLabel(a.type)}</dd>
      <dt>Device</dt>
      <dd>
        <a href={hrefOf({ kind: 'device', id: a.machineId })}>{a.computerDnsName}</a>
      </dd>
      <dt>Requested by</dt>
      <dd>
        {a.requestor}
        {a.requestSource ? ` (${a.requestSource})` : ''}: “{a.requestorComment}”
      </dd>
      <dt>Created</dt>
      <dd>{formatTime(a.creationDateTimeUtc)}</dd>
      <dt>Last update</dt>
      <dd>{formatTime(a.lastUpdateDateTimeUtc)}</dd>
      <dt>Expires if not picked up</dt>
      <dd>{formatTime(a.expirationDateTimeUtc)}</dd>
      {Object.keys(a.params).length ? (
        <>
          <dt>Parameters</dt>
          <dd>
            <code>{cellText(a.params)}</code>
          </dd>
        </>
      ) : null}
      {a.errorMessage ? (
        <>
          <dt>Error</dt>
          <dd className="diag-error">{a.errorMessage}</dd>
        </>
      ) : null}
      {a.result ? (
        <>
          <dt>Result</dt>
          <dd>
            <code>{cellText(a.result)}</code>
          </dd>
        </>
      ) : null}
      {a.cancellationRequestor ? (
        <>
          <dt>Cancelled</dt>
          <dd>
            by {a.cancellationRequestor} at {formatTime(a.cancellationDateTimeUtc)}: “{a.cancellationComment}”
          </dd>
        </>
      ) : null}
    </dl>
  );
}

function ActionHistory({ action }: { readonly action: MachineAction }) {
  return (
    <section aria-labelledby="action-history-title">
      <h2 id="action-history-title">History</h2>
      <ol className="history-list" aria-label="Action history">
        {action.history.map((h, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the history only grows, in order.
          <li key={i}>
            <span className={statusClass(h.status)}>{h.status}</span> {formatTime(h.time)} by {h.by}
            {h.comment ? ` — “${h.comment}”` : ''}
          </li>
        ))}
      </ol>
    </section>
  );
}

function AuditTrail({ id }: { readonly id: string }) {
  const { api } = useAuth();
  const state = useAsync((signal) => api.auditLog({ target: `machineaction/${id}`, top: 100 }, signal), [api, id]);
  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title">Audit log</h2>
      {state.status === 'loading' ? <Loading what="the audit log" /> : null}
      {state.status === 'error' ? <ErrorView error={state.error} onRetry={state.reload} /> : null}
      {state.status === 'done' && state.value.value.length === 0 ? <Empty>No audit entry for it.</Empty> : null}
      {state.status === 'done' && state.value.value.length > 0 ? (
        <table className="grid" aria-label="Audit log">
          <thead>
            <tr>
              <th>Time</th>
              <th>Actor</th>
              <th>What</th>
              <th>Details</th>
            </tr>
          </thead>
          <tbody>
            {state.value.value.map((e) => (
              <tr key={e.id}>
                <td className="nowrap">{formatTime(e.time)}</td>
                <td>{e.actor}</td>
                <td>{e.action}</td>
                <td className="wrap">
                  <code>{cellText(e.details)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
