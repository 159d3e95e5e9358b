/** Control lines of bpftrace -f json that every program has. */
export type BpfControl =
  | { readonly kind: 'attached'; readonly probes: number }
  | { readonly kind: 'lost'; readonly events: number }
  | { readonly kind: 'other'; readonly text: string };

const PRINTF_HEAD = '{"type": "printf", "data": "';
const PRINTF_TAIL = '\\n"}';

/**
 * The text of a printf line of `bpftrace -f json` without its final newline, or undefined for other lines. Most
 * lines hold no escape but the final "\n": they are sliced, not parsed (JSON.parse is the costlier path).
 */
export function bpfPrintfData(line: string): string | undefined {
  if (line.startsWith(PRINTF_HEAD) && line.endsWith(PRINTF_TAIL)) {
    const end = line.length - PRINTF_TAIL.length;
    const backslash = line.indexOf('\\', PRINTF_HEAD.length);
    if (backslash === end) return line.slice(PRINTF_HEAD.length, end);
  }
  if (!line.startsWith('{"type": "printf"')) return undefined;
  try {
    const msg = JSON.parse(line) as { data?: unknown };
    if (typeof msg.data !== 'string') return undefined;
    return msg.data.endsWith('\n') ? msg.data.slice(0, -1) : msg.data;
  } catch {
    return undefined;
  }
}

/** Parses one line of `bpftrace -f json`: printf lines through `printf`, control lines as BpfControl. */
export function parseJsonLine<T>(line: string, printf: (data: string) => T | undefined): T | BpfControl | undefined {
  if (line.trim() === '') return undefined;
  const data = bpfPrintfData(line);
  if (data !== undefined) return printf(data) ?? { kind: 'other', text: data };
  let msg: { type?: string; data?: unknown };
  try {
    msg = JSON.parse(line) as { type?: string; data?: unknown };
  } catch {
    return { kind: 'other', text: line };
  }
  if (msg.type === 'attached_probes') {
    return { kind: 'attached', probes: Number((msg.data as { probes?: number } | undefined)?.probes ?? 0) };
  }
  if (msg.type === 'lost_events') {
    return { kind: 'lost', events: Number((msg.data as { events?: number } | undefined)?.events ?? 0) };
  }
  return { kind: 'other', text: line };
}
