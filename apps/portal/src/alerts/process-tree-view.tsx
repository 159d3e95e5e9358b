import { useMemo, useState } from 'react';
import { ConfirmActionDialog } from '../actions/confirm-action-dialog';
import type { Alert } from '../api/types';
import { useAuth } from '../auth/auth-context';
import { formatTime } from '../common/format';
import { Empty, ErrorView, Loading } from '../common/status-views';
import { useAsync } from '../common/use-async';
import { hrefOf } from '../router/routes';
import {
  alertProcesses,
  buildProcessTree,
  type ProcessNode,
  processTreeQuery,
  treesLeadingToAlert,
} from './process-tree';

/** The processes that led to the alert: a hunting query over the device's process starts around the alert. */
export function ProcessTree({ alert }: { readonly alert: Alert }) {
  const processes = useMemo(() => alertProcesses(alert), [alert]);
  if (!alert.machineId || processes.length === 0)
    return <Empty>No process tree: the alert names no process on a device.</Empty>;
  return <ProcessTreeOf machineId={alert.machineId} firstEventTime={alert.firstEventTime} alert={alert} />;
}

function ProcessTreeOf({
  machineId,
  firstEventTime,
  alert,
}: {
  readonly machineId: string;
  readonly firstEventTime: string;
  readonly alert: Alert;
}) {
  const { api, session } = useAuth();
  const [killing, setKilling] = useState<KillTarget | null>(null);
  const query = processTreeQuery(machineId, firstEventTime);
  const state = useAsync((signal) => api.hunt(query, { signal }), [api, query]);
  const roots = useMemo(
    () =>
      state.status === 'done' ? treesLeadingToAlert(buildProcessTree(state.value.Results, alertProcesses(alert))) : [],
    [state, alert],
  );
  return (
    <div className="process-tree">
      <p className="muted small">
        Process starts on the device from an hour before to an hour after the first event.{' '}
        <a href={hrefOf({ kind: 'hunting', query })}>Open in advanced hunting</a>
      </p>
      {state.status === 'loading' ? <Loading what="the process tree" /> : null}
      {state.status === 'error' ? <ErrorView error={state.error} onRetry={state.reload} /> : null}
      {state.status === 'done' && roots.length === 0 ? <Empty>No process start was recorded then.</Empty> : null}
      {roots.length > 0 ? (
        <ul className="tree" aria-label="Process tree">
          {roots.map((n) => (
            <ProcessItem key={n.key} node={n} onKill={session.role === 'viewer' ? undefined : setKilling} />
          ))}
        </ul>
      ) : null}
      {killing ? (
        <ConfirmActionDialog
          title={`Kill ${killing.fileName} (PID ${killing.processId})`}
          confirmLabel="Kill process"
          onConfirm={(Comment) =>
            api.requestAction(machineId, 'kill', {
              Comment,
              ProcessId: killing.processId,
              ProcessCreationTime: killing.creationTime,
            })
          }
          onClose={() => setKilling(null)}
        >
          <p>
            The agent ends the process only if the PID still belongs to the process started at{' '}
            {formatTime(killing.creationTime)}.
          </p>
        </ConfirmActionDialog>
      ) : null}
    </div>
  );
}

/** The process a kill is asked for. */
interface KillTarget {
  readonly processId: number;
  readonly creationTime: string;
  readonly fileName: string;
}

/**
 * What a kill needs: a numeric PID and the process's recorded start time (`ProcessCreationTime`), which tells a reused
 * PID apart. The event's Timestamp is never a stand-in: the agent refuses a kill whose start time does not match the
 * running process, so a guess would only be refused, or worse, match by chance.
 */
function killTargetOf(node: ProcessNode): KillTarget | null {
  const pid = Number(node.processId);
  const created = node.creationTime;
  if (!Number.isInteger(pid) || pid < 2 || !created) return null;
  return { processId: pid, creationTime: created, fileName: node.fileName || '(unknown)' };
}

function ProcessItem({
  node,
  onKill,
}: {
  readonly node: ProcessNode;
  readonly onKill: ((target: KillTarget) => void) | undefined;
}) {
  const target = onKill ? killTargetOf(node) : null;
  return (
    <li>
      <div
        className={node.highlighted ? 'process highlighted' : 'process'}
        aria-current={node.highlighted ? 'true' : undefined}
        title={node.commandLine}
      >
        <strong>{node.fileName || '(unknown)'}</strong>{' '}
        <span className="muted small">PID {String(node.processId)}</span>
        {node.creationTime || node.timestamp ? (
          <span className="muted small"> · {formatTime(node.creationTime ?? node.timestamp)}</span>
        ) : null}
        {target && onKill ? (
          <button
            type="button"
            className="small"
            aria-label={`Kill ${target.fileName} ${target.processId}`}
            onClick={() => onKill(target)}
          >
            Kill
          </button>
        ) : null}
        {node.commandLine ? (
          <div>
            <code>{node.commandLine}</code>
          </div>
        ) : null}
      </div>
      {node.children.length > 0 ? (
        <ul>
          {node.children.map((c) => (
            <ProcessItem key={c.key} node={c} onKill={onKill} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}
