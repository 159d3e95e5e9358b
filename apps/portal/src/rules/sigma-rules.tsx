import { useMemo, useState } from 'react';
import type { RuleList, SigmaRule } from '../api/types';
import { useAuth } from '../auth/auth-context';
import { Pager } from '../common/pager';
import { paginate } from '../common/paginate';
import { Empty, ErrorView, Loading } from '../common/status-views';
import { useAsync } from '../common/use-async';
import { baseName, diagnosticsByFile, type FileDiagnostics, filterFiles } from './rule-diagnostics';

/** Sigma rules per page. */
export const sigmaPageSize = 25;
/** Rule files with diagnostics per page. */
export const diagnosticFilesPageSize = 20;

/** The Sigma rules evaluated at ingest: searched and paged by the server, with the load diagnostics per file. */
export function SigmaRules() {
  const { api } = useAuth();
  const [draft, setDraft] = useState('');
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const state = useAsync(
    (signal) => api.rules({ ...(q ? { q } : {}), top: sigmaPageSize, skip: (page - 1) * sigmaPageSize }, signal),
    [api, q, page],
  );
  // Diagnostics do not depend on the search; keep the last ones while a new page loads.
  const files = useMemo(() => (state.status === 'done' ? diagnosticsByFile(state.value.diagnostics) : []), [state]);
  return (
    <div>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setQ(draft.trim());
          setPage(1);
        }}
      >
        <label>
          Search rules{' '}
          <input
            type="search"
            placeholder="title, id or technique (T1059)"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
          />
        </label>
        <button type="submit" className="primary">
          Search
        </button>
        <button type="button" onClick={state.reload}>
          Refresh
        </button>
      </form>
      {state.status === 'loading' ? <Loading what="the rules" /> : null}
      {state.status === 'error' ? <ErrorView error={state.error} onRetry={state.reload} /> : null}
      {state.status === 'done' ? (
        <>
          <Summary list={state.value} files={files} />
          <RuleTable list={state.value} files={files} q={q} page={page} onPage={setPage} />
          <DiagnosticsPanel files={files} />
        </>
      ) : null}
    </div>
  );
}

function Summary({ list, files }: { readonly list: RuleList; readonly files: readonly FileDiagnostics[] }) {
  const errors = files.reduce((n, f) => n + f.errors, 0);
  const warnings = files.reduce((n, f) => n + f.warnings, 0);
  return (
    <div className="summary-line" role="status">
      <span>
        <strong>{list.total}</strong> rules{list.correlations ? `, ${list.correlations} correlations` : ''}
      </span>
      <span>Folders: {list.folders.length ? list.folders.join(', ') : 'the bundled rules only'}</span>
      <span className={errors ? 'diag-error' : ''}>
        {errors} load errors, {warnings} warnings in {files.length} files
      </span>
    </div>
  );
}

function RuleTable(props: {
  readonly list: RuleList;
  readonly files: readonly FileDiagnostics[];
  readonly q: string;
  readonly page: number;
  readonly onPage: (page: number) => void;
}) {
  const { list, files, q, page, onPage } = props;
  const problems = useMemo(() => new Map(files.map((f) => [f.file, f])), [files]);
  if (list.value.length === 0) return <Empty>{q ? `No rule matches “${q}”.` : 'No Sigma rule is loaded.'}</Empty>;
  const first = (page - 1) * sigmaPageSize + 1;
  return (
    <>
      <table className="grid" aria-label="Sigma rules">
        <thead>
          <tr>
            <th>Title</th>
            <th>Level</th>
            <th>Techniques</th>
            <th>File</th>
            <th>Mapped</th>
            <th>Load problems</th>
          </tr>
        </thead>
        <tbody>
          {list.value.map((r) => (
            <RuleRow key={`${r.id}:${r.file}`} rule={r} problems={problems.get(r.file)} />
          ))}
        </tbody>
      </table>
      <Pager
        page={page}
        pageCount={Math.max(1, Math.ceil(list.total / sigmaPageSize))}
        first={first}
        last={first + list.value.length - 1}
        total={list.total}
        onPage={onPage}
      />
    </>
  );
}

function RuleRow({ rule, problems }: { readonly rule: SigmaRule; readonly problems: FileDiagnostics | undefined }) {
  return (
    <tr>
      <td className="wrap">
        {rule.title}
        <div className="muted small">
          <code>{rule.id}</code>
        </div>
      </td>
      <td>{rule.level ?? '—'}</td>
      <td className="wrap">{rule.techniques.join(', ') || '—'}</td>
      <td className="wrap" title={rule.file}>
        {baseName(rule.file)}
      </td>
      <td>
        {rule.mapped ? (
          'Yes'
        ) : (
          <span className="badge warn" title="No pipeline maps its logsource: it loads but can never fire">
            Not mapped
          </span>
        )}
      </td>
      <td>
        {problems ? (
          <span className={`badge ${problems.errors ? 'err' : 'warn'}`}>
            {problems.errors} errors, {problems.warnings} warnings
          </span>
        ) : (
          '—'
        )}
      </td>
    </tr>
  );
}

function DiagnosticsPanel({ files }: { readonly files: readonly FileDiagnostics[] }) {
  const [text, setText] = useState('');
  const [errorsOnly, setErrorsOnly] = useState(false);
  const [page, setPage] = useState(1);
  const shown = paginate(filterFiles(files, text, errorsOnly), page, diagnosticFilesPageSize);
  return (
    <section aria-labelledby="diagnostics-title">
      <h2 id="diagnostics-title">Load diagnostics</h2>
      <div className="filters">
        <label>
          Filter files{' '}
          <input
            type="search"
            placeholder="file, code or message"
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
            checked={errorsOnly}
            onChange={(e) => {
              setErrorsOnly(e.target.checked);
              setPage(1);
            }}
          />{' '}
          Errors only
        </label>
      </div>
      {files.length === 0 ? <Empty>Every rule file loaded without a problem.</Empty> : null}
      {files.length > 0 && shown.total === 0 ? <Empty>No file matches the filter.</Empty> : null}
      <ul className="plain-list" aria-label="Rule files with diagnostics">
        {shown.items.map((f) => (
          <li key={f.file}>
            <details className="diag-file">
              <summary>
                <span className={f.errors ? 'diag-error' : ''}>{f.file}</span>{' '}
                <span className="muted small">
                  {f.errors} errors, {f.warnings} warnings
                </span>
              </summary>
              <ul>
                {f.items.map((d, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: diagnostics are shown once, in order.
                  <li key={i} className={d.severity === 'error' ? 'diag-error' : ''}>
                    {d.line !== null ? `line ${d.line}: ` : ''}
                    {d.message}
                  </li>
                ))}
              </ul>
            </details>
          </li>
        ))}
      </ul>
      {shown.total > diagnosticFilesPageSize ? (
        <Pager
          page={shown.page}
          pageCount={shown.pageCount}
          first={shown.first}
          last={shown.last}
          total={shown.total}
          onPage={setPage}
        />
      ) : null}
    </section>
  );
}
