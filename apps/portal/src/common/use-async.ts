import { type DependencyList, useCallback, useEffect, useRef, useState } from 'react';

/** The state of an asynchronous load: loading, failed or done. */
export type AsyncState<T> =
  | { readonly status: 'loading' }
  | { readonly status: 'error'; readonly error: Error }
  | { readonly status: 'done'; readonly value: T };

/**
 * Runs `load` when `deps` change (cancelling the previous run), on `reload()` (showing the loading state again) and
 * on `refresh()` (keeping what is shown until the new value arrives: for polling, without flicker).
 */
export function useAsync<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: DependencyList,
): AsyncState<T> & { reload: () => void; refresh: () => void } {
  const [state, setState] = useState<AsyncState<T>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  const quiet = useRef(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller's deps decide when to load again.
  useEffect(() => {
    const controller = new AbortController();
    if (!quiet.current) setState({ status: 'loading' });
    quiet.current = false;
    load(controller.signal).then(
      (value) => {
        if (!controller.signal.aborted) setState({ status: 'done', value });
      },
      (error: unknown) => {
        if (!controller.signal.aborted)
          setState({ status: 'error', error: error instanceof Error ? error : new Error(String(error)) });
      },
    );
    return () => controller.abort();
  }, [...deps, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const refresh = useCallback(() => {
    quiet.current = true;
    setGeneration((g) => g + 1);
  }, []);
  return { ...state, reload, refresh };
}
