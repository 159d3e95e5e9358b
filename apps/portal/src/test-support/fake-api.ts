import type { HuntResult, Machine } from '../api/types';

/** A route of the fake server: method and path to a status and JSON body (or a function of the request). */
type Handler = (
  body: unknown,
  headers: Headers,
) => { status: number; body: unknown } | Promise<{ status: number; body: unknown }>;

/** A `fetch` that answers like the Vigil server, from handlers keyed `"POST /api/auth/login"`; records calls. */
export function fakeFetch(handlers: Record<string, Handler>) {
  const calls: { method: string; path: string; body: unknown; auth: string | null }[] = [];
  const impl: typeof fetch = async (input, init) => {
    const url = new URL(String(input), 'http://portal.test');
    const method = init?.method ?? 'GET';
    const headers = new Headers(init?.headers);
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    calls.push({ method, path: url.pathname, body, auth: headers.get('authorization') });
    const handler = handlers[`${method} ${url.pathname}`];
    const r = handler
      ? await handler(body, headers)
      : { status: 404, body: { error: { code: 'NOT_FOUND', message: `no route ${method} ${url.pathname}` } } };
    return new Response(JSON.stringify(r.body), { status: r.status, headers: { 'content-type': 'application/json' } });
  };
  /** The KQL of every hunting call so far. */
  const queries = () =>
    calls.filter((c) => c.path === '/api/advancedqueries/run').map((c) => (c.body as { Query: string }).Query);
  return { fetch: impl, calls, queries };
}

/** `n` machines named `host-001`…, last seen one minute apart (host-001 most recently). */
export function machines(n: number): Machine[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `id-${i + 1}`,
    computerDnsName: `host-${String(i + 1).padStart(3, '0')}`,
    osPlatform: i % 2 ? 'Windows10' : 'Linux',
    firstSeen: '2026-11-01T00:00:00.000Z',
    lastSeen: new Date(Date.UTC(2026, 10, 28, 12, 0) - i * 60_000).toISOString(),
    onboardingStatus: i === 2 ? 'Offboarded' : 'Onboarded',
    offboardedAt: i === 2 ? '2026-11-20T00:00:00.000Z' : null,
  }));
}

/** A small hunting result. */
export function huntResult(rows: number): HuntResult {
  return {
    Schema: [
      { Name: 'FileName', Type: 'String' },
      { Name: 'Count', Type: 'Int64' },
    ],
    Results: Array.from({ length: rows }, (_, i) => ({ FileName: `file-${i}.exe`, Count: (i * 7) % 10 })),
    Truncated: false,
  };
}

/** A signed-in session in sessionStorage, as after a login. */
export function signedIn(token = 'vgs_default_t_s'): void {
  sessionStorage.setItem(
    'vigil.session',
    JSON.stringify({ token, tenant: 'default', username: 'alice', role: 'analyst', expiresAt: null }),
  );
}
