import { useState } from 'react';
import { ActionTable } from '../actions/action-table';
import { useAuth } from '../auth/auth-context';
import { Pager } from '../common/pager';
import { Empty, ErrorView, Loading } from '../common/status-views';
import { useAsync } from '../common/use-async';

/** Actions per page of a device's action history. */
export const deviceActionPageSize = 10;

/** The device's response actions, newest first; `generation` changes when a new one was queued. */
export function DeviceActions({ deviceId, generation }: { readonly deviceId: string; readonly generation: number }) {
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
