// Small helpers shared by the benchmarks.

/** Bytes in a megabyte (MiB) as the benchmarks report it. */
export const MB = 1024 * 1024;

/** 1234567 -> "1,234,567". */
export function formatInt(n) {
  return Math.round(n).toLocaleString('en-US');
}

/** Bytes as MB with one decimal. */
export function formatBytes(n) {
  return `${(n / MB).toFixed(1)} MB`;
}

/** The single number of a one-row, one-column query result (such as a count). */
export function readRows(result) {
  return Number(result.rows[0]?.[0]);
}
