import type { DataDir } from '@vigil/runtime';
import type { FastifyInstance } from 'fastify';
import { contextOf, requireRole } from '../auth.js';

/** The caller's own tenant: settings and storage figures. */
export function tenantRoutes(app: FastifyInstance, data: DataDir): void {
  app.get('/api/tenant', { preHandler: requireRole(data, 'viewer') }, async (request) => {
    const { tenant } = contextOf(request);
    return {
      name: tenant.name,
      retentionDays: await tenant.retentionDays(),
      storeSizeBytes: tenant.telemetry.sizeBytes(),
      tables: await tenant.telemetry.counts(),
    };
  });

  app.patch<{ Body: { retentionDays?: unknown } }>(
    '/api/tenant',
    { preHandler: requireRole(data, 'admin') },
    async (request) => {
      const { tenant } = contextOf(request);
      if (request.body?.retentionDays !== undefined) await tenant.setRetentionDays(Number(request.body.retentionDays));
      return { name: tenant.name, retentionDays: await tenant.retentionDays() };
    },
  );
}
