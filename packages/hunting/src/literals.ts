import { CompileError } from './compile-error.js';

const UNIT_MICROS: Readonly<Record<string, number>> = {
  d: 86_400e6,
  day: 86_400e6,
  days: 86_400e6,
  h: 3_600e6,
  hr: 3_600e6,
  hrs: 3_600e6,
  hour: 3_600e6,
  hours: 3_600e6,
  m: 60e6,
  min: 60e6,
  minute: 60e6,
  minutes: 60e6,
  s: 1e6,
  sec: 1e6,
  second: 1e6,
  seconds: 1e6,
  ms: 1e3,
  milli: 1e3,
  millis: 1e3,
  millisecond: 1e3,
  milliseconds: 1e3,
  microsecond: 1,
  microseconds: 1,
  tick: 0.1,
  ticks: 0.1,
};

/** Parses a KQL timespan literal (`7d`, `1.5h`, `time(1d)`, `timespan(00:10:00)`) into microseconds. */
export function parseTimespan(text: string): number | null | undefined {
  let t = text.trim();
  const wrapped = /^(?:time|timespan)\((.*)\)$/is.exec(t);
  if (wrapped) t = (wrapped[1] ?? '').trim();
  if (t === 'null') return null;
  const unit = /^(-?\d+(?:\.\d+)?)\s*([a-z]+)$/i.exec(t);
  if (unit) {
    const micros = UNIT_MICROS[(unit[2] ?? '').toLowerCase()];
    if (micros !== undefined) return Math.round(Number(unit[1]) * micros);
  }
  const clock = /^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?$/.exec(t);
  if (clock) {
    const [, neg, days = '0', hh = '0', mm = '0', ss = '0', frac = ''] = clock;
    const micros =
      ((Number(days) * 24 + Number(hh)) * 3600 + Number(mm) * 60 + Number(ss)) * 1e6 +
      Number(frac.padEnd(6, '0').slice(0, 6) || '0');
    return neg ? -micros : micros;
  }
  if (/^-?\d+$/.test(t)) return Number(t) * 86_400e6;
  return undefined;
}

/** Parses a KQL datetime literal's content into `YYYY-MM-DD HH:MM:SS.ffffff` (UTC), or null for `datetime(null)`. */
export function parseDatetime(text: string): string | null | undefined {
  let t = text.trim();
  const wrapped = /^(?:datetime|date)\((.*)\)$/is.exec(t);
  if (wrapped) t = (wrapped[1] ?? '').trim();
  if (/^(["']).*\1$/.test(t)) t = t.slice(1, -1).trim();
  if (t === 'null') return null;
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?\s*(Z)?$/i.exec(t);
  if (m) {
    const [, y, mo, d, h = '0', mi = '0', s = '0', frac = ''] = m;
    const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
    if (Number.isNaN(ms)) return undefined;
    const iso = new Date(ms).toISOString();
    return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${frac.padEnd(6, '0').slice(0, 6)}`;
  }
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(t);
  if (us) {
    const [, mo, d, y, h = '0', mi = '0', s = '0'] = us;
    const iso = new Date(
      Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)),
    ).toISOString();
    return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.000000`;
  }
  const parsed = Date.parse(t.endsWith('Z') || /[+-]\d\d:?\d\d$/.test(t) ? t : `${t}Z`);
  if (Number.isNaN(parsed)) return undefined;
  const iso = new Date(parsed).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}000`;
}

function unescapeRegular(body: string, at: { start: number; end: number }): string {
  return body.replace(/\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)/gs, (_, e: string) => {
    switch (e[0]) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case '0':
        return '\0';
      case 'u':
      case 'x':
        return String.fromCharCode(Number.parseInt(e.slice(1), 16));
      case '\\':
      case '"':
      case "'":
        return e;
      default:
        throw new CompileError('HUNT_BAD_STRING', `unknown escape \\${e} in a string literal`, at.start, at.end);
    }
  });
}

/** Decodes one KQL string literal token: "…", '…', @"…", h"…", ```…```. */
export function parseStringToken(token: string, at: { start: number; end: number }): string {
  let t = token;
  if (/^[hH]/.test(t)) t = t.slice(1);
  if (t.startsWith('```') && t.endsWith('```') && t.length >= 6) return t.slice(3, -3);
  if (t.startsWith('~~~') && t.endsWith('~~~') && t.length >= 6) return t.slice(3, -3);
  if (t.startsWith('@')) {
    const q = t[1] ?? '"';
    return t.slice(2, -1).replaceAll(q + q, q);
  }
  return unescapeRegular(t.slice(1, -1), at);
}
