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
