import { VigilError } from '@vigil/base';
import type { DataDir, Tenant } from '@vigil/runtime';
import type { Role } from '@vigil/storage';
import { type Principal, parseToken, roleAllows } from '@vigil/tenants';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** An authenticated request's tenant and principal. */
export interface RequestContext {
  readonly tenant: Tenant;
  readonly principal: Principal;
}

declare module 'fastify' {
  interface FastifyRequest {
    vigil?: RequestContext;
  }
}

const unauthorized = (message: string) =>
  new VigilError('AUTH_INVALID', message, { status: 401, hint: 'send Authorization: Bearer <token>' });

/** The bearer token of a request. */
export function bearer(request: FastifyRequest): string | undefined {
  const h = request.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m?.[1];
}

/**
 * Resolves the tenant from the token, then authenticates the token against that tenant's own store: a request
 * can only ever reach the tenant that issued its credential.
 */
export async function authenticate(data: DataDir, request: FastifyRequest): Promise<RequestContext> {
  const token = bearer(request);
  if (!token) throw unauthorized('this route needs authentication');
  const parsed = parseToken(token);
  if (!parsed || !data.hasTenant(parsed.tenant)) throw unauthorized('unknown token');
  const tenant = await data.tenant(parsed.tenant);
  const principal = await tenant.service.authenticate(token);
  return { tenant, principal };
}

/** A preHandler that requires a user or API token with at least `role`. */
export function requireRole(data: DataDir, role: Role) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const ctx = await authenticate(data, request);
    if (ctx.principal.kind === 'device')
      throw new VigilError('AUTH_FORBIDDEN', 'devices may only use /api/agent routes', { status: 403 });
    if (!roleAllows(ctx.principal.role, role)) {
      throw new VigilError('AUTH_FORBIDDEN', `this needs the ${role} role; you have ${ctx.principal.role}`, {
        status: 403,
      });
    }
    request.vigil = ctx;
  };
}

/** A preHandler that requires an enrolled device's secret. */
export function requireDevice(data: DataDir) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const ctx = await authenticate(data, request);
    if (ctx.principal.kind !== 'device') {
      throw new VigilError('AUTH_FORBIDDEN', 'this route is for enrolled devices', { status: 403 });
    }
    request.vigil = ctx;
  };
}

/** The context set by a preHandler. */
export function contextOf(request: FastifyRequest): RequestContext {
  if (!request.vigil) throw unauthorized('not authenticated');
  return request.vigil;
}
