/**
 * Required-literal sets of the prefilter: each is a list of alternatives of which one occurs in every matching
 * event, or null when nothing is known.
 */

/** Of several literal requirements that all hold, the most selective (longest shortest alternative). */
export function bestLiterals(options: readonly (readonly string[] | null)[]): string[] | null {
  let best: readonly string[] | null = null;
  let score = -1;
  for (const o of options) {
    if (o === null || o.length === 0) continue;
    const s = Math.min(...o.map((x) => x.length)) * 1000 - o.length;
    if (s > score) {
      best = o;
      score = s;
    }
  }
  return best === null ? null : [...best];
}

/** Of several requirements of which one holds, all alternatives together (null when one of them has none). */
export function unionLiterals(parts: readonly (readonly string[] | null)[]): string[] | null {
  if (parts.length === 0 || parts.some((p) => p === null)) return null;
  return [...new Set(parts.flatMap((p) => p ?? []))];
}
