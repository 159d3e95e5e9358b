import { useState } from 'react';
import type { Indicator, IndicatorImportResult } from '../api/types';
import { useAuth } from '../auth/auth-context';
import { cellText } from '../common/format';
import { Empty, ErrorView, Loading } from '../common/status-views';
import { useAsync } from '../common/use-async';
import { indicatorActions, indicatorTypes, indicatorSeverities as severities } from './indicator-model';
import { IndicatorTable } from './indicator-table';

/** Parses the import text: a JSON list of indicators becomes `{"Indicators":[...]}`; objects go as they are. */
export function importBody(text: string): unknown {
  const parsed: unknown = JSON.parse(text);
  return Array.isArray(parsed) ? { Indicators: parsed } : parsed;
}

/** Custom indicators: the list (filtered, paged, each editable), a form to add one, deletion and import. */
export function IndicatorsPage() {
  const { api } = useAuth();
  const state = useAsync((signal) => api.indicators(signal), [api]);
  const [error, setError] = useState<Error | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const remove = async (i: Indicator) => {
    setError(null);
    setNotice(null);
    try {
      await api.deleteIndicator(i.id);
      setNotice(`Deleted ${i.indicatorValue}.`);
      state.reload();
    } catch (e) {
      setError(e as Error);
    }
  };

  return (
    <section aria-labelledby="indicators-title">
      <div className="page-head">
        <h1 id="indicators-title">Indicators</h1>
        <button type="button" onClick={state.reload}>
          Refresh
        </button>
      </div>
      <div className="forms-row">
        <CreateIndicator
          onDone={(i) => {
            setNotice(`Saved ${i.indicatorType} ${i.indicatorValue}.`);
            state.reload();
          }}
        />
        <ImportIndicators
          onDone={(r) => {
            setNotice(`Imported ${r.value.length} indicators${r.failed ? `, ${r.failed} failed` : ''}.`);
            state.reload();
          }}
        />
      </div>
      {notice ? (
        <div className="status info" role="status">
          {notice}
        </div>
      ) : null}
      {error ? <ErrorView error={error} /> : null}
      {state.status === 'loading' ? <Loading what="indicators" /> : null}
      {state.status === 'error' ? <ErrorView error={state.error} onRetry={state.reload} /> : null}
      {state.status === 'done' && state.value.length === 0 ? <Empty>No indicator yet.</Empty> : null}
      {state.status === 'done' && state.value.length > 0 ? (
        <IndicatorTable
          indicators={state.value}
          onDelete={remove}
          onEdited={(i) => {
            setError(null);
            setNotice(`Saved ${i.indicatorType} ${i.indicatorValue}.`);
            state.reload();
          }}
        />
      ) : null}
    </section>
  );
}

function CreateIndicator({ onDone }: { readonly onDone: (i: Indicator) => void }) {
  const { api } = useAuth();
  const [indicatorType, setType] = useState<string>('FileSha256');
  const [indicatorValue, setValue] = useState('');
  const [action, setAction] = useState<string>('Alert');
  const [severity, setSeverity] = useState<string>('High');
  const [title, setTitle] = useState('');
  const [expiration, setExpiration] = useState('');
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="panel-form"
      aria-label="New indicator"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        try {
          const expirationTime = expiration ? new Date(expiration).toISOString() : undefined;
          const saved = await api.createIndicator({
            indicatorType,
            indicatorValue: indicatorValue.trim(),
            action,
            severity,
            title: title.trim() || `${indicatorType} ${indicatorValue.trim()}`,
            ...(expirationTime ? { expirationTime } : {}),
          });
          setValue('');
          setTitle('');
          onDone(saved);
        } catch (err) {
          setError(err instanceof RangeError ? new Error('The expiration is not a valid date.') : (err as Error));
        } finally {
          setBusy(false);
        }
      }}
    >
      <h2>New indicator</h2>
      <label>
        Type
        <select value={indicatorType} onChange={(e) => setType(e.target.value)}>
          {indicatorTypes.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
      </label>
      <label>
        Value
        <input value={indicatorValue} required onChange={(e) => setValue(e.target.value)} />
      </label>
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
          {severities.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
      </label>
      <label>
        Title
        <input value={title} onChange={(e) => setTitle(e.target.value)} />
      </label>
      <label>
        Expiration
        <input type="datetime-local" value={expiration} onChange={(e) => setExpiration(e.target.value)} />
      </label>
      <button type="submit" className="primary" disabled={busy}>
        Add indicator
      </button>
      {error ? <ErrorView error={error} /> : null}
    </form>
  );
}

function ImportIndicators({ onDone }: { readonly onDone: (r: IndicatorImportResult) => void }) {
  const { api } = useAuth();
  const [text, setText] = useState('');
  const [error, setError] = useState<Error | null>(null);
  const [problems, setProblems] = useState<readonly unknown[]>([]);
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="panel-form"
      aria-label="Import indicators"
      onSubmit={async (e) => {
        e.preventDefault();
        setError(null);
        setProblems([]);
        let body: unknown;
        try {
          body = importBody(text);
        } catch (err) {
          setError(new Error(`The text is not JSON: ${(err as Error).message}`));
          return;
        }
        setBusy(true);
        try {
          const r = await api.importIndicators(body);
          setProblems(r.problems);
          onDone(r);
        } catch (err) {
          setError(err as Error);
        } finally {
          setBusy(false);
        }
      }}
    >
      <h2>Import</h2>
      <label>
        JSON list of indicators, {'{"Indicators":[…]}'} or a STIX 2.1 bundle
        <textarea rows={8} className="mono" value={text} onChange={(e) => setText(e.target.value)} />
      </label>
      <button type="submit" disabled={busy || !text.trim()}>
        Import
      </button>
      {error ? <ErrorView error={error} /> : null}
      {problems.length > 0 ? (
        <ul className="status error" aria-label="Import problems">
          {problems.map((p, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: problems are shown once, in order.
            <li key={i}>{problemText(p)}</li>
          ))}
        </ul>
      ) : null}
    </form>
  );
}

function problemText(p: unknown): string {
  if (p && typeof p === 'object') {
    const o = p as Record<string, unknown>;
    const parts = [o.code, o.message, o.hint].filter((x) => typeof x === 'string' && x);
    if (parts.length) return parts.join(' — ');
  }
  return cellText(p);
}
