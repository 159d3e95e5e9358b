import { VigilError } from '@vigil/base';
import type { DataDir } from '@vigil/runtime';
import type { FastifyInstance } from 'fastify';
import { contextOf, requireRole } from '../auth.js';

/** Custom detections: scheduled KQL with an alert template (`/api/detectionrules`). */
export function detectionRuleRoutes(app: FastifyInstance, data: DataDir): void {
  const viewer = { preHandler: requireRole(data, 'viewer') };
  const admin = { preHandler: requireRole(data, 'admin') };
  const by = (p: ReturnType<typeof contextOf>['principal']) => (p.kind === 'device' ? p.deviceId : p.name);

  app.get('/api/detectionrules', viewer, async (request) => ({
    value: await contextOf(request).tenant.detectionRules.list(),
  }));
  app.get<{ Params: { id: string } }>('/api/detectionrules/:id', viewer, async (request) => {
    const r = await contextOf(request).tenant.detectionRules.get(request.params.id);
    if (!r) throw new VigilError('DETECTION_RULE_UNKNOWN', `no detection rule "${request.params.id}"`, { status: 404 });
    return r;
  });
  app.post<{ Body: Record<string, unknown> }>('/api/detectionrules', admin, async (request, reply) => {
    const { tenant, principal } = contextOf(request);
    return reply.status(201).send(await tenant.detectionRules.save(request.body ?? {}, by(principal)));
  });
  app.patch<{ Params: { id: string }; Body: Record<string, unknown> }>(
    '/api/detectionrules/:id',
    admin,
    async (request) => {
      const { tenant, principal } = contextOf(request);
      return tenant.detectionRules.save(request.body ?? {}, by(principal), request.params.id);
    },
  );
  app.delete<{ Params: { id: string } }>('/api/detectionrules/:id', admin, async (request, reply) => {
    if (!(await contextOf(request).tenant.detectionRules.delete(request.params.id))) {
      throw new VigilError('DETECTION_RULE_UNKNOWN', `no detection rule "${request.params.id}"`, { status: 404 });
    }
    return reply.status(204).send();
  });
  app.post<{ Params: { id: string } }>('/api/detectionrules/:id/run', admin, async (request) => {
    const { tenant } = contextOf(request);
    const alerts = await tenant.runDetectionRule(request.params.id);
    return { ...(await tenant.detectionRules.get(request.params.id)), alertsRaised: alerts };
  });
}
