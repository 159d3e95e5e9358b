import { describe, expect, it } from 'vitest';
import { clearSession, loadSession, saveSession } from './session-store';

const login = { token: 'vgs_default_a_b', tenant: 'default', username: 'alice', role: 'analyst', expiresAt: null };

describe('session store', () => {
  it('keeps the session in sessionStorage until cleared', () => {
    saveSession(login);
    expect(loadSession()).toEqual(login);
    clearSession();
    expect(loadSession()).toBeNull();
  });

  it('drops an expired session', () => {
    saveSession({ ...login, expiresAt: '2026-01-01T00:00:00.000Z' });
    expect(loadSession(sessionStorage, new Date('2026-01-01T00:00:01Z'))).toBeNull();
    expect(sessionStorage.getItem('vigil.session')).toBeNull();
  });

  it('ignores a damaged entry', () => {
    sessionStorage.setItem('vigil.session', '{not json');
    expect(loadSession()).toBeNull();
  });
});
