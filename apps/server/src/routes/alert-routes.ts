import { VigilError } from '@vigil/base';
import { type Alert, resolveTechniques } from '@vigil/incidents';
import type { DataDir } from '@vigil/runtime';
import type { FastifyInstance } from 'fastify';
import { contextOf, requireRole } from '../auth.js';

type Query = Record<string, string | undefined>;

const list = (v: string | undefined) =>
  v
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined;

function pageNumber(v: string | undefined, what: string, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new VigilError('API_BAD_REQUEST', `${what} must be a whole number ≥ 0`);
  return n;
}

/** Alerts: list with filters and paging, get, triage (status, assignment, classification, comments). */
export function alertRoutes(app: FastifyInstance, data: DataDir): void {
  // Technique names and tactics come from the ATT&CK catalog the admin imported.
  const withNames = (a: Alert) => ({
    ...a,
    mitreTechniqueDetails: resolveTechniques(a.mitreTechniques, data.attackCatalog()),
  });
  app.get<{ Querystring: Query }>('/api/alerts', { preHandler: requireRole(data, 'viewer') }, async (request) => {
    const { tenant } = contextOf(request);
    const q = request.query;
    const r = await tenant.alerts.list({
      ...(list(q.severity) ? { severity: list(q.severity) as string[] } : {}),
      ...(list(q.status) ? { status: list(q.status) as string[] } : {}),
      ...(q.technique ? { technique: q.technique } : {}),
      ...(q.machineId ? { machineId: q.machineId } : {}),
      limit: Math.min(pageNumber(q.$top ?? q.top, '$top', 100), 10_000),
      offset: pageNumber(q.$skip ?? q.skip, '$skip', 0),
    });
    return { value: r.items.map(withNames), total: r.total };
  });

  app.get<{ Params: { id: string } }>(
    '/api/alerts/:id',
    { preHandler: requireRole(data, 'viewer') },
    async (request) => {
      const { tenant } = contextOf(request);
      const a = await tenant.alerts.get(request.params.id);
      if (!a) throw new VigilError('ALERT_UNKNOWN', `no alert "${request.params.id}"`, { status: 404 });
      return withNames(a);
    },
  );

  app.patch<{ Params: { id: string }; Body: Record<string, unknown> }>(
    '/api/alerts/:id',
    { preHandler: requireRole(data, 'analyst') },
    async (request) => {
      const { tenant, principal } = contextOf(request);
      const b = request.body ?? {};
      const by = principal.kind === 'device' ? principal.deviceId : principal.name;
      const str = (k: string) => (typeof b[k] === 'string' ? (b[k] as string) : b[k] === null ? null : undefined);
      return withNames(
        await tenant.alerts.update(
          request.params.id,
          {
            ...(typeof b.status === 'string' ? { status: b.status } : {}),
            ...(str('assignedTo') !== undefined ? { assignedTo: str('assignedTo') as string | null } : {}),
            ...(str('classification') !== undefined ? { classification: str('classification') as string | null } : {}),
            ...(str('determination') !== undefined ? { determination: str('determination') as string | null } : {}),
            ...(typeof b.comment === 'string' ? { comment: b.comment } : {}),
          },
          by,
        ),
      );
    },
  );
}
