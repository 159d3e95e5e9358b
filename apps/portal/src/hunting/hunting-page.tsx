import { useCallback, useMemo, useRef, useState } from 'react';
import type { HuntResult } from '../api/types';
import { useAuth } from '../auth/auth-context';
import { ErrorView, Loading } from '../common/status-views';
import './hunting.css';
import { useAsync } from '../common/use-async';
import { chartSpecOf } from './chart-model';
import { DetectionRuleForm } from './detection-rule-form';
import { type EditorHandle, KqlEditor } from './kql-editor';
import { QueryLibrary } from './query-library';
import { QueryStore } from './query-store';
import { ResultChart } from './result-chart';
import { ResultsGrid } from './results-grid';
import { SchemaBrowser } from './schema-browser';

/** The query the editor opens with. */
export const defaultQuery = 'DeviceProcessEvents\n| where Timestamp > ago(7d)\n| take 100';

type RunState =
  | { readonly status: 'idle' }
  | { readonly status: 'running'; readonly queryId: string; readonly controller: AbortController }
  | { readonly status: 'error'; readonly error: Error }
  | { readonly status: 'done'; readonly result: HuntResult; readonly ms: number };

/** Advanced hunting: KQL editor, schema browser, saved queries and history, results grid and charts. */
export function HuntingPage({
  initialQuery,
  store,
}: {
  readonly initialQuery?: string | undefined;
  readonly store?: QueryStore;
}) {
  const { api } = useAuth();
  const queries = useMemo(() => store ?? new QueryStore(), [store]);
  const [query, setQuery] = useState(initialQuery ?? queries.history()[0]?.query ?? defaultQuery);
  const [history, setHistory] = useState(() => queries.history());
  const [run, setRun] = useState<RunState>({ status: 'idle' });
  const [view, setView] = useState<'table' | 'chart'>('table');
  const [ruleOpen, setRuleOpen] = useState(false);
  const editor = useRef<EditorHandle | null>(null);
  // Row counts in the schema browser are a nicety: without them the browser still lists every table.
  const tenant = useAsync((signal) => api.tenant(signal), [api]);
  const rowCounts = useMemo(
    () => (tenant.status === 'done' ? new Map(tenant.value.tables.map((t) => [t.table, t.rows])) : undefined),
    [tenant],
  );
  const latest = useRef(query);
  latest.current = query;

  const execute = useCallback(async () => {
    const text = latest.current;
    if (!text.trim()) return;
    const controller = new AbortController();
    const queryId = crypto.randomUUID();
    setRun({ status: 'running', queryId, controller });
    setHistory(queries.addHistory(text));
    const started = performance.now();
    try {
      const result = await api.hunt(text, { queryId, signal: controller.signal });
      const spec = chartSpecOf(result);
      setView(result.Chart && spec ? 'chart' : 'table');
      setRun({ status: 'done', result, ms: Math.round(performance.now() - started) });
    } catch (e) {
      if (controller.signal.aborted) setRun({ status: 'error', error: new Error('The query was cancelled.') });
      else setRun({ status: 'error', error: e as Error });
    }
  }, [api, queries]);

  const cancel = () => {
    if (run.status !== 'running') return;
    api.cancelHunt(run.queryId).catch(() => undefined);
    run.controller.abort();
  };

  const spec = run.status === 'done' ? chartSpecOf(run.result) : null;
  return (
    <section className="hunting" aria-labelledby="hunting-title">
      <div className="page-head">
        <h1 id="hunting-title">Advanced hunting</h1>
        <span className="muted small">Ctrl+Enter runs the query</span>
      </div>
      <div className="hunting-body">
        <SchemaBrowser rows={rowCounts} onInsert={(text) => editor.current?.insert(text)} />
        <div className="hunting-main">
          <KqlEditor value={query} onChange={setQuery} onRun={execute} handle={editor} />
          <div className="toolbar">
            <button type="button" className="primary" onClick={execute} disabled={run.status === 'running'}>
              Run query
            </button>
            {run.status === 'running' ? (
              <button type="button" onClick={cancel}>
                Cancel
              </button>
            ) : null}
            <button type="button" onClick={() => setRuleOpen(true)} disabled={!query.trim()}>
              Create detection rule
            </button>
            {run.status === 'done' ? <span className="muted small">{run.ms} ms</span> : null}
            {run.status === 'done' && spec ? (
              <fieldset className="view-switch" aria-label="Result view">
                <button type="button" aria-pressed={view === 'table'} onClick={() => setView('table')}>
                  Table
                </button>
                <button type="button" aria-pressed={view === 'chart'} onClick={() => setView('chart')}>
                  Chart
                </button>
              </fieldset>
            ) : null}
          </div>
          {ruleOpen ? <DetectionRuleForm query={query} onClose={() => setRuleOpen(false)} /> : null}
          {run.status === 'running' ? <Loading what="results" /> : null}
          {run.status === 'error' ? <ErrorView error={run.error} /> : null}
          {run.status === 'done' && view === 'chart' && spec ? <ResultChart spec={spec} /> : null}
          {run.status === 'done' && (view === 'table' || !spec) ? <ResultsGrid result={run.result} /> : null}
        </div>
        <QueryLibrary store={queries} current={query} history={history} onHistory={setHistory} onLoad={setQuery} />
      </div>
    </section>
  );
}
