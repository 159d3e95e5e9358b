/** Control lines of bpftrace -f json that every program has. */
export type BpfControl =
  | { readonly kind: 'attached'; readonly probes: number }
  | { readonly kind: 'lost'; readonly events: number }
  | { readonly kind: 'other'; readonly text: string };

const PRINTF_HEAD = '{"type": "printf", "data": "';
const PRINTF_TAIL = '\\n"}';

/** Where the JSON escapes of a printf line's text are only escaped backslashes (%r's \\xNN): unescaped by hand. */
function onlyBackslashes(line: string, from: number, end: number): boolean {
  for (let i = line.indexOf('\\', from); i !== end; i = line.indexOf('\\', i + 2)) {
    if (i < 0 || line.charCodeAt(i + 1) !== 0x5c) return false;
  }
  return true;
}

/**
 * The text of a printf line of `bpftrace -f json` without its final newline, or undefined for other lines. Most
 * lines hold no escape but the final "\n" (or only escaped backslashes): they are sliced, not parsed (JSON.parse
 * is the costlier path).
 */
export function bpfPrintfData(line: string): string | undefined {
  if (line.startsWith(PRINTF_HEAD) && line.endsWith(PRINTF_TAIL)) {
    const end = line.length - PRINTF_TAIL.length;
    const first = line.indexOf('\\', PRINTF_HEAD.length);
    if (first === end) return line.slice(PRINTF_HEAD.length, end);
    if (onlyBackslashes(line, PRINTF_HEAD.length, end))
      return line.slice(PRINTF_HEAD.length, end).replaceAll('\\\\', '\\');
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
