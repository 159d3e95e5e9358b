import type { HuntResult, Machine, SavedQuery, SavedQueryInput } from '../api/types';

/** A route of the fake server: method and path to a status and JSON body (or a function of the request). */
type Handler = (
  body: unknown,
  headers: Headers,
  url: URL,
) => { status: number; body: unknown } | Promise<{ status: number; body: unknown }>;

/**
 * A `fetch` that answers like the Vigil server, from handlers keyed `"POST /api/auth/login"` (or with the last path
 * segment as `:id`, `"PUT /api/queries/:id"`, when no exact key matches); records calls.
 */
export function fakeFetch(handlers: Record<string, Handler>) {
  const calls: { method: string; path: string; body: unknown; auth: string | null }[] = [];
  const impl: typeof fetch = async (input, init) => {
    const url = new URL(String(input), 'http://portal.test');
    const method = init?.method ?? 'GET';
    const headers = new Headers(init?.headers);
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    calls.push({ method, path: url.pathname, body, auth: headers.get('authorization') });
    const handler =
      handlers[`${method} ${url.pathname}`] ?? handlers[`${method} ${url.pathname.replace(/\/[^/]+$/, '/:id')}`];
    const r = handler
      ? await handler(body, headers, url)
      : { status: 404, body: { error: { code: 'NOT_FOUND', message: `no route ${method} ${url.pathname}` } } };
    if (r.status === 204) return new Response(null, { status: 204 });
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
    // Offboarded and every fifth device Inactive, every seventh ImpairedCommunication, the rest Active.
    healthStatus: i === 2 || i % 5 === 4 ? 'Inactive' : i % 7 === 6 ? 'ImpairedCommunication' : 'Active',
    isolationState: i === 1 ? 'Isolated' : i === 3 ? 'IsolationPending' : 'NotIsolated',
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

/** Handlers of `/api/queries` over an in-memory list, as the server keeps saved queries (owner: the caller). */
export function savedQueryHandlers(owner = 'alice', initial: SavedQuery[] = []) {
  let list = [...initial];
  let n = 0;
  const idOf = (url: URL) => decodeURIComponent(url.pathname.split('/').pop() ?? '');
  const handlers: Record<string, Handler> = {
    'GET /api/queries': () => ({ status: 200, body: { value: list, total: list.length } }),
    'POST /api/queries': (body) => {
      const b = body as SavedQueryInput;
      const q: SavedQuery = {
        id: `q-${++n}`,
        name: b.name ?? '',
        query: b.query ?? '',
        description: b.description ?? '',
        shared: b.shared ?? false,
        owner,
        createdTime: '2026-11-28T10:00:00.000Z',
        lastUpdatedTime: '2026-11-28T10:00:00.000Z',
        lastUpdatedBy: owner,
      };
      list = [...list, q].sort((a, b) => a.name.localeCompare(b.name));
      return { status: 201, body: q };
    },
    'PUT /api/queries/:id': (body, _h, url) => {
      const prior = list.find((q) => q.id === idOf(url));
      if (!prior) return { status: 404, body: { error: { code: 'QUERY_UNKNOWN', message: 'no such query' } } };
      const next = { ...prior, ...(body as SavedQueryInput), lastUpdatedBy: owner };
      list = list.map((q) => (q.id === prior.id ? next : q));
      return { status: 200, body: next };
    },
    'DELETE /api/queries/:id': (_b, _h, url) => {
      list = list.filter((q) => q.id !== idOf(url));
      return { status: 204, body: null };
    },
  };
  return { handlers, list: () => list };
}
