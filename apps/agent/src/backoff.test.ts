import { describe, expect, it } from 'vitest';
import { backoffMs, retryAfterMs, skewFromDate } from './backoff.js';

describe('backoff', () => {
  it('grows exponentially within [base, max] with jitter', () => {
    expect(backoffMs(0, 500, 60_000, () => 1)).toBe(500);
    expect(backoffMs(3, 500, 60_000, () => 1)).toBe(4000);
    expect(backoffMs(3, 500, 60_000, () => 0)).toBe(500);
    expect(backoffMs(40, 500, 60_000, () => 1)).toBe(60_000);
  });

  it('reads Retry-After as seconds or a date', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4000)).toBe(6000);
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
  });

  it('measures clock skew from the Date header', () => {
    const server = Date.parse('2026-01-01T00:00:10Z');
    expect(skewFromDate(new Date(server).toUTCString(), server - 60_000, server - 60_000)).toBe(60_500);
    expect(skewFromDate(new Date(server).toUTCString(), server, server + 200)).toBe(0);
    expect(skewFromDate(null, 0, 0)).toBeUndefined();
  });
});
