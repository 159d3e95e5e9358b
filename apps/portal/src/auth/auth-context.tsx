import { createContext, useContext } from 'react';
import type { ApiClient } from '../api/api-client';
import type { Session } from './session-store';

/** The signed-in session and the API client that carries its token. */
export interface AuthValue {
  readonly session: Session;
  readonly api: ApiClient;
  readonly signOut: () => void;
}

/** Provided by the app once signed in. */
export const AuthContext = createContext<AuthValue | null>(null);

/** The signed-in session; only pages behind the sign-in use it. */
export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth outside the signed-in app');
  return value;
}
