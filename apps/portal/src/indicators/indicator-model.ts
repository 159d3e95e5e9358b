import type { Indicator } from '../api/types';

/** Defender's indicator types. */
export const indicatorTypes = [
  'FileSha1',
  'FileSha256',
  'FileMd5',
  'IpAddress',
  'DomainName',
  'Url',
  'CertificateThumbprint',
] as const;
/** What happens when an indicator matches. */
export const indicatorActions = ['Alert', 'Audit', 'Block', 'Allowed'] as const;
/** The severities an indicator's alerts take. */
export const indicatorSeverities = ['Informational', 'Low', 'Medium', 'High'] as const;

/** Indicators whose value, title, type or action contain `text` (case-insensitive). */
export function matchesIndicator(i: Indicator, text: string): boolean {
  const t = text.trim().toLowerCase();
  return !t || [i.indicatorValue, i.title ?? '', i.indicatorType, i.action].some((s) => s.toLowerCase().includes(t));
}
