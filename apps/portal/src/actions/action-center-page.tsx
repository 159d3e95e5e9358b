import { useState } from 'react';
import type { ActionStatus, ActionType, MachineAction } from '../api/action-types';
import { actionTypes } from '../api/action-types';
import { useAuth } from '../auth/auth-context';
import { Pager } from '../common/pager';
import { Empty, ErrorView, Loading } from '../common/status-views';
import { useAsync } from '../common/use-async';
import { usePolling } from '../common/use-polling';
import { type ActionsTab, hrefOf } from '../router/routes';
import { navigate } from '../router/use-route';
import { actionTypeLabel, activeStatuses, finalStatuses, isActive } from './action-model';
import { ActionTable } from './action-table';
import { ConfirmActionDialog } from './confirm-action-dialog';

/** Actions per page of the action center. */
export const actionPageSize = 25;

/**
 * The action center: response actions still Pending or InProgress (cancellable while Pending), and the history of
 * finished ones, filtered by type (and state in the history) and paged by the server. While a shown action is Pending
 * or InProgress the list is asked for again every few seconds (and no longer once none is).
 */
export function ActionCenterPage({
  tab,
  page,
  onNavigate = navigate,
}: {
  readonly tab: ActionsTab;
  readonly page: number;
  readonly onNavigate?: (hash: string) => void;
}) {
  const { api, session } = useAuth();
  const [type, setType] = useState<ActionType | ''>('');
  const [status, setStatus] = useState<ActionStatus | ''>('');
  const [cancelling, setCancelling] = useState<MachineAction | null>(null);
  const statuses = tab === 'pending' ? activeStatuses : status ? [status] : finalStatuses;
  const state = useAsync(
    (signal) =>
      api.machineActions(
        {
          status: statuses,
          ...(type ? { type: [type] } : {}),
          top: actionPageSize,
          skip: (page - 1) * actionPageSize,
        },
        signal,
      ),
    [api, tab, type, status, page],
  );
  const canAct = session.role !== 'viewer';
  const go = (t: ActionsTab, p: number) => onNavigate(hrefOf({ kind: 'actions', tab: t, page: p }));
  const actions = state.status === 'done' ? state.value.value : [];
  const total = state.status === 'done' ? state.value.total : 0;
  const first = (page - 1) * actionPageSize + 1;
  usePolling(actions.some(isActive), state.refresh);
  return (
    <section aria-labelledby="actions-title">
      <div className="page-head">
        <h1 id="actions-title">Action center</h1>
        <button type="button" onClick={state.reload}>
          Refresh
        </button>
      </div>
      <nav className="page-tabs" aria-label="Action states">
        <a
          href={hrefOf({ kind: 'actions', tab: 'pending', page: 1 })}
          aria-current={tab === 'pending' ? 'page' : undefined}
        >
          Pending
        </a>
        <a
          href={hrefOf({ kind: 'actions', tab: 'history', page: 1 })}
          aria-current={tab === 'history' ? 'page' : undefined}
        >
          History
        </a>
      </nav>
      <div className="filters">
        <label>
          Action type{' '}
          <select
            value={type}
            onChange={(e) => {
              setType(e.target.value as ActionType | '');
              if (page > 1) go(tab, 1);
            }}
          >
            <option value="">Any</option>
            {actionTypes.map((t) => (
              <option key={t} value={t}>
                {actionTypeLabel(t)}
              </option>
            ))}
          </select>
        </label>
        {tab === 'history' ? (
          <label>
            Status{' '}
            <select
              value={status}
              onChange={(e) => {
                setStatus(e.target.value as ActionStatus | '');
                if (page > 1) go(tab, 1);
              }}
            >
              <option value="">Any</option>
              {finalStatuses.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          </label>
        ) : null}
      </div>
      {state.status === 'loading' ? <Loading what="actions" /> : null}
      {state.status === 'error' ? <ErrorView error={state.error} onRetry={state.reload} /> : null}
      {state.status === 'done' && actions.length === 0 ? (
        <Empty>{tab === 'pending' ? 'No action is waiting.' : 'No finished action yet.'}</Empty>
      ) : null}
      {actions.length > 0 ? (
        <>
          <ActionTable
            actions={actions}
            label={tab === 'pending' ? 'Pending actions' : 'Action history'}
            onCancel={canAct && tab === 'pending' ? setCancelling : undefined}
          />
          <Pager
            page={page}
            pageCount={Math.max(1, Math.ceil(total / actionPageSize))}
            first={first}
            last={first + actions.length - 1}
            total={total}
            onPage={(p) => go(tab, p)}
          />
        </>
      ) : null}
      {cancelling ? (
        <ConfirmActionDialog
          title={`Cancel “${cancelling.title}”`}
          confirmLabel="Cancel action"
          doneVerb="Cancelled"
          onConfirm={(comment) => api.cancelMachineAction(cancelling.id, comment)}
          onClose={(done) => {
            setCancelling(null);
            if (done) state.reload();
          }}
        >
          <p>The agent has not picked it up yet; cancelled, it never runs.</p>
        </ConfirmActionDialog>
      ) : null}
    </section>
  );
}
