import type { Diagnostic } from './diagnostic.js';

/** Extra facts of a VigilError. */
export interface VigilErrorOptions {
  /** HTTP status to answer with (default 400). */
  readonly status?: number;
  /** Every problem found, when there are several (for example per line of a batch). */
  readonly details?: readonly Diagnostic[];
  /** What would fix it. */
  readonly hint?: string;
  /** For 429 and 503: seconds after which a retry may succeed. */
  readonly retryAfter?: number;
}

/** An error meant for the user: it carries a stable code, an HTTP status, a hint and optional diagnostics. */
export class VigilError extends Error {
  override readonly name = 'VigilError';
  readonly status: number;
  readonly details: readonly Diagnostic[];
  readonly hint: string | undefined;
  readonly retryAfter: number | undefined;

  constructor(
    readonly code: string,
    message: string,
    options: VigilErrorOptions = {},
  ) {
    super(message);
    this.status = options.status ?? 400;
    this.details = options.details ?? [];
    this.hint = options.hint;
    this.retryAfter = options.retryAfter;
  }
}

/** True when `e` is a VigilError. */
export function isVigilError(e: unknown): e is VigilError {
  return e instanceof VigilError;
}
