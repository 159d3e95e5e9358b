import { useEffect } from 'react';

/** How often a page asks again while something it shows may still change. */
export const pollIntervalMs = 5_000;

/**
 * Calls `tick` every `intervalMs` while `active` is true; stops as soon as it turns false and when the component
 * unmounts. The caller decides what is worth watching (e.g. an action still Pending or InProgress).
 */
export function usePolling(active: boolean, tick: () => void, intervalMs = pollIntervalMs): void {
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(tick, intervalMs);
    return () => clearInterval(timer);
  }, [active, tick, intervalMs]);
}
