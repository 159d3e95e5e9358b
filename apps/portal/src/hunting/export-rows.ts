import type { HuntColumn } from '../api/types';
import { cellText } from '../common/format';

function csvField(text: string): string {
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows as CSV (RFC 4180): a header of column names, objects as JSON text, CRLF line ends. */
export function toCsv(columns: readonly HuntColumn[], rows: readonly Record<string, unknown>[]): string {
  const lines = [columns.map((c) => csvField(c.Name)).join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvField(cellText(row[c.Name]))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** Rows as a JSON array of objects, columns in result order. */
export function toJson(columns: readonly HuntColumn[], rows: readonly Record<string, unknown>[]): string {
  const ordered = rows.map((row) => Object.fromEntries(columns.map((c) => [c.Name, row[c.Name] ?? null])));
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

/** Lets the browser save `text` as a file. */
export function download(filename: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
