// Normalizers for the System fields of a Windows event, shared by every adapter so that the same event reads the
// same whichever exporter produced it.
import { unwrap } from './field-values.js';

const GUID = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i;

/**
 * True when the text holds a to z. Without them a braced GUID is already upper case; other characters make the
 * GUID pattern fail, and such text is kept as it is either way.
 */
function hasLowerAscii(v: string): boolean {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c >= 97 && c <= 122) return true;
  }
  return false;
}

/** A GUID in the registry form `{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}`, upper case; other text is kept as it is. */
export function registryGuid(value: unknown): string | undefined {
  const v = unwrap(value);
  if (typeof v !== 'string') return undefined;
  // Fast path: already in registry form (what the EVTX reader renders).
  if (v.length === 38 && v.charCodeAt(0) === 123 && v.charCodeAt(37) === 125 && !hasLowerAscii(v)) return v;
  if (v.trim() === '') return undefined;
  const m = GUID.exec(v.trim());
  return m?.[1] !== undefined ? `{${m[1].toUpperCase()}}` : v.trim();
}

/**
 * The keyword mask as `0x` and 16 lower-case hex digits, as Windows renders it. NXLog writes the mask as a signed
 * 64-bit decimal number (`-9223372036854775808`), which a double holds exactly for the usual high-bit masks.
 */
export function keywordsText(value: unknown): string | undefined {
  const v = unwrap(value);
  // Logs repeat a few masks: remember their text.
  if (typeof v === 'string') {
    let hit = keywordCache.get(v);
    if (hit === undefined) {
      hit = keywordsTextOf(v) ?? null;
      if (keywordCache.size >= 1000) keywordCache.clear();
      keywordCache.set(v, hit);
    }
    return hit ?? undefined;
  }
  return keywordsTextOf(v);
}

const keywordCache = new Map<string, string | null>();

function keywordsTextOf(v: unknown): string | undefined {
  let big: bigint | undefined;
  if (typeof v === 'number' && Number.isInteger(v)) big = BigInt(v);
  else if (typeof v === 'string' && /^0x[0-9a-f]{1,16}$/i.test(v.trim())) big = BigInt(v.trim().toLowerCase());
  else if (typeof v === 'string' && /^-?\d{1,20}$/.test(v.trim())) big = BigInt(v.trim());
  else if (typeof v === 'string' && v.trim() !== '') return v.trim();
  if (big === undefined) return undefined;
  return `0x${BigInt.asUintN(64, big).toString(16).padStart(16, '0')}`;
}

/** A small non-negative number field (version, level, task, opcode, ids); undefined when it is not one. */
export function smallNumber(value: unknown): number | undefined {
  const v = unwrap(value);
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v.trim()) : NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** Non-empty trimmed text of a System field, unwrapping `{"#text": ...}`. */
export function systemText(value: unknown): string | undefined {
  const v = unwrap(value);
  if (typeof v === 'string') return v.trim() === '' ? undefined : v.trim();
  if (typeof v === 'number') return String(v);
  return undefined;
}

/** The attributes object of an element in the `{"#attributes": {...}}` shape, or an empty object. */
export function attributesOf(element: unknown): Record<string, unknown> {
  if (typeof element !== 'object' || element === null) return {};
  const attrs = (element as Record<string, unknown>)['#attributes'];
  return typeof attrs === 'object' && attrs !== null ? (attrs as Record<string, unknown>) : {};
}

/** True for a plain JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The fields of a UserData element, flattened one level: UserData holds one provider-defined element (such as
 * `LogFileCleared`) whose children are the fields. Attributes (the `xmlns` declaration) are left out; `#text`
 * wrappers are unwrapped; deeper elements stay nested objects.
 */
export function flattenUserData(userData: Record<string, unknown>): Record<string, unknown> {
  const keys = Object.keys(userData).filter((k) => k !== '#attributes');
  const only = keys.length === 1 && keys[0] !== undefined ? userData[keys[0]] : undefined;
  const source = isRecord(only) ? only : userData;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) {
    if (key === '#attributes') continue;
    out[key] = unwrap(value);
  }
  return out;
}

/**
 * EventData fields by Data Name, unwrapping `#text` and dropping attributes; `null` values stay (empty Data). Input
 * that needs neither (what the EVTX reader gives) is returned as it is, not copied: events are never mutated.
 */
export function eventDataFields(eventData: Record<string, unknown>): Record<string, unknown> {
  for (const key in eventData) {
    const v = eventData[key];
    if (key === '#attributes' || (typeof v === 'object' && v !== null && !Array.isArray(v)))
      return copyFields(eventData);
  }
  return eventData;
}

function copyFields(eventData: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in eventData) {
    if (key === '#attributes' || !Object.hasOwn(eventData, key)) continue;
    out[key] = unwrap(eventData[key]);
  }
  return out;
}
