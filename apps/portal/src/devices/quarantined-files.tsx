import { useEffect, useState } from 'react';
import { statusClass } from '../actions/action-model';
import { type QuarantinedFile, quarantinedFiles } from '../actions/quarantine-model';
import { RestoreFileDialog } from '../actions/restore-file-dialog';
import type { MachineAction } from '../api/action-types';
import { useAuth } from '../auth/auth-context';
import { formatTime } from '../common/format';
import { Empty, ErrorView, Loading } from '../common/status-views';
import { useAsync } from '../common/use-async';
import { hrefOf } from '../router/routes';

/** How many of the device's quarantine and restore actions the list is derived from (newest first). */
export const quarantineActionLimit = 1000;

/**
 * The files in the device's quarantine: its succeeded StopAndQuarantineFile actions not followed by a succeeded
 * RestoreQuarantinedFile of the same SHA-256, each with a Restore (analysts). `generation` changes when the page
 * knows that actions changed.
 */
export function QuarantinedFiles({
  deviceId,
  generation,
  onAction,
}: {
  readonly deviceId: string;
  readonly generation: number;
  readonly onAction: (a: MachineAction) => void;
}) {
  const { api, session } = useAuth();
  const [restoring, setRestoring] = useState<QuarantinedFile | null>(null);
  const state = useAsync(
    (signal) =>
      api
        .machineActions(
          {
            machineId: deviceId,
            type: ['StopAndQuarantineFile', 'RestoreQuarantinedFile'],
            top: quarantineActionLimit,
          },
          signal,
        )
        .then((r) => quarantinedFiles(r.value)),
    [api, deviceId],
  );
  const { refresh } = state;
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new generation means the device's actions changed.
  useEffect(() => {
    if (generation > 0) refresh();
  }, [generation]);
  const canAct = session.role !== 'viewer';
  return (
    <section aria-labelledby="quarantine-title">
      <h2 id="quarantine-title">Quarantined files</h2>
      {state.status === 'loading' ? <Loading what="the quarantined files" /> : null}
      {state.status === 'error' ? <ErrorView error={state.error} onRetry={state.reload} /> : null}
      {state.status === 'done' && state.value.length === 0 ? (
        <Empty>No file of this device is in quarantine.</Empty>
      ) : null}
      {state.status === 'done' && state.value.length > 0 ? (
        <table className="grid" aria-label="Quarantined files">
          <thead>
            <tr>
              <th>Original path</th>
              <th>SHA-256</th>
              <th>Quarantined</th>
              <th>By action</th>
              {canAct ? <th /> : null}
            </tr>
          </thead>
          <tbody>
            {state.value.map((f) => (
              <tr key={f.sha256}>
                <td className="wrap">
                  <code>{f.originalPath}</code>
                </td>
                <td>
                  <code title={f.sha256}>{f.sha256.slice(0, 16)}…</code>
                </td>
                <td className="nowrap">{formatTime(f.quarantinedAt)}</td>
                <td>
                  <a href={hrefOf({ kind: 'action', id: f.action.id })}>{f.action.title}</a>
                </td>
                {canAct ? (
                  <td>
                    {f.restorePending ? (
                      <span className={statusClass('Pending')}>Restore pending</span>
                    ) : (
                      <button type="button" aria-label={`Restore ${f.originalPath}`} onClick={() => setRestoring(f)}>
                        Restore
                      </button>
                    )}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {restoring ? (
        <RestoreFileDialog
          machineId={deviceId}
          sha256={restoring.sha256}
          originalPath={restoring.originalPath}
          onClose={(done) => {
            setRestoring(null);
            if (done) onAction(done);
          }}
        />
      ) : null}
    </section>
  );
}
