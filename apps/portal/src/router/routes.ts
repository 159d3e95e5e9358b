/** A page of the portal, parsed from the location hash (`#/devices/abc`). */
export type Route =
  | { readonly kind: 'devices'; readonly page: number }
  | { readonly kind: 'device'; readonly id: string }
  | { readonly kind: 'hunting'; readonly query?: string }
  | { readonly kind: 'alerts'; readonly filters: AlertFilters; readonly page: number }
  | { readonly kind: 'alert'; readonly id: string }
  | { readonly kind: 'indicators' }
  | { readonly kind: 'rules'; readonly tab: RulesTab }
  | { readonly kind: 'actions'; readonly tab: ActionsTab; readonly page: number }
  | { readonly kind: 'action'; readonly id: string }
  | { readonly kind: 'not-found'; readonly path: string };

/** The filters of the alerts queue, kept in the URL so that a filtered queue is a deep link; empty means any. */
export interface AlertFilters {
  readonly severity: string;
  readonly status: string;
  readonly technique: string;
  readonly machineId: string;
}

/** No filter: the whole queue. */
export const noAlertFilters: AlertFilters = { severity: '', status: '', technique: '', machineId: '' };

const alertFilterKeys = ['severity', 'status', 'technique', 'machineId'] as const;

function pageParam(params: URLSearchParams): number {
  const page = Number.parseInt(params.get('page') ?? '1', 10);
  return Number.isFinite(page) && page > 0 ? page : 1;
}

/** The tabs of the rules page: Sigma rules evaluated at ingest, or custom (KQL) detections. */
export type RulesTab = 'sigma' | 'custom';

/** The tabs of the action center: actions still waiting or running, and finished ones. */
export type ActionsTab = 'pending' | 'history';

/** Parses a location hash into a route; an empty hash is the device inventory. */
export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '') || '/devices';
  const [pathPart = '', search = ''] = raw.split('?', 2);
  const params = new URLSearchParams(search);
  const parts = pathPart.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0 || (parts[0] === 'devices' && parts.length === 1))
    return { kind: 'devices', page: pageParam(params) };
  if (parts[0] === 'devices' && parts.length === 2 && parts[1]) return { kind: 'device', id: parts[1] };
  if (parts[0] === 'hunting' && parts.length === 1) {
    const query = params.get('query');
    return query ? { kind: 'hunting', query } : { kind: 'hunting' };
  }
  if (parts[0] === 'alerts' && parts.length === 1) {
    const value = (k: keyof AlertFilters) => params.get(k)?.trim() ?? '';
    const filters: AlertFilters = {
      severity: value('severity'),
      status: value('status'),
      technique: value('technique'),
      machineId: value('machineId'),
    };
    return { kind: 'alerts', filters, page: pageParam(params) };
  }
  if (parts[0] === 'alerts' && parts.length === 2 && parts[1]) return { kind: 'alert', id: parts[1] };
  if (parts[0] === 'indicators' && parts.length === 1) return { kind: 'indicators' };
  if (parts[0] === 'actions' && parts.length === 1)
    return { kind: 'actions', tab: params.get('tab') === 'history' ? 'history' : 'pending', page: pageParam(params) };
  if (parts[0] === 'actions' && parts.length === 2 && parts[1]) return { kind: 'action', id: parts[1] };
  if (parts[0] === 'rules' && parts.length === 1)
    return { kind: 'rules', tab: params.get('tab') === 'custom' ? 'custom' : 'sigma' };
  return { kind: 'not-found', path: pathPart };
}

/** The hash of a route, for links: `hrefOf({ kind: 'device', id })`. */
export function hrefOf(route: Route): string {
  switch (route.kind) {
    case 'devices':
      return route.page > 1 ? `#/devices?page=${route.page}` : '#/devices';
    case 'device':
      return `#/devices/${encodeURIComponent(route.id)}`;
    case 'hunting':
      return route.query ? `#/hunting?${new URLSearchParams({ query: route.query }).toString()}` : '#/hunting';
    case 'alerts': {
      const params = new URLSearchParams();
      for (const k of alertFilterKeys) if (route.filters[k]) params.set(k, route.filters[k]);
      if (route.page > 1) params.set('page', String(route.page));
      const qs = params.toString();
      return qs ? `#/alerts?${qs}` : '#/alerts';
    }
    case 'alert':
      return `#/alerts/${encodeURIComponent(route.id)}`;
    case 'indicators':
      return '#/indicators';
    case 'actions': {
      const params = new URLSearchParams();
      if (route.tab === 'history') params.set('tab', 'history');
      if (route.page > 1) params.set('page', String(route.page));
      const qs = params.toString();
      return qs ? `#/actions?${qs}` : '#/actions';
    }
    case 'action':
      return `#/actions/${encodeURIComponent(route.id)}`;
    case 'rules':
      return route.tab === 'custom' ? '#/rules?tab=custom' : '#/rules';
    case 'not-found':
      return `#${route.path}`;
  }
}
