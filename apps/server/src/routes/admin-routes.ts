import { VigilError } from '@vigil/base';
import type { DataDir } from '@vigil/runtime';
import { type Role, roles } from '@vigil/storage';
import type { FastifyInstance } from 'fastify';
import { contextOf, requireRole } from '../auth.js';
import { credentialView, userView } from '../views.js';

function role(value: unknown): Role {
  if (typeof value === 'string' && (roles as readonly string[]).includes(value)) return value as Role;
  throw new VigilError('API_BAD_ROLE', `role must be one of ${roles.join(', ')}, got ${JSON.stringify(value)}`);
}

function optionalPositive(value: unknown, what: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
  throw new VigilError('API_BAD_REQUEST', `${what} must be a positive number, got ${JSON.stringify(value)}`);
}

/** Tenant administration: users, API tokens and enrollment tokens (admin role). */
export function adminRoutes(app: FastifyInstance, data: DataDir): void {
  const admin = { preHandler: requireRole(data, 'admin') };

  app.get('/api/users', admin, async (request) => {
    const { tenant } = contextOf(request);
    return { value: (await tenant.service.listUsers()).map(userView) };
  });

  app.post<{ Body: { name?: unknown; role?: unknown; password?: unknown } }>(
    '/api/users',
    admin,
    async (request, reply) => {
      const { tenant } = contextOf(request);
      const { name, password } = request.body ?? {};
      if (typeof name !== 'string') throw new VigilError('API_BAD_REQUEST', 'a user needs a "name"');
      if (password !== undefined && typeof password !== 'string') {
        throw new VigilError('API_BAD_REQUEST', '"password" must be a string');
      }
      const pw = await tenant.service.putUser(name, role(request.body?.role), password);
      return reply
        .status(201)
        .send({ name, role: request.body?.role, ...(password === undefined ? { password: pw } : {}) });
    },
  );

  app.delete<{ Params: { name: string } }>('/api/users/:name', admin, async (request, reply) => {
    const { tenant, principal } = contextOf(request);
    if (principal.kind === 'user' && principal.name === request.params.name) {
      throw new VigilError('USER_SELF_DELETE', 'you cannot delete yourself');
    }
    if (!(await tenant.service.deleteUser(request.params.name))) {
      throw new VigilError('USER_UNKNOWN', `no user "${request.params.name}"`, { status: 404 });
    }
    return reply.status(204).send();
  });

  app.get('/api/tokens', admin, async (request) => {
    const { tenant } = contextOf(request);
    return { value: (await tenant.service.listCredentials('api')).map(credentialView) };
  });

  app.post<{ Body: { name?: unknown; role?: unknown; expiresInHours?: unknown } }>(
    '/api/tokens',
    admin,
    async (request, reply) => {
      const { tenant } = contextOf(request);
      const name = request.body?.name;
      if (typeof name !== 'string' || name.length === 0)
        throw new VigilError('API_BAD_REQUEST', 'a token needs a "name"');
      const issued = await tenant.service.createApiToken(
        name,
        role(request.body?.role),
        optionalPositive(request.body?.expiresInHours, 'expiresInHours'),
      );
      return reply.status(201).send({ ...credentialView(issued.record), token: issued.token });
    },
  );

  app.delete<{ Params: { id: string } }>('/api/tokens/:id', admin, async (request, reply) => {
    const { tenant } = contextOf(request);
    const list = await tenant.service.listCredentials('api');
    if (!list.some((c) => c.id === request.params.id) || !(await tenant.service.revokeCredential(request.params.id))) {
      throw new VigilError('TOKEN_UNKNOWN', `no API token "${request.params.id}"`, { status: 404 });
    }
    return reply.status(204).send();
  });

  app.get('/api/enrollment-tokens', admin, async (request) => {
    const { tenant } = contextOf(request);
    return { value: (await tenant.service.listCredentials('enroll')).map(credentialView) };
  });

  app.post<{ Body: { name?: unknown; expiresInHours?: unknown; maxUses?: unknown } }>(
    '/api/enrollment-tokens',
    admin,
    async (request, reply) => {
      const { tenant } = contextOf(request);
      const b = request.body ?? {};
      const expires = optionalPositive(b.expiresInHours, 'expiresInHours');
      const maxUses = optionalPositive(b.maxUses, 'maxUses');
      const issued = await tenant.service.createEnrollToken({
        ...(typeof b.name === 'string' ? { name: b.name } : {}),
        ...(expires !== undefined ? { expiresInHours: expires } : {}),
        ...(maxUses !== undefined ? { maxUses: Math.floor(maxUses) } : {}),
      });
      return reply.status(201).send({ ...credentialView(issued.record), token: issued.token });
    },
  );

  app.delete<{ Params: { id: string } }>('/api/enrollment-tokens/:id', admin, async (request, reply) => {
    const { tenant } = contextOf(request);
    const list = await tenant.service.listCredentials('enroll');
    if (!list.some((c) => c.id === request.params.id) || !(await tenant.service.revokeCredential(request.params.id))) {
      throw new VigilError('TOKEN_UNKNOWN', `no enrollment token "${request.params.id}"`, { status: 404 });
    }
    return reply.status(204).send();
  });
}
