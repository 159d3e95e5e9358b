import { ApiError } from '../api/api-client';

/** A spinner line while something loads. */
export function Loading({ what }: { readonly what: string }) {
  return (
    <div className="status loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> Loading {what}…
    </div>
  );
}

/** What went wrong, the server's code and hint, and a retry button when one helps. */
export function ErrorView({ error, onRetry }: { readonly error: Error; readonly onRetry?: () => void }) {
  const api = error instanceof ApiError ? error : undefined;
  return (
    <div className="status error" role="alert">
      <strong>{api ? api.code : 'Error'}</strong>: {error.message}
      {api?.hint ? <div className="hint">{api.hint}</div> : null}
      {api?.details?.length ? (
        <ul className="details-list">
          {api.details.map((d, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: diagnostics are shown once, in order.
            <li key={i}>{detailText(d)}</li>
          ))}
        </ul>
      ) : null}
      {onRetry ? (
        <button type="button" onClick={onRetry}>
          Retry
        </button>
      ) : null}
    </div>
  );
}

/** A calm line for an empty list. */
export function Empty({ children }: { readonly children: React.ReactNode }) {
  return <div className="status empty">{children}</div>;
}

/** One diagnostic of an error's details: `CODE: message (line 2, column 5) — hint`. */
export function detailText(d: unknown): string {
  if (!d || typeof d !== 'object') return String(d);
  const o = d as Record<string, unknown>;
  const loc = o.location as { line?: number; column?: number; field?: string } | undefined;
  const where = loc
    ? [
        loc.line !== undefined ? `line ${loc.line}` : '',
        loc.column !== undefined ? `column ${loc.column}` : '',
        loc.field ?? '',
      ]
        .filter(Boolean)
        .join(', ')
    : '';
  return [
    `${typeof o.code === 'string' ? `${o.code}: ` : ''}${typeof o.message === 'string' ? o.message : JSON.stringify(o)}`,
    where ? ` (${where})` : '',
    typeof o.hint === 'string' ? ` — ${o.hint}` : '',
  ].join('');
}
