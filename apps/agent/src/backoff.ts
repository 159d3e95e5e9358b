/** Exponential backoff with full jitter: a random wait in [base, min(max, base * 2^attempt)]. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(baseMs + random() * Math.max(0, ceiling - baseMs));
}

/** Retry-After in ms (delta seconds or an HTTP date), when the server sent a usable one. */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * Clock skew of this machine against the server from the Date header (1 s resolution): server time minus
 * local time at the middle of the exchange. Skews under tolerance are treated as none.
 */
export function skewFromDate(
  date: string | null,
  sentAt: number,
  receivedAt: number,
  toleranceMs = 2000,
): number | undefined {
  if (!date) return undefined;
  const server = Date.parse(date);
  if (Number.isNaN(server)) return undefined;
  // The header truncates to the second: its true value is on average half a second later.
  const skew = server + 500 - (sentAt + receivedAt) / 2;
  return Math.abs(skew) < toleranceMs ? 0 : Math.round(skew);
}
