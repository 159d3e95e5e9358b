import { useState } from 'react';
import type { Alert, Evidence } from '../api/types';
import { useAuth } from '../auth/auth-context';
import { cellText, formatTime } from '../common/format';
import { Empty, ErrorView, Loading } from '../common/status-views';
import { useAsync } from '../common/use-async';
import { hrefOf, noAlertFilters } from '../router/routes';
import {
  alertStatuses,
  classifications,
  determinations,
  groupEvidence,
  tacticLabel,
  techniquesOf,
  words,
} from './alert-model';
import { ProcessTree } from './process-tree-view';

/** One alert: details, techniques, evidence, comments, the process tree and triage. */
export function AlertPage({ id }: { readonly id: string }) {
  const { api } = useAuth();
  const state = useAsync((signal) => api.alert(id, signal), [api, id]);
  const [updated, setUpdated] = useState<Alert | null>(null);
  const alert = updated && updated.id === id ? updated : state.status === 'done' ? state.value : null;

  return (
    <section aria-labelledby="alert-title">
      <p className="crumbs">
        <a href={hrefOf({ kind: 'alerts', filters: noAlertFilters, page: 1 })}>Alerts</a> ›
      </p>
      {state.status === 'loading' ? <Loading what="the alert" /> : null}
      {state.status === 'error' ? <ErrorView error={state.error} onRetry={state.reload} /> : null}
      {alert ? (
        <>
          <div className="page-head">
            <h1 id="alert-title">{alert.title}</h1>
            <span className={`badge sev-${alert.severity.toLowerCase()}`}>{alert.severity}</span>
            <span className="badge">{words(alert.status)}</span>
          </div>
          <div className="alert-layout">
            <div>
              <AlertDetails alert={alert} />
              <h2>Process tree</h2>
              <ProcessTree alert={alert} />
              <h2>Evidence</h2>
              <EvidenceList evidence={alert.evidence} alert={alert} />
              <h2>Comments</h2>
              {alert.comments.length === 0 ? (
                <Empty>No comment yet.</Empty>
              ) : (
                <ul className="comments" aria-label="Comments">
                  {alert.comments.map((c) => (
                    <li key={`${c.createdTime}-${c.comment}`}>
                      <span className="muted small">
                        {c.createdBy} · {formatTime(c.createdTime)}
                      </span>
                      <div>{c.comment}</div>
                    </li>
                  ))}
                </ul>
              )}
            </div>
            <Triage alert={alert} onSaved={setUpdated} />
          </div>
        </>
      ) : null}
    </section>
  );
}

