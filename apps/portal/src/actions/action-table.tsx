import type { MachineAction } from '../api/action-types';
import { formatTime } from '../common/format';
import { hrefOf } from '../router/routes';
import { actionTypeLabel, cancellable, statusClass } from './action-model';

/** Response actions as a table: type and title (a link to the action), state, device, requestor and times. */
export function ActionTable({
  actions,
  label,
  showDevice = true,
  onCancel,
}: {
  readonly actions: readonly MachineAction[];
  readonly label: string;
  readonly showDevice?: boolean;
  /** Offered for Pending actions when the user may act. */
  readonly onCancel?: ((a: MachineAction) => void) | undefined;
}) {
  return (
    <table className="grid" aria-label={label}>
      <thead>
        <tr>
          <th>Action</th>
          <th>Status</th>
          {showDevice ? <th>Device</th> : null}
          <th>Requested by</th>
          <th>Comment</th>
          <th>Created</th>
          <th>Last update</th>
          {onCancel ? <th /> : null}
        </tr>
      </thead>
      <tbody>
        {actions.map((a) => (
          <tr key={a.id}>
            <td className="wrap">
              <a href={hrefOf({ kind: 'action', id: a.id })}>{a.title}</a>
              <div className="muted small">{actionTypeLabel(a.type)}</div>
            </td>
            <td>
              <span className={statusClass(a.status)}>{a.status}</span>
            </td>
            {showDevice ? (
              <td>
                <a href={hrefOf({ kind: 'device', id: a.machineId })}>{a.computerDnsName}</a>
              </td>
            ) : null}
            <td>{a.requestor}</td>
            <td className="wrap">{a.requestorComment}</td>
            <td className="nowrap">{formatTime(a.creationDateTimeUtc)}</td>
            <td className="nowrap">{formatTime(a.lastUpdateDateTimeUtc)}</td>
            {onCancel ? (
              <td>
                {cancellable(a) ? (
                  <button type="button" aria-label={`Cancel ${a.title}`} onClick={() => onCancel(a)}>
                    Cancel
                  </button>
                ) : null}
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
