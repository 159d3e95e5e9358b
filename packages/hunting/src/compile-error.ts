/** A query problem found while compiling: a stable code, a character range and a hint. */
export class CompileError extends Error {
  override readonly name = 'CompileError';
  constructor(
    readonly code: string,
    message: string,
    readonly start: number,
    readonly end: number,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** Stops on a construct the compiler does not translate yet. */
export function unsupported(what: string, at: { start: number; end: number }, hint?: string): never {
  throw new CompileError('HUNT_UNSUPPORTED', `${what} is not supported yet`, at.start, at.end, hint);
}
