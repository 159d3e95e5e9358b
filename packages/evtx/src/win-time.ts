// Windows times as ISO-8601 UTC with microseconds (`2019-04-27T15:57:25.868864Z`), the way evtx_dump prints them;
// the 100 ns digit is dropped (truncated), as evtx_dump and python-evtx do.

/** Seconds from 1601-01-01 to 1970-01-01. */
const EPOCH_DIFF_S = 11644473600;
/** 2^32 = 429 * 10^7 + 4967296: lets the division by 10^7 run on doubles without losing digits. */
const TWO32_DIV = 429;
const TWO32_MOD = 4967296;

let lastSeconds = Number.NaN;
let lastPrefix = '';

/** Formats a FILETIME (100 ns ticks since 1601-01-01 UTC) given as its two 32-bit halves. */
export function filetimeText(lo: number, hi: number): string {
  let seconds: number;
  let rest: number;
  if (hi < 0x6b000000) {
    const mixed = hi * TWO32_MOD + lo;
    seconds = hi * TWO32_DIV + Math.floor(mixed / 1e7);
    rest = mixed % 1e7;
  } else {
    const ticks = (BigInt(hi) << 32n) | BigInt(lo);
    seconds = Number(ticks / 10000000n);
    rest = Number(ticks % 10000000n);
  }
  return `${secondsPrefix(seconds - EPOCH_DIFF_S)}.${pad6(Math.floor(rest / 10))}Z`;
}

/** `YYYY-MM-DDTHH:MM:SS` of Unix seconds; consecutive records mostly share a second, so the last one is kept. */
function secondsPrefix(unixSeconds: number): string {
  if (unixSeconds === lastSeconds) return lastPrefix;
  const days = Math.floor(unixSeconds / 86400);
  const secs = unixSeconds - days * 86400;
  const [y, m, d] = civilFromDays(days);
  const hh = Math.floor(secs / 3600);
  const mm = Math.floor((secs % 3600) / 60);
  lastSeconds = unixSeconds;
  lastPrefix = `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(d)}T${pad2(hh)}:${pad2(mm)}:${pad2(secs % 60)}`;
  return lastPrefix;
}

/** Year, month, day of a count of days since 1970-01-01 (proleptic Gregorian; H. Hinnant's civil_from_days). */
function civilFromDays(z: number): [number, number, number] {
  const zz = z + 719468;
  const era = Math.floor(zz / 146097);
  const doe = zz - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

function pad6(n: number): string {
  const s = String(n);
  return s.length >= 6 ? s : '000000'.slice(s.length) + s;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Formats a SYSTEMTIME (eight u16: year, month, weekday, day, hour, minute, second, milliseconds) at `p`. */
export function systemtimeText(b: Uint8Array, p: number): string {
  const w = (i: number) => (b[p + 2 * i] as number) | ((b[p + 2 * i + 1] as number) << 8);
  const year = String(w(0)).padStart(4, '0');
  return `${year}-${pad2(w(1))}-${pad2(w(3))}T${pad2(w(4))}:${pad2(w(5))}:${pad2(w(6))}.${pad6(w(7) * 1000)}Z`;
}
