import { useState } from 'react';
import type { DetectionRule } from '../api/types';
import { useAuth } from '../auth/auth-context';
import { formatTime } from '../common/format';
import { Pager } from '../common/pager';
import { paginate } from '../common/paginate';
import { Empty, ErrorView, Loading } from '../common/status-views';
import { useAsync } from '../common/use-async';
import { hrefOf } from '../router/routes';

/** Custom detections per page. */
export const customPageSize = 25;

const scheduleLabels: Readonly<Record<string, string>> = {
  '0': 'Continuous',
  '1H': 'Every hour',
  '3H': 'Every 3 hours',
  '12H': 'Every 12 hours',
  '24H': 'Every 24 hours',
};

/** Which rules to show: a text in name, title, technique or query, and only failing ones if asked. */
export function matchesRule(rule: DetectionRule, text: string, failingOnly: boolean): boolean {
  if (failingOnly && rule.lastRunStatus !== 'Failed') return false;
  const t = text.trim().toLowerCase();
  if (!t) return true;
  return [rule.name, rule.alertTemplate.title, rule.query, ...rule.alertTemplate.mitreTechniques].some((s) =>
    s.toLowerCase().includes(t),
  );
}

/** The custom (scheduled KQL) detection rules with their last run, filtered and paged in the browser. */
export function CustomDetections() {
  const { api } = useAuth();
  const state = useAsync((signal) => api.detectionRules(signal), [api]);
  const [text, setText] = useState('');
  const [failingOnly, setFailingOnly] = useState(false);
  const [page, setPage] = useState(1);
  const rules = state.status === 'done' ? state.value.filter((r) => matchesRule(r, text, failingOnly)) : [];
  const shown = paginate(rules, page, customPageSize);
  return (
    <div>
      <div className="filters">
        <label>
          Filter rules{' '}
          <input
            type="search"
            placeholder="name, title, technique or query text"
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setPage(1);
            }}
          />
        </label>
        <label>
          <input
            type="checkbox"
            checked={failingOnly}
            onChange={(e) => {
              setFailingOnly(e.target.checked);
              setPage(1);
            }}
          />{' '}
          Last run failed
        </label>
        <button type="button" onClick={state.reload}>
          Refresh
        </button>
        <a className="button" href={hrefOf({ kind: 'hunting' })}>
          New rule from a hunting query
        </a>
      </div>
      {state.status === 'loading' ? <Loading what="the custom detections" /> : null}
      {state.status === 'error' ? <ErrorView error={state.error} onRetry={state.reload} /> : null}
      {state.status === 'done' && state.value.length === 0 ? (
        <Empty>No custom detection yet: create one from advanced hunting.</Empty>
      ) : null}
      {state.status === 'done' && state.value.length > 0 && rules.length === 0 ? (
        <Empty>No rule matches the filter.</Empty>
      ) : null}
      {shown.items.length > 0 ? (
        <>
          <DetectionTable rules={shown.items} />
          <Pager
            page={shown.page}
            pageCount={shown.pageCount}
            first={shown.first}
            last={shown.last}
            total={shown.total}
            onPage={setPage}
          />
        </>
      ) : null}
    </div>
  );
}

function DetectionTable({ rules }: { readonly rules: readonly DetectionRule[] }) {
  return (
    <table className="grid" aria-label="Custom detection rules">
      <thead>
        <tr>
          <th>Name</th>
          <th>Frequency</th>
          <th>State</th>
          <th>Alert</th>
          <th>Techniques</th>
          <th>Last run</th>
          <th>Alerts last run</th>
          <th>Created by</th>
        </tr>
      </thead>
      <tbody>
        {rules.map((r) => (
          <tr key={r.id}>
            <td className="wrap">
              <a href={hrefOf({ kind: 'hunting', query: r.query })} title="Open the query in advanced hunting">
                {r.name}
              </a>
            </td>
            <td>{scheduleLabels[r.schedule] ?? r.schedule}</td>
            <td>{r.enabled === false ? 'Off' : 'On'}</td>
            <td className="wrap">
              <span className={`badge sev-${r.alertTemplate.severity.toLowerCase()}`}>{r.alertTemplate.severity}</span>{' '}
              {r.alertTemplate.title}
            </td>
            <td className="wrap">{r.alertTemplate.mitreTechniques.join(', ') || '—'}</td>
            <td className="wrap">
              {r.lastRunTime ? `${formatTime(r.lastRunTime)} · ${r.lastRunStatus ?? ''}` : 'Not run yet'}
              {r.lastRunError ? <div className="diag-error small">{r.lastRunError}</div> : null}
            </td>
            <td>{r.lastRunAlerts ?? 0}</td>
            <td>{r.createdBy ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
