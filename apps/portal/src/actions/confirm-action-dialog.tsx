import { type ReactNode, useId, useState } from 'react';
import type { MachineAction } from '../api/action-types';
import { ErrorView } from '../common/status-views';
import { hrefOf } from '../router/routes';
import { statusClass } from './action-model';
import './actions.css';

/**
 * Asks before a response action: what it does, a required comment (Defender's audit trail needs one), and the
 * server's answer: the queued action with a link to it, or the refusal with its code and hint.
 */
export function ConfirmActionDialog({
  title,
  children,
  confirmLabel,
  problem,
  doneVerb = 'Submitted',
  onConfirm,
  onClose,
}: {
  readonly title: string;
  readonly children?: ReactNode;
  readonly confirmLabel: string;
  /** Why the form cannot be sent yet (shown, and the confirm button stays off). */
  readonly problem?: string | null;
  /** How the answer starts: `Submitted` for a new action. */
  readonly doneVerb?: string;
  readonly onConfirm: (comment: string) => Promise<MachineAction>;
  readonly onClose: (done: MachineAction | null) => void;
}) {
  const id = useId();
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const [done, setDone] = useState<MachineAction | null>(null);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      setDone(await onConfirm(comment.trim()));
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="overlay">
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby={`${id}-title`}>
        <h2 id={`${id}-title`}>{title}</h2>
        {done ? (
          <div role="status">
            <p>
              {doneVerb} <a href={hrefOf({ kind: 'action', id: done.id })}>{done.title}</a>:{' '}
              <span className={statusClass(done.status)}>{done.status}</span>
            </p>
            {done.status === 'Pending' ? (
              <p className="muted small">The device runs it when its agent next asks for commands.</p>
            ) : null}
          </div>
        ) : (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (!problem && comment.trim()) void submit();
            }}
          >
            {children}
            <label className="block">
              Comment (required, kept in the audit trail)
              <textarea rows={2} value={comment} onChange={(e) => setComment(e.target.value)} />
            </label>
            {problem ? <p className="diag-error small">{problem}</p> : null}
            {error ? <ErrorView error={error} /> : null}
            <div className="toolbar">
              <button type="submit" className="primary" disabled={busy || !!problem || !comment.trim()}>
                {confirmLabel}
              </button>
              <button type="button" onClick={() => onClose(null)}>
                Cancel
              </button>
            </div>
          </form>
        )}
        {done ? (
          <div className="toolbar">
            <button type="button" onClick={() => onClose(done)}>
              Close
            </button>
          </div>
        ) : null}
      </div>
    </div>
  );
}
