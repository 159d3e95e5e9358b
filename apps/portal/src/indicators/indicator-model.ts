import type { Indicator } from '../api/types';

export { alertSeverities as indicatorSeverities, indicatorActions, indicatorTypes } from '@vigil/protocol';

/** Indicators whose value, title, type or action contain `text` (case-insensitive). */
export function matchesIndicator(i: Indicator, text: string): boolean {
  const t = text.trim().toLowerCase();
  return !t || [i.indicatorValue, i.title ?? '', i.indicatorType, i.action].some((s) => s.toLowerCase().includes(t));
}
