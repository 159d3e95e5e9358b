import { chmodSync, existsSync, rmSync } from 'node:fs';
import { VigilError } from '@vigil/base';
import type { AdminOps } from '@vigil/runtime';
import { type Role, roles } from '@vigil/storage';
import Fastify, { type FastifyInstance } from 'fastify';
import { installErrorHandler, installNotFoundHandler } from './errors.js';

type Body = Record<string, unknown>;

function str(body: Body, key: string): string {
  const v = body[key];
  if (typeof v !== 'string') throw new VigilError('ADMIN_BAD_REQUEST', `"${key}" must be a string`);
  return v;
}

function num(body: Body, key: string): number | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number') throw new VigilError('ADMIN_BAD_REQUEST', `"${key}" must be a number`);
  return v;
}

function role(body: Body): Role {
  const r = body.role;
  if (typeof r === 'string' && (roles as readonly string[]).includes(r)) return r as Role;
  throw new VigilError('ADMIN_BAD_ROLE', `role must be one of ${roles.join(', ')}`);
}

/**
 * The local admin channel of a running server: a Unix socket in the data dir, readable only by its owner, through
 * which the CLI administers the data dir while the server holds its files.
 */
export async function startAdminSocket(path: string, ops: AdminOps): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  installErrorHandler(app);
  installNotFoundHandler(app, false);
  app.get('/admin/tenants', async () => ({ value: await ops.listTenants() }));
  app.post<{ Body: Body }>('/admin/tenants', async (r) => ops.createTenant(str(r.body ?? {}, 'name')));
  app.post<{ Params: { tenant: string }; Body: Body }>('/admin/tenants/:tenant/enroll-tokens', async (r) => {
    const b = r.body ?? {};
    const hours = num(b, 'expiresInHours');
    const uses = num(b, 'maxUses');
    return ops.createEnrollToken(r.params.tenant, {
      ...(hours !== undefined ? { expiresInHours: hours } : {}),
      ...(uses !== undefined ? { maxUses: uses } : {}),
    });
  });
  app.post<{ Params: { tenant: string }; Body: Body }>('/admin/tenants/:tenant/users', async (r) => {
    const b = r.body ?? {};
    return ops.putUser(
      r.params.tenant,
      str(b, 'name'),
      role(b),
      typeof b.password === 'string' ? b.password : undefined,
    );
  });
  app.post<{ Params: { tenant: string }; Body: Body }>('/admin/tenants/:tenant/tokens', async (r) => {
    const b = r.body ?? {};
    return ops.createApiToken(r.params.tenant, str(b, 'name'), role(b), num(b, 'expiresInHours'));
  });
  app.post<{ Params: { tenant: string }; Body: Body }>('/admin/tenants/:tenant/retention', async (r) =>
    ops.setRetention(r.params.tenant, num(r.body ?? {}, 'days') ?? Number.NaN),
  );
  app.post<{ Params: { tenant: string }; Body: Body }>('/admin/tenants/:tenant/sql', async (r) =>
    ops.sql(r.params.tenant, str(r.body ?? {}, 'sql')),
  );
  app.post<{ Params: { tenant: string }; Body: Body }>('/admin/tenants/:tenant/hunt', async (r) => {
    const b = r.body ?? {};
    const maxRows = num(b, 'maxRows');
    const timeoutMs = num(b, 'timeoutMs');
    return ops.hunt(r.params.tenant, str(b, 'query'), {
      ...(maxRows !== undefined ? { maxRows } : {}),
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    });
  });
  app.post<{ Body: Body }>('/admin/attack', async (r) => ops.importAttack(str(r.body ?? {}, 'file')));
  app.post<{ Body: Body }>('/admin/rules', async (r) => ops.addRules(str(r.body ?? {}, 'dir')));
  app.get('/admin/rules', async () => ops.listRules());
  app.post<{ Params: { tenant: string }; Body: Body }>('/admin/tenants/:tenant/import', async (r, reply) => {
    const files = r.body?.files;
    if (!Array.isArray(files) || !files.every((f) => typeof f === 'string')) {
      throw new VigilError('ADMIN_BAD_REQUEST', '"files" must be a list of absolute paths');
    }
    // Progress lines stream as NDJSON; the last line is the summary or the error.
    reply.raw.writeHead(200, { 'content-type': 'application/x-ndjson' });
    let last = 0;
    try {
      const summary = await ops.importFiles(r.params.tenant, files as string[], {
        dryRun: r.body?.dryRun === true,
        onProgress: (p) => {
          const now = Date.now();
          if (now - last < 200) return;
          last = now;
          reply.raw.write(`${JSON.stringify({ progress: p })}\n`);
        },
      });
      reply.raw.end(`${JSON.stringify({ summary })}\n`);
    } catch (e) {
      const err =
        e instanceof VigilError
          ? { code: e.code, message: e.message, details: e.details, hint: e.hint }
          : { code: 'INTERNAL', message: (e as Error).message };
      reply.raw.end(`${JSON.stringify({ error: err })}\n`);
    }
    return reply;
  });
  if (existsSync(path)) rmSync(path);
  await app.listen({ path });
  chmodSync(path, 0o600);
  return app;
}
