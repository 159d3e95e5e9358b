import { useState } from 'react';
import type { Indicator } from '../api/types';
import { useAuth } from '../auth/auth-context';
import { ErrorView } from '../common/status-views';
import { indicatorActions, indicatorSeverities } from './indicator-model';

/** `2026-11-28T10:00:00.000Z` as a `datetime-local` value in the browser's time zone. */
export function localInputValue(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Edits an indicator's action, severity, title, description and expiration (`PATCH /api/indicators/{id}`). */
export function IndicatorEditForm({
  indicator,
  onDone,
  onCancel,
}: {
  readonly indicator: Indicator;
  readonly onDone: (i: Indicator) => void;
  readonly onCancel: () => void;
}) {
  const { api } = useAuth();
  const [action, setAction] = useState(indicator.action);
  const [severity, setSeverity] = useState(indicator.severity ?? 'Medium');
  const [title, setTitle] = useState(indicator.title ?? '');
  const [description, setDescription] = useState(indicator.description ?? '');
  const [expiration, setExpiration] = useState(localInputValue(indicator.expirationTime));
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const expirationTime = expiration ? new Date(expiration).toISOString() : null;
      onDone(await api.updateIndicator(indicator.id, { action, severity, title, description, expirationTime }));
    } catch (err) {
      setError(err instanceof RangeError ? new Error('The expiration is not a valid date.') : (err as Error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className="panel-form"
      aria-label={`Edit indicator ${indicator.indicatorValue}`}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2>
        Edit {indicator.indicatorType} <code>{indicator.indicatorValue}</code>
      </h2>
      <label>
        Action
        <select value={action} onChange={(e) => setAction(e.target.value)}>
          {indicatorActions.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
      </label>
      <label>
        Severity
        <select value={severity} onChange={(e) => setSeverity(e.target.value)}>
          {indicatorSeverities.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
      </label>
      <label>
        Title
        <input value={title} required onChange={(e) => setTitle(e.target.value)} />
      </label>
      <label>
        Description
        <textarea rows={2} value={description} onChange={(e) => setDescription(e.target.value)} />
      </label>
      <label>
        Expiration (empty: never)
        <input type="datetime-local" value={expiration} onChange={(e) => setExpiration(e.target.value)} />
      </label>
      <div className="toolbar">
        <button type="submit" className="primary" disabled={busy}>
          Save changes
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
      {error ? <ErrorView error={error} /> : null}
    </form>
  );
}
