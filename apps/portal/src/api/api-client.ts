import type { ActionQuery, ActionRequests, ActionRoute, AuditEntry, MachineAction } from './action-types';
import type {
  Alert,
  AlertQuery,
  AlertUpdate,
  ApiErrorBody,
  DetectionRule,
  DetectionRuleInput,
  HuntResult,
  Indicator,
  IndicatorImportResult,
  IndicatorInput,
  IndicatorPatch,
  LoginResponse,
  Machine,
  Me,
  RuleList,
  RuleQuery,
  SavedQuery,
  SavedQueryInput,
  TenantInfo,
} from './types';

/** An API call that failed: the HTTP status and the server's stable error code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint?: string,
    readonly details?: readonly unknown[],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** How the client reaches the server; `fetch` is injectable for tests. */
export interface ApiClientOptions {
  readonly baseUrl?: string;
  readonly token?: string | null;
  readonly fetch?: typeof fetch;
  /** Called on any 401 of an authenticated call, so the app goes back to the sign-in page. */
  readonly onUnauthorized?: () => void;
}

async function errorOf(response: Response): Promise<ApiError> {
  let body: Partial<ApiErrorBody> | undefined;
  try {
    body = (await response.json()) as Partial<ApiErrorBody>;
  } catch {
    body = undefined;
  }
  const e = body?.error;
  return new ApiError(
    response.status,
    e?.code ?? `HTTP_${response.status}`,
    e?.message ?? (response.statusText || `the server answered ${response.status}`),
    e?.hint,
    Array.isArray(e?.details) ? e.details : undefined,
  );
}

/** The typed client of the server's HTTP API that the portal uses. */
export class ApiClient {
  readonly #base: string;
  readonly #token: string | null;
  readonly #fetch: typeof fetch;
  readonly #onUnauthorized: (() => void) | undefined;

  constructor(options: ApiClientOptions = {}) {
    this.#base = options.baseUrl ?? '';
    this.#token = options.token ?? null;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#onUnauthorized = options.onUnauthorized;
  }

