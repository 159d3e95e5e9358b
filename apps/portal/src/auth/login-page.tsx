import { type FormEvent, useState } from 'react';
import { type ApiClient, ApiError } from '../api/api-client';
import type { LoginResponse } from '../api/types';

/** The sign-in form: tenant, user name and password against `POST /api/auth/login`. */
export function LoginPage({
  api,
  notice,
  onLogin,
}: {
  readonly api: ApiClient;
  readonly notice?: string | undefined;
  readonly onLogin: (login: LoginResponse) => void;
}) {
  const [tenant, setTenant] = useState('default');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onLogin(await api.login(tenant.trim() || 'default', username, password));
    } catch (e) {
      setError(
        e instanceof ApiError && e.status === 401 ? 'Wrong tenant, user name or password.' : (e as Error).message,
      );
      setBusy(false);
    }
  };

  return (
    <main className="login">
      <form className="login-card" onSubmit={submit} aria-label="Sign in">
        <h1>Vigil</h1>
        <p className="muted">Sign in to your tenant</p>
        {notice ? <div className="status info">{notice}</div> : null}
        <label>
          Tenant
          <input name="tenant" value={tenant} onChange={(e) => setTenant(e.target.value)} autoComplete="organization" />
        </label>
        <label>
          User name
          <input
            name="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            autoComplete="username"
            required
          />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="current-password"
            required
          />
        </label>
        {error ? (
          <div className="status error" role="alert">
            {error}
          </div>
        ) : null}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
