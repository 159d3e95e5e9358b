import { randomUUID } from 'node:crypto';
import { VigilError } from '@vigil/base';
import type { SuppressionRule } from '@vigil/incidents';
import type { DataDir } from '@vigil/runtime';
import type { FastifyInstance } from 'fastify';
import { contextOf, requireRole } from '../auth.js';

function toRule(body: Record<string, unknown>, by: string, now: string, prior?: SuppressionRule): SuppressionRule {
  const b = { ...prior, ...body } as Record<string, unknown>;
  const bad = (message: string) => new VigilError('SUPPRESSION_RULE_INVALID', message);
  if (typeof b.name !== 'string' || !b.name) throw bad('"name" is required');
  if (b.action !== 'Hide' && b.action !== 'Resolve') throw bad('"action" must be Hide or Resolve');
  if (typeof b.detectorId !== 'string' && typeof b.title !== 'string') {
    throw bad('give "detectorId" or "title": a rule must name the alerts it suppresses');
  }
  const conditions = Array.isArray(b.conditions) ? b.conditions : [];
  for (const c of conditions) {
    const x = c as Record<string, unknown>;
    if (typeof x.entityType !== 'string' || typeof x.field !== 'string' || typeof x.value !== 'string') {
      throw bad('each condition needs "entityType", "field" and "value" strings (e.g. File, fileName, tool.exe)');
    }
  }
  return {
    id: prior?.id ?? randomUUID(),
    name: b.name,
    enabled: b.enabled === undefined ? true : Boolean(b.enabled),
    action: b.action,
    ...(typeof b.detectorId === 'string' ? { detectorId: b.detectorId } : {}),
    ...(typeof b.title === 'string' ? { title: b.title } : {}),
    conditions: conditions as SuppressionRule['conditions'],
    ...(Array.isArray(b.machineIds) ? { machineIds: b.machineIds.map(String) } : {}),
    expirationTime: typeof b.expirationTime === 'string' ? new Date(b.expirationTime).toISOString() : null,
    createdBy: prior?.createdBy ?? by,
    createdTime: prior?.createdTime ?? now,
  };
}

/** Alert suppression rules (`/api/suppressionrules`). */
export function suppressionRoutes(app: FastifyInstance, data: DataDir): void {
  const admin = { preHandler: requireRole(data, 'admin') };
  const by = (p: ReturnType<typeof contextOf>['principal']) => (p.kind === 'device' ? p.deviceId : p.name);
  app.get('/api/suppressionrules', { preHandler: requireRole(data, 'viewer') }, async (request) => ({
    value: await contextOf(request).tenant.alerts.suppressionRules(),
  }));
  app.post<{ Body: Record<string, unknown> }>('/api/suppressionrules', admin, async (request, reply) => {
    const { tenant, principal } = contextOf(request);
    const rule = toRule(request.body ?? {}, by(principal), new Date().toISOString());
    await tenant.alerts.putSuppressionRule(rule);
    return reply.status(201).send(rule);
  });
  app.patch<{ Params: { id: string }; Body: Record<string, unknown> }>(
    '/api/suppressionrules/:id',
    admin,
    async (request) => {
      const { tenant, principal } = contextOf(request);
      const prior = (await tenant.alerts.suppressionRules()).find((r) => r.id === request.params.id);
      if (!prior)
        throw new VigilError('SUPPRESSION_RULE_UNKNOWN', `no suppression rule "${request.params.id}"`, { status: 404 });
      const rule = toRule(request.body ?? {}, by(principal), new Date().toISOString(), prior);
      await tenant.alerts.putSuppressionRule(rule);
      return rule;
    },
  );
  app.delete<{ Params: { id: string } }>('/api/suppressionrules/:id', admin, async (request, reply) => {
    if (!(await contextOf(request).tenant.alerts.deleteSuppressionRule(request.params.id))) {
      throw new VigilError('SUPPRESSION_RULE_UNKNOWN', `no suppression rule "${request.params.id}"`, { status: 404 });
    }
    return reply.status(204).send();
  });
}
