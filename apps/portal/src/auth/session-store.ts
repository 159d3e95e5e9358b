import type { LoginResponse } from '../api/types';

/** The signed-in session as the portal keeps it for the browser tab. */
export interface Session {
  readonly token: string;
  readonly tenant: string;
  readonly username: string;
  readonly role: string;
  readonly expiresAt: string | null;
}

const KEY = 'vigil.session';

/** Reads the session of this tab, or null when there is none or it has expired. */
export function loadSession(storage: Storage = sessionStorage, now: Date = new Date()): Session | null {
  const text = storage.getItem(KEY);
  if (!text) return null;
  try {
    const s = JSON.parse(text) as Session;
    if (typeof s.token !== 'string' || !s.token) return null;
    if (s.expiresAt && new Date(s.expiresAt).getTime() <= now.getTime()) {
      storage.removeItem(KEY);
      return null;
    }
    return s;
  } catch {
    storage.removeItem(KEY);
    return null;
  }
}

/** Keeps the session in sessionStorage: it ends with the tab, and other tabs sign in on their own. */
export function saveSession(login: LoginResponse, storage: Storage = sessionStorage): Session {
  const s: Session = {
    token: login.token,
    tenant: login.tenant,
    username: login.username,
    role: login.role,
    expiresAt: login.expiresAt,
  };
  storage.setItem(KEY, JSON.stringify(s));
  return s;
}

/** Forgets the session. */
export function clearSession(storage: Storage = sessionStorage): void {
  storage.removeItem(KEY);
}
