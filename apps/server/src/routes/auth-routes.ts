import { VigilError } from '@vigil/base';
import type { DataDir } from '@vigil/runtime';
import type { FastifyInstance } from 'fastify';
import { contextOf, requireRole } from '../auth.js';

interface LoginBody {
  readonly tenant?: string;
  readonly username?: string;
  readonly password?: string;
}

/** Sign-in, sign-out and "who am I". */
export function authRoutes(app: FastifyInstance, data: DataDir): void {
  app.post<{ Body: LoginBody }>('/api/auth/login', async (request) => {
    const { tenant: name = 'default', username, password } = request.body ?? {};
    if (typeof username !== 'string' || typeof password !== 'string') {
      throw new VigilError(
        'AUTH_BAD_REQUEST',
        'login needs "username" and "password" (and "tenant", default "default")',
      );
    }
    // An unknown tenant answers like a wrong password, so that tenant names are not disclosed.
    if (typeof name !== 'string' || !data.hasTenant(name)) {
      throw new VigilError('AUTH_INVALID', 'wrong user name or password', { status: 401 });
    }
    const tenant = await data.tenant(name);
    const session = await tenant.service.login(username, password);
    return {
      token: session.token,
      tenant: tenant.name,
      username,
      role: session.record.role,
      expiresAt: session.record.expiresAt?.toISOString() ?? null,
    };
  });

  app.post('/api/auth/logout', { preHandler: requireRole(data, 'viewer') }, async (request) => {
    const { tenant, principal } = contextOf(request);
    if (principal.kind !== 'user')
      throw new VigilError('AUTH_NOT_SESSION', 'only a session can sign out; revoke API tokens instead');
    await tenant.service.revokeCredential(principal.credentialId);
    return { ok: true };
  });

  app.get('/api/auth/me', { preHandler: requireRole(data, 'viewer') }, async (request) => {
    const { tenant, principal } = contextOf(request);
    if (principal.kind === 'device') throw new VigilError('AUTH_FORBIDDEN', 'devices only', { status: 403 });
    return { tenant: tenant.name, kind: principal.kind, name: principal.name, role: principal.role };
  });
}
