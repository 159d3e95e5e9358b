import { VigilError } from '@vigil/base';
import type { MachineActionType } from '@vigil/protocol';
import { parseActionRequest } from '@vigil/response';
import type { DataDir } from '@vigil/runtime';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { contextOf, requireRole } from '../auth.js';

/** `POST /api/machines/{id}/<route>` → the action type it queues. */
const ACTION_ROUTES: readonly (readonly [string, MachineActionType])[] = [
  ['isolate', 'Isolate'],
  ['unisolate', 'Unisolate'],
  ['kill', 'KillProcess'],
  ['quarantine', 'StopAndQuarantineFile'],
  ['StopAndQuarantineFile', 'StopAndQuarantineFile'],
  ['unquarantine', 'RestoreQuarantinedFile'],
  ['collectInvestigationPackage', 'CollectInvestigationPackage'],
  ['runLiveResponse', 'LiveResponse'],
  ['runliveresponse', 'LiveResponse'],
];

type Principal = ReturnType<typeof contextOf>['principal'];
const who = (p: Principal) => (p.kind === 'device' ? `device:${p.deviceId}` : p.name);

function list(v: string | undefined): string[] | undefined {
  return v
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined;
}

function page(q: { $top?: string; $skip?: string }): { limit: number; offset: number } {
  const top = q.$top === undefined ? 100 : Number(q.$top);
  const skip = q.$skip === undefined ? 0 : Number(q.$skip);
  if (!Number.isInteger(top) || top < 1 || top > 10_000) throw new VigilError('BAD_PAGE', '$top must be 1 to 10000');
  if (!Number.isInteger(skip) || skip < 0) throw new VigilError('BAD_PAGE', '$skip must be 0 or more');
  return { limit: top, offset: skip };
}

async function action(request: FastifyRequest<{ Params: { id: string } }>) {
  const { tenant } = contextOf(request);
  const a = await tenant.actions.get(request.params.id);
  if (!a) throw new VigilError('ACTION_UNKNOWN', `no machine action "${request.params.id}"`, { status: 404 });
  return a;
}

/** Response actions (Defender's machine actions), the action list, cancellation, uploaded files, and the audit log. */
export function actionRoutes(app: FastifyInstance, data: DataDir): void {
  const analyst = { preHandler: requireRole(data, 'analyst') };
  const viewer = { preHandler: requireRole(data, 'viewer') };

  for (const [route, type] of ACTION_ROUTES) {
    app.post<{ Params: { id: string }; Body: unknown }>(
      `/api/machines/:id/${route}`,
      analyst,
      async (request, reply) => {
        const { tenant, principal } = contextOf(request);
        const d = await tenant.service.getDevice(request.params.id);
        if (!d) throw new VigilError('MACHINE_UNKNOWN', `no machine "${request.params.id}"`, { status: 404 });
        if (d.revokedAt) throw new VigilError('MACHINE_OFFBOARDED', `machine ${d.id} is offboarded`, { status: 409 });
        const req = parseActionRequest(type, request.body);
        const source = principal.kind === 'user' ? 'Portal' : 'API';
        return reply
          .status(201)
          .send(await tenant.actions.create({ id: d.id, name: d.name }, req, who(principal), source));
      },
    );
  }

  app.get<{ Querystring: Record<string, string | undefined> }>('/api/machineactions', viewer, async (request) => {
    const { tenant } = contextOf(request);
    const q = request.query;
    const status = list(q.status);
    const type = list(q.type);
    return tenant.actions.list({
      ...(q.machineId ? { machineId: q.machineId } : {}),
      ...(status ? { status } : {}),
      ...(type ? { type } : {}),
      ...page(q),
    });
  });
  app.get<{ Params: { id: string } }>('/api/machineactions/:id', viewer, action);
  app.post<{ Params: { id: string }; Body: { Comment?: unknown } | undefined }>(
    '/api/machineactions/:id/cancel',
    analyst,
    async (request) => {
      const { tenant, principal } = contextOf(request);
      const comment = request.body?.Comment;
      if (typeof comment !== 'string' || comment.trim() === '') {
        throw new VigilError('ACTION_BAD_REQUEST', 'Comment: is required (a non-empty string)');
      }
      return tenant.actions.cancel(request.params.id, who(principal), comment.slice(0, 1000));
    },
  );
  app.get<{ Params: { id: string } }>('/api/machineactions/:id/getPackageUri', viewer, async (request) => {
    const a = await action(request);
    if (a.type !== 'CollectInvestigationPackage' || !a.files?.some((f) => f.name === 'package.tar.gz')) {
      throw new VigilError('PACKAGE_NOT_READY', `action ${a.id} has no investigation package (status ${a.status})`, {
        status: 404,
      });
    }
    return { value: `/api/machineactions/${a.id}/package` };
  });
  app.get<{ Params: { id: string } }>('/api/machineactions/:id/package', viewer, async (request, reply) => {
    const a = await action(request);
    return sendFile(request, reply, a.id, 'package.tar.gz', `${a.computerDnsName}-${a.id}.tar.gz`, 'application/gzip');
  });
  app.get<{ Params: { id: string; index: string } }>(
    '/api/machineactions/:id/liveresponse/:index',
    viewer,
    async (request, reply) => {
      const a = await action(request);
      const index = Number(request.params.index);
      const c = a.commands?.find((x) => x.index === index);
      if (!c)
        throw new VigilError(
          'ACTION_NO_COMMAND',
          `action ${a.id} has no live-response command ${request.params.index}`,
          { status: 404 },
        );
      if (c.file) {
        const base =
          String(c.command.params.find((p) => p.key === 'Path')?.value ?? 'file')
            .split('/')
            .pop() || 'file';
        return sendFile(request, reply, a.id, `lr-${index}`, base, 'application/octet-stream');
      }
      return { index, command: c.command, commandStatus: c.commandStatus, errors: c.errors, output: c.output ?? null };
    },
  );

  app.get<{ Querystring: Record<string, string | undefined> }>(
    '/api/auditlog',
    { preHandler: requireRole(data, 'admin') },
    async (request) => {
      const { tenant } = contextOf(request);
      return tenant.audit.list({
        ...(request.query.target ? { target: request.query.target } : {}),
        ...page(request.query),
      });
    },
  );
}

function sendFile(
  request: FastifyRequest,
  reply: FastifyReply,
  actionId: string,
  name: string,
  downloadName: string,
  type: string,
) {
  const { tenant } = contextOf(request);
  const f = tenant.actionFiles.read(actionId, name);
  if (!f)
    throw new VigilError('ACTION_FILE_UNKNOWN', `action ${actionId} has no uploaded file "${name}"`, { status: 404 });
  return reply
    .type(type)
    .header('content-length', f.size)
    .header('content-disposition', `attachment; filename="${downloadName.replace(/[^A-Za-z0-9._-]/g, '_')}"`)
    .send(f.stream);
}
