const DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

const CANONICAL = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{6}Z$/;

/** Sysmon's UtcTime: `2019-04-27 15:57:25.868`. */
const SYSMON_UTC = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]) ([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}$/;

/** True when the day exists in its month (the regex already bounds every field). */
function validDay(v: string): boolean {
  const day = Number(v.slice(8, 10));
  if (day <= 28) return true;
  const d = new Date(Date.UTC(Number(v.slice(0, 4)), Number(v.slice(5, 7)) - 1, day));
  return d.getUTCDate() === day;
}

interface Parsed {
  /** Milliseconds since the epoch of the whole second (zone applied). */
  readonly secondMs: number;
  /** Fraction of the second as 6 digits. */
  readonly micros: string;
}

function parse(textValue: string): Parsed | undefined {
  const m = DATETIME.exec(textValue.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s = '00', frac = '', zone = 'Z'] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const base = Date.UTC(year, month - 1, day, Number(h), Number(mi), Number(s));
  const check = new Date(base);
  if (
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(s) > 59
  ) {
    return undefined;
  }
  let offsetMin = 0;
  if (zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offsetMin = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0'));
  }
  return { secondMs: base - offsetMin * 60_000, micros: frac.padEnd(6, '0').slice(0, 6) };
}

function format(p: Parsed, shiftMs = 0): string {
  return `${new Date(p.secondMs + shiftMs).toISOString().slice(0, 19)}.${p.micros}Z`;
}

/**
 * Normalizes a date and time to ISO-8601 UTC with microseconds (`2019-04-27T15:57:25.868000Z`), the form the
 * hunting tables keep. Accepts `T` or a space between date and time (Sysmon's `UtcTime` is
 * `2019-04-27 15:57:25.868`) and up to 9 fraction digits (EVTX has 7, Sysmon for Linux 9). A value without a zone
 * is taken as UTC. Returns undefined for anything that is not a valid date and time.
 */
export function isoUtc(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  // Fast path: already the canonical form (what the EVTX reader writes); only the calendar needs a check.
  if (CANONICAL.test(value) && validDay(value)) return value;
  if (SYSMON_UTC.test(value) && validDay(value)) return `${value.slice(0, 10)}T${value.slice(11)}000Z`;
  const p = parse(value);
  return p === undefined ? undefined : format(p);
}

/** Milliseconds since the epoch of a date and time that `isoUtc` accepts (fraction beyond ms dropped). */
export function epochMs(value: string): number | undefined {
  if (CANONICAL.test(value) && validDay(value)) return Date.parse(`${value.slice(0, 23)}Z`);
  const p = parse(value);
  return p === undefined ? undefined : p.secondMs + Number(p.micros.slice(0, 3));
}

/**
 * Converts a zone-less local time to UTC given the same clock's local and UTC readings of one other moment
 * (NXLog's `EventReceivedTime` is local and Logstash's `@timestamp` is UTC, both taken when the record arrived).
 * The offset is rounded to a quarter of an hour, which absorbs transport delays of a few minutes.
 */
export function localToUtc(local: string, referenceLocal: string, referenceUtc: string): string | undefined {
  const p = parse(local);
  const refLocal = parse(referenceLocal);
  const refUtc = epochMs(referenceUtc);
  if (p === undefined || refLocal === undefined || refUtc === undefined) return undefined;
  const quarter = 15 * 60_000;
  const offset = Math.round((refLocal.secondMs + Number(refLocal.micros.slice(0, 3)) - refUtc) / quarter) * quarter;
  return format(p, -offset);
}