  async #send(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.#token) headers.authorization = `Bearer ${this.#token}`;
    let response: Response;
    try {
      response = await this.#fetch(`${this.#base}${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        ...(signal ? { signal } : {}),
      });
    } catch (e) {
      if ((e as Error).name === 'AbortError') throw e;
      throw new ApiError(0, 'NETWORK', `the server cannot be reached (${(e as Error).message})`);
    }
    if (!response.ok) {
      const error = await errorOf(response);
      if (response.status === 401 && this.#token) this.#onUnauthorized?.();
      throw error;
    }
    return response;
  }

  async #call<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const response = await this.#send(method, path, body, signal);
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** Signs in; the token it returns is the session. */
  login(tenant: string, username: string, password: string): Promise<LoginResponse> {
    return this.#call('POST', '/api/auth/login', { tenant, username, password });
  }

  /** Revokes the session. */
  logout(): Promise<unknown> {
    return this.#call('POST', '/api/auth/logout', {});
  }

  /** Who the token belongs to. */
  me(signal?: AbortSignal): Promise<Me> {
    return this.#call('GET', '/api/auth/me', undefined, signal);
  }

  /** The tenant's enrolled devices. */
  async machines(signal?: AbortSignal): Promise<Machine[]> {
    const r = await this.#call<{ value: Machine[] }>('GET', '/api/machines', undefined, signal);
    return r.value;
  }

  /** One device. */
  machine(id: string, signal?: AbortSignal): Promise<Machine> {
    return this.#call('GET', `/api/machines/${encodeURIComponent(id)}`, undefined, signal);
  }

  /** The tenant: retention, store size and rows per hunting table. */
  tenant(signal?: AbortSignal): Promise<TenantInfo> {
    return this.#call('GET', '/api/tenant', undefined, signal);
  }

  /** Runs a KQL query; `queryId` lets `cancelHunt` stop it. */
  hunt(query: string, options: { queryId?: string; signal?: AbortSignal } = {}): Promise<HuntResult> {
    const body = { Query: query, ...(options.queryId ? { QueryId: options.queryId } : {}) };
    return this.#call('POST', '/api/advancedqueries/run', body, options.signal);
  }

  /** Cancels a running query. */
  cancelHunt(queryId: string): Promise<unknown> {
    return this.#call('POST', '/api/advancedqueries/cancel', { QueryId: queryId });
  }

  /** Alerts newest first, filtered and paged by the server. */
  alerts(query: AlertQuery = {}, signal?: AbortSignal): Promise<{ value: Alert[]; total: number }> {
    const params = new URLSearchParams();
    if (query.severity?.length) params.set('severity', query.severity.join(','));
    if (query.status?.length) params.set('status', query.status.join(','));
    if (query.technique) params.set('technique', query.technique);
    if (query.machineId) params.set('machineId', query.machineId);
    if (query.top !== undefined) params.set('$top', String(query.top));
    if (query.skip !== undefined) params.set('$skip', String(query.skip));
    const qs = params.toString();
    return this.#call('GET', `/api/alerts${qs ? `?${qs}` : ''}`, undefined, signal);
  }

  /** One alert. */
  alert(id: string, signal?: AbortSignal): Promise<Alert> {
    return this.#call('GET', `/api/alerts/${encodeURIComponent(id)}`, undefined, signal);
  }

  /** Triage of an alert: status, assignment, classification, comment. */
  updateAlert(id: string, update: AlertUpdate): Promise<Alert> {
    return this.#call('PATCH', `/api/alerts/${encodeURIComponent(id)}`, update);
  }

  /** The tenant's custom indicators. */
  async indicators(signal?: AbortSignal): Promise<Indicator[]> {
    const r = await this.#call<{ value: Indicator[] } | Indicator[]>('GET', '/api/indicators', undefined, signal);
    return Array.isArray(r) ? r : r.value;
  }

  /** Creates an indicator (or updates the one with the same type and value). */
  createIndicator(input: IndicatorInput): Promise<Indicator> {
    return this.#call('POST', '/api/indicators', input);
  }

  /** Changes an indicator's action, severity, title, description or expiration. */
  updateIndicator(id: string, patch: IndicatorPatch): Promise<Indicator> {
    return this.#call('PATCH', `/api/indicators/${encodeURIComponent(id)}`, patch);
  }

  /** Deletes an indicator. */
  deleteIndicator(id: string): Promise<unknown> {
    return this.#call('DELETE', `/api/indicators/${encodeURIComponent(id)}`);
  }

  /** Imports `{"Indicators":[...]}` or a STIX 2.1 bundle. */
  importIndicators(body: unknown): Promise<IndicatorImportResult> {
    return this.#call('POST', '/api/indicators/import', body);
  }

  /** Saves a custom detection rule. */
  createDetectionRule(input: DetectionRuleInput): Promise<DetectionRule> {
    return this.#call('POST', '/api/detectionrules', input);
  }

  /** The tenant's custom detection rules. */
  async detectionRules(signal?: AbortSignal): Promise<DetectionRule[]> {
    const r = await this.#call<{ value: DetectionRule[] }>('GET', '/api/detectionrules', undefined, signal);
    return r.value;
  }

  /** The Sigma rules evaluated at ingest, searched and paged by the server, with the load diagnostics. */
  rules(query: RuleQuery = {}, signal?: AbortSignal): Promise<RuleList> {
    const params = new URLSearchParams();
    if (query.q) params.set('q', query.q);
    if (query.top !== undefined) params.set('$top', String(query.top));
    if (query.skip !== undefined) params.set('$skip', String(query.skip));
    const qs = params.toString();
    return this.#call('GET', `/api/rules${qs ? `?${qs}` : ''}`, undefined, signal);
  }

  /** The saved hunting queries the caller may see: its own and the tenant's shared ones, by name. */
  async savedQueries(signal?: AbortSignal): Promise<SavedQuery[]> {
    const r = await this.#call<{ value: SavedQuery[] }>('GET', '/api/queries', undefined, signal);
    return r.value;
  }

  /** Saves a hunting query on the server. */
  createSavedQuery(input: SavedQueryInput & { name: string; query: string }): Promise<SavedQuery> {
    return this.#call('POST', '/api/queries', input);
  }

  /** Changes a saved query: its name, text, description or who sees it. */
  updateSavedQuery(id: string, input: SavedQueryInput): Promise<SavedQuery> {
    return this.#call('PUT', `/api/queries/${encodeURIComponent(id)}`, input);
  }

  /** Deletes a saved query. */
  deleteSavedQuery(id: string): Promise<unknown> {
    return this.#call('DELETE', `/api/queries/${encodeURIComponent(id)}`);
  }

  /** Queues a response action on a device (analysts and admins); the answer is the Pending action. */
  requestAction<R extends ActionRoute>(machineId: string, route: R, body: ActionRequests[R]): Promise<MachineAction> {
    return this.#call('POST', `/api/machines/${encodeURIComponent(machineId)}/${route}`, body);
  }

  /** Response actions newest first, filtered and paged by the server. */
  machineActions(query: ActionQuery = {}, signal?: AbortSignal): Promise<{ value: MachineAction[]; total: number }> {
    const params = new URLSearchParams();
    if (query.machineId) params.set('machineId', query.machineId);
    if (query.status?.length) params.set('status', query.status.join(','));
    if (query.type?.length) params.set('type', query.type.join(','));
    if (query.top !== undefined) params.set('$top', String(query.top));
    if (query.skip !== undefined) params.set('$skip', String(query.skip));
    const qs = params.toString();
    return this.#call('GET', `/api/machineactions${qs ? `?${qs}` : ''}`, undefined, signal);
  }

  /** One response action with its history. */
  machineAction(id: string, signal?: AbortSignal): Promise<MachineAction> {
    return this.#call('GET', `/api/machineactions/${encodeURIComponent(id)}`, undefined, signal);
  }

  /** Cancels a Pending action. */
  cancelMachineAction(id: string, comment: string): Promise<MachineAction> {
    return this.#call('POST', `/api/machineactions/${encodeURIComponent(id)}/cancel`, { Comment: comment });
  }

  /** Where an investigation package can be downloaded (an API path that needs the session). */
  async packageUri(id: string, signal?: AbortSignal): Promise<string> {
    const r = await this.#call<{ value: string }>(
      'GET',
      `/api/machineactions/${encodeURIComponent(id)}/getPackageUri`,
      undefined,
      signal,
    );
    return r.value;
  }

  /** Downloads a file of the API with the session's token (a plain link would not carry it). */
  async download(path: string): Promise<Blob> {
    return (await this.#send('GET', path)).blob();
  }

  /** The audit log newest first (admins); `target` narrows it to one object, e.g. `machineaction/<id>`. */
  auditLog(
    query: { target?: string; top?: number; skip?: number } = {},
    signal?: AbortSignal,
  ): Promise<{ value: AuditEntry[]; total: number }> {
    const params = new URLSearchParams();
    if (query.target) params.set('target', query.target);
    if (query.top !== undefined) params.set('$top', String(query.top));
    if (query.skip !== undefined) params.set('$skip', String(query.skip));
    const qs = params.toString();
    return this.#call('GET', `/api/auditlog${qs ? `?${qs}` : ''}`, undefined, signal);
  }
}
