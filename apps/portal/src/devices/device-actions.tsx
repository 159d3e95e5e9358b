import { useEffect, useRef, useState } from 'react';
import { isActive } from '../actions/action-model';
import { ActionTable } from '../actions/action-table';
import { useAuth } from '../auth/auth-context';
import { Pager } from '../common/pager';
import { Empty, ErrorView, Loading } from '../common/status-views';
import { useAsync } from '../common/use-async';
import { usePolling } from '../common/use-polling';

/** Actions per page of a device's action history. */
export const deviceActionPageSize = 10;

/**
 * The device's response actions, newest first; `generation` changes when a new one was queued. While a shown action
 * is Pending or InProgress the list is asked for again every few seconds, and `onSettled` is told when one of them
 * has finished (the device's isolation or quarantine may have changed).
 */
export function DeviceActions({
  deviceId,
  generation,
  onSettled,
}: {
  readonly deviceId: string;
  readonly generation: number;
  readonly onSettled?: () => void;
}) {
  const { api } = useAuth();
  const [page, setPage] = useState(1);
  const state = useAsync(
    (signal) =>
      api.machineActions(
        { machineId: deviceId, top: deviceActionPageSize, skip: (page - 1) * deviceActionPageSize },
        signal,
      ),
    [api, deviceId, page, generation],
  );
  const actions = state.status === 'done' ? state.value.value : null;
  usePolling(!!actions?.some(isActive), state.refresh);
  useSettled(actions, onSettled);
  const first = (page - 1) * deviceActionPageSize + 1;
  return (
    <section aria-labelledby="device-actions-title">
      <h2 id="device-actions-title">Action history</h2>
      {state.status === 'loading' ? <Loading what="the device's actions" /> : null}
      {state.status === 'error' ? <ErrorView error={state.error} onRetry={state.reload} /> : null}
      {state.status === 'done' && state.value.value.length === 0 ? (
        <Empty>No response action on this device yet.</Empty>
      ) : null}
      {state.status === 'done' && state.value.value.length > 0 ? (
        <>
          <ActionTable actions={state.value.value} label="Device actions" showDevice={false} />
          <Pager
            page={page}
            pageCount={Math.max(1, Math.ceil(state.value.total / deviceActionPageSize))}
            first={first}
            last={first + state.value.value.length - 1}
            total={state.value.total}
            onPage={setPage}
          />
        </>
      ) : null}
    </section>
  );
}

/** Calls `onSettled` when an action that was active in the previous answer is shown finished in this one. */
function useSettled(actions: readonly { id: string; status: string }[] | null, onSettled: (() => void) | undefined) {
  const active = useRef(new Set<string>());
  useEffect(() => {
    if (!actions) return;
    const finished = actions.some((a) => active.current.has(a.id) && !isActive(a));
    active.current = new Set(actions.filter(isActive).map((a) => a.id));
    if (finished) onSettled?.();
  }, [actions, onSettled]);
}
