import type { Diagnostic, SourceLocation } from '@vigil/base';

/** A diagnostic about one input record that an adapter could not turn into a Windows event. */
export function adapterProblem(
  code: string,
  message: string,
  options: { hint?: string; severity?: 'error' | 'warning'; location?: SourceLocation } = {},
): Diagnostic {
  return {
    code,
    message,
    severity: options.severity ?? 'error',
    ...(options.location === undefined ? {} : { location: options.location }),
    ...(options.hint === undefined ? {} : { hint: options.hint }),
  };
}
