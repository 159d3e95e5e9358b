import type { LogonEvent } from './logon-event.js';

/** Size of one utmp/wtmp/btmp record on x86-64 and aarch64 glibc. */
export const UTMP_RECORD_SIZE = 384;

/** Record types of utmp.h. */
export const utmpTypes = {
  EMPTY: 0,
  RUN_LVL: 1,
  BOOT_TIME: 2,
  NEW_TIME: 3,
  OLD_TIME: 4,
  INIT_PROCESS: 5,
  LOGIN_PROCESS: 6,
  USER_PROCESS: 7,
  DEAD_PROCESS: 8,
  ACCOUNTING: 9,
} as const;

/** One decoded utmp record. */
export interface UtmpRecord {
  readonly type: number;
  readonly pid: number;
  readonly line: string;
  readonly id: string;
  readonly user: string;
  readonly host: string;
  readonly session: number;
  readonly time: string;
  readonly addr: string;
}

function cString(bytes: Uint8Array, offset: number, length: number): string {
  const slice = bytes.subarray(offset, offset + length);
  const end = slice.indexOf(0);
  return new TextDecoder().decode(end < 0 ? slice : slice.subarray(0, end));
}

function address(view: DataView, offset: number): string {
  const words = [0, 1, 2, 3].map((i) => view.getUint32(offset + i * 4, false));
  if (words.every((w) => w === 0)) return '';
  if (words[1] === 0 && words[2] === 0 && words[3] === 0) {
    const w = words[0] as number;
    return [w >>> 24, (w >>> 16) & 255, (w >>> 8) & 255, w & 255].join('.');
  }
  const groups: string[] = [];
  for (const w of words) groups.push((w >>> 16).toString(16), (w & 0xffff).toString(16));
  return groups.join(':');
}

/** Decodes the records of a utmp, wtmp or btmp file (a trailing partial record is ignored). */
export function parseUtmp(bytes: Uint8Array): UtmpRecord[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: UtmpRecord[] = [];
  for (let o = 0; o + UTMP_RECORD_SIZE <= bytes.length; o += UTMP_RECORD_SIZE) {
    const sec = view.getInt32(o + 340, true);
    const usec = view.getInt32(o + 344, true);
    out.push({
      type: view.getInt16(o, true),
      pid: view.getInt32(o + 4, true),
      line: cString(bytes, o + 8, 32),
      id: cString(bytes, o + 40, 4),
      user: cString(bytes, o + 44, 32),
      host: cString(bytes, o + 76, 256),
      session: view.getInt32(o + 336, true),
      time: new Date(sec * 1000 + Math.floor(usec / 1000)).toISOString(),
      addr: address(view, o + 348),
    });
  }
  return out;
}

/** Encodes a record (for tests and fixtures). */
export function encodeUtmp(r: Partial<UtmpRecord> & { type: number }): Uint8Array {
  const bytes = new Uint8Array(UTMP_RECORD_SIZE);
  const view = new DataView(bytes.buffer);
  const put = (s: string | undefined, o: number, n: number) =>
    bytes.set(new TextEncoder().encode(s ?? '').subarray(0, n), o);
  view.setInt16(0, r.type, true);
  view.setInt32(4, r.pid ?? 0, true);
  put(r.line, 8, 32);
  put(r.id, 40, 4);
  put(r.user, 44, 32);
  put(r.host, 76, 256);
  view.setInt32(336, r.session ?? 0, true);
  const ms = r.time ? Date.parse(r.time) : 0;
  view.setInt32(340, Math.floor(ms / 1000), true);
  view.setInt32(344, (ms % 1000) * 1000, true);
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(r.addr ?? '');
  if (v4) for (let i = 0; i < 4; i++) bytes[348 + i] = Number(v4[i + 1]);
  return bytes;
}

/** A login record of wtmp (USER_PROCESS) or btmp (a failed attempt) as a sign-in. */
export function utmpLogon(r: UtmpRecord, failed: boolean): LogonEvent | undefined {
  if (r.type !== utmpTypes.USER_PROCESS && !(failed && r.type === utmpTypes.LOGIN_PROCESS)) return undefined;
  if (!r.user) return undefined;
  const remote = r.host !== '' && !r.host.startsWith(':');
  const ip = r.addr || (/^[\d.]+$|^[0-9a-f:]+$/i.test(r.host) ? r.host : '');
  return {
    timestamp: r.time,
    actionType: failed ? 'LogonFailed' : 'LogonSuccess',
    logonType: remote ? 'RemoteInteractive' : 'Interactive',
    accountName: r.user,
    program: '',
    ...(r.pid > 0 ? { pid: r.pid } : {}),
    ...(ip ? { remoteIp: ip } : {}),
    details: { Tty: r.line, Host: r.host, Session: r.session },
  };
}

/** The users of a utmp file's live sessions, as DeviceInfo.LoggedOnUsers wants them. */
export function loggedOnUsers(records: readonly UtmpRecord[]): { UserName: string; DomainName: string; Sid: string }[] {
  const names = new Set(records.filter((r) => r.type === utmpTypes.USER_PROCESS && r.user).map((r) => r.user));
  return [...names].sort().map((UserName) => ({ UserName, DomainName: '', Sid: '' }));
}