function AlertDetails({ alert }: { readonly alert: Alert }) {
  const techniques = techniquesOf(alert);
  return (
    <>
      {alert.description ? <p>{alert.description}</p> : null}
      <dl className="details">
        <dt>Device</dt>
        <dd>
          {alert.machineId ? (
            <a href={hrefOf({ kind: 'device', id: alert.machineId })}>{alert.computerDnsName ?? alert.machineId}</a>
          ) : (
            '—'
          )}
        </dd>
        <dt>Category</dt>
        <dd>{alert.category || '—'}</dd>
        <dt>Detection source</dt>
        <dd>
          {alert.detectionSource} <span className="muted small">({alert.detectorId})</span>
        </dd>
        <dt>First activity</dt>
        <dd>{formatTime(alert.firstEventTime)}</dd>
        <dt>Last activity</dt>
        <dd>{formatTime(alert.lastEventTime)}</dd>
        <dt>Events</dt>
        <dd>{alert.eventCount}</dd>
        <dt>Assigned to</dt>
        <dd>{alert.assignedTo ?? 'Unassigned'}</dd>
        <dt>Classification</dt>
        <dd>
          {alert.classification ? words(alert.classification) : 'Not set'}
          {alert.determination ? ` · ${words(alert.determination)}` : ''}
        </dd>
        {alert.recommendedAction ? (
          <>
            <dt>Recommended action</dt>
            <dd>{alert.recommendedAction}</dd>
          </>
        ) : null}
      </dl>
      <h2>MITRE ATT&amp;CK techniques</h2>
      {techniques.length === 0 ? (
        <Empty>No technique.</Empty>
      ) : (
        <ul className="techniques" aria-label="Techniques">
          {techniques.map((t) => (
            <li key={t.id}>
              <code>{t.id}</code> {t.name ?? <span className="muted">(not in the ATT&amp;CK catalog)</span>}
              {t.tactics.length ? (
                <span className="muted small"> · {t.tactics.map(tacticLabel).join(', ')}</span>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function EvidenceList({ evidence, alert }: { readonly evidence: readonly Evidence[]; readonly alert: Alert }) {
  if (evidence.length === 0) return <Empty>No evidence.</Empty>;
  const groups = groupEvidence(alert);
  return (
    <div className="evidence">
      {[...groups].map(([type, items]) => (
        <section key={type} aria-label={`${type} evidence`}>
          <h3>
            {type} <span className="muted small">({items.length})</span>
          </h3>
          <table className="grid">
            <tbody>
              {items.map((item, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: evidence items have no id and never reorder.
                <tr key={i}>
                  <td className="wrap">
                    {Object.entries(item)
                      .filter(([k]) => k !== 'entityType' && k !== 'evidenceCreationTime')
                      .map(([k, v]) => (
                        <div key={k}>
                          <span className="muted">{k}</span>{' '}
                          {type === 'Machine' && k === 'machineId' && typeof v === 'string' ? (
                            <a href={hrefOf({ kind: 'device', id: v })}>
                              <code>{v}</code>
                            </a>
                          ) : (
                            <code>{cellText(v)}</code>
                          )}
                        </div>
                      ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </div>
  );
}

function Triage({ alert, onSaved }: { readonly alert: Alert; readonly onSaved: (a: Alert) => void }) {
  const { api, session } = useAuth();
  const [status, setStatus] = useState(alert.status);
  const [classification, setClassification] = useState(alert.classification ?? '');
  const [determination, setDetermination] = useState(alert.determination ?? '');
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const [saved, setSaved] = useState(false);
  const allowed = classification ? (determinations[classification] ?? []) : [];

  const save = async (update: Parameters<typeof api.updateAlert>[1]) => {
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      const next = await api.updateAlert(alert.id, update);
      onSaved(next);
      setComment('');
      setSaved(true);
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="triage"
      aria-label="Triage"
      onSubmit={(e) => {
        e.preventDefault();
        save({
          status,
          classification: classification || null,
          determination: classification ? determination || null : null,
          ...(comment.trim() ? { comment: comment.trim() } : {}),
        });
      }}
    >
      <h2>Manage alert</h2>
      <label>
        Status
        <select value={status} onChange={(e) => setStatus(e.target.value)}>
          {alertStatuses.map((s) => (
            <option key={s} value={s}>
              {words(s)}
            </option>
          ))}
        </select>
      </label>
      <div>
        <span className="muted">Assigned to {alert.assignedTo ?? 'nobody'}</span>{' '}
        <button
          type="button"
          disabled={busy || alert.assignedTo === session.username}
          onClick={() => save({ assignedTo: session.username })}
        >
          Assign to me
        </button>
      </div>
      <label>
        Classification
        <select
          value={classification}
          onChange={(e) => {
            setClassification(e.target.value);
            const next = determinations[e.target.value] ?? [];
            if (!next.includes(determination)) setDetermination('');
          }}
        >
          <option value="">Not set</option>
          {classifications.map((c) => (
            <option key={c} value={c}>
              {words(c)}
            </option>
          ))}
        </select>
      </label>
      <label>
        Determination
        <select value={determination} disabled={!classification} onChange={(e) => setDetermination(e.target.value)}>
          <option value="">Not set</option>
          {allowed.map((d) => (
            <option key={d} value={d}>
              {words(d)}
            </option>
          ))}
        </select>
      </label>
      <label>
        Comment
        <textarea rows={3} value={comment} onChange={(e) => setComment(e.target.value)} />
      </label>
      <button type="submit" className="primary" disabled={busy}>
        Save
      </button>
      {saved ? (
        <span className="muted" role="status">
          Saved.
        </span>
      ) : null}
      {error ? <ErrorView error={error} /> : null}
    </form>
  );
}
