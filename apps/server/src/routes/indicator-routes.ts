import { VigilError } from '@vigil/base';
import type { DataDir } from '@vigil/runtime';
import type { FastifyInstance } from 'fastify';
import { contextOf, requireRole } from '../auth.js';

function who(p: ReturnType<typeof contextOf>['principal']): string {
  return p.kind === 'device' ? p.deviceId : p.name;
}

/** Custom indicators (Defender's ti-indicator API): list, get, submit, update, delete, bulk and STIX import. */
export function indicatorRoutes(app: FastifyInstance, data: DataDir): void {
  const admin = { preHandler: requireRole(data, 'admin') };
  app.get('/api/indicators', { preHandler: requireRole(data, 'viewer') }, async (request) => {
    const { tenant } = contextOf(request);
    return { value: await tenant.indicators.list() };
  });
  app.get<{ Params: { id: string } }>(
    '/api/indicators/:id',
    { preHandler: requireRole(data, 'viewer') },
    async (request) => {
      const { tenant } = contextOf(request);
      const i = await tenant.indicators.get(request.params.id);
      if (!i) throw new VigilError('INDICATOR_UNKNOWN', `no indicator "${request.params.id}"`, { status: 404 });
      return i;
    },
  );
  app.post<{ Body: Record<string, unknown> }>('/api/indicators', admin, async (request, reply) => {
    const { tenant, principal } = contextOf(request);
    return reply.status(201).send(await tenant.indicators.submit(request.body ?? {}, who(principal)));
  });
  app.patch<{ Params: { id: string }; Body: Record<string, unknown> }>(
    '/api/indicators/:id',
    admin,
    async (request) => {
      const { tenant } = contextOf(request);
      return tenant.indicators.update(request.params.id, request.body ?? {});
    },
  );
  app.delete<{ Params: { id: string } }>('/api/indicators/:id', admin, async (request, reply) => {
    const { tenant } = contextOf(request);
    if (!(await tenant.indicators.delete(request.params.id))) {
      throw new VigilError('INDICATOR_UNKNOWN', `no indicator "${request.params.id}"`, { status: 404 });
    }
    return reply.status(204).send();
  });
  app.post<{ Body: Record<string, unknown> }>(
    '/api/indicators/import',
    { ...admin, bodyLimit: 32 * 1024 * 1024 },
    async (request) => {
      const { tenant, principal } = contextOf(request);
      const body = request.body ?? {};
      const input = body.type === 'bundle' ? body : body.Indicators;
      const r = await tenant.indicators.importMany(input, who(principal));
      return { value: r.stored, failed: r.problems.length, problems: r.problems };
    },
  );
}
