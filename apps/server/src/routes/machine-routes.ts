import { VigilError } from '@vigil/base';
import type { DataDir } from '@vigil/runtime';
import type { FastifyInstance } from 'fastify';
import { contextOf, requireRole } from '../auth.js';
import { machineView } from '../views.js';

/** Enrolled devices: list, get and offboard. */
export function machineRoutes(app: FastifyInstance, data: DataDir): void {
  app.get('/api/machines', { preHandler: requireRole(data, 'viewer') }, async (request) => {
    const { tenant } = contextOf(request);
    const devices = await tenant.service.listDevices();
    const value = [];
    for (const d of devices) value.push(machineView(d, await tenant.actions.isolationState(d.id)));
    return { value };
  });

  app.get<{ Params: { id: string } }>(
    '/api/machines/:id',
    { preHandler: requireRole(data, 'viewer') },
    async (request) => {
      const { tenant } = contextOf(request);
      const d = await tenant.service.getDevice(request.params.id);
      if (!d) throw new VigilError('MACHINE_UNKNOWN', `no machine "${request.params.id}"`, { status: 404 });
      return machineView(d, await tenant.actions.isolationState(d.id));
    },
  );

  app.post<{ Params: { id: string } }>(
    '/api/machines/:id/offboard',
    { preHandler: requireRole(data, 'admin') },
    async (request) => {
      const { tenant } = contextOf(request);
      const d = await tenant.service.getDevice(request.params.id);
      if (!d) throw new VigilError('MACHINE_UNKNOWN', `no machine "${request.params.id}"`, { status: 404 });
      await tenant.service.revokeDevice(d.id);
      return machineView((await tenant.service.getDevice(d.id)) ?? d, await tenant.actions.isolationState(d.id));
    },
  );
}
