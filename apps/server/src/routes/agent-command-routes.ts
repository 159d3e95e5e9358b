import type { Readable } from 'node:stream';
import { VigilError } from '@vigil/base';
import type { CommandReport, LiveResponseResult } from '@vigil/protocol';
import type { DataDir } from '@vigil/runtime';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { contextOf, requireDevice } from '../auth.js';

/** The longest an agent's command poll is held open. */
const MAX_WAIT_S = 30;
/** Investigation packages and GetFile uploads (Defender allows 3 GB for getfile; we keep servers safe). */
export const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;
const MAX_REPORT_BYTES = 4 * 1024 * 1024;

function device(request: FastifyRequest) {
  const { tenant, principal } = contextOf(request);
  if (principal.kind !== 'device') throw new VigilError('AUTH_FORBIDDEN', 'devices only', { status: 403 });
  return { tenant, deviceId: principal.deviceId };
}

function checkReport(body: unknown): CommandReport {
  const r = (body ?? {}) as Record<string, unknown>;
  if (r.status !== 'InProgress' && r.status !== 'Succeeded' && r.status !== 'Failed') {
    throw new VigilError('REPORT_BAD_STATUS', `status: "${String(r.status)}" is not InProgress, Succeeded or Failed`);
  }
  if (r.errorMessage !== undefined && typeof r.errorMessage !== 'string') {
    throw new VigilError('REPORT_BAD_FIELD', 'errorMessage: must be a string');
  }
  if (r.result !== undefined && (typeof r.result !== 'object' || r.result === null || Array.isArray(r.result))) {
    throw new VigilError('REPORT_BAD_FIELD', 'result: must be an object');
  }
  if (r.commands !== undefined) {
    if (!Array.isArray(r.commands)) throw new VigilError('REPORT_BAD_FIELD', 'commands: must be an array');
    r.commands.forEach((c: Partial<LiveResponseResult>, i) => {
      if (
        typeof c?.index !== 'number' ||
        (c.commandStatus !== 'Completed' && c.commandStatus !== 'Failed') ||
        !Array.isArray(c.errors)
      ) {
        throw new VigilError(
          'REPORT_BAD_FIELD',
          `commands[${i}]: needs index, commandStatus (Completed|Failed) and errors[]`,
        );
      }
    });
  }
  return r as unknown as CommandReport;
}

/**
 * Routes agents use for response actions: the command-signing key, a long poll for signed commands, reports of
 * progress and outcome, and uploads of investigation packages and live-response files.
 */
export function agentCommandRoutes(app: FastifyInstance, data: DataDir): void {
  const dev = { preHandler: requireDevice(data) };
  app.get('/api/agent/config', dev, async (request) => {
    const { tenant, deviceId } = device(request);
    return { deviceId, tenant: tenant.name, commandPublicKey: tenant.actions.publicKeyPem };
  });

  app.get<{ Querystring: { wait?: string } }>('/api/agent/commands', dev, async (request) => {
    const { tenant, deviceId } = device(request);
    const wait = Math.min(Math.max(Number(request.query.wait ?? 0) || 0, 0), MAX_WAIT_S);
    let commands = await tenant.actions.pendingFor(deviceId);
    if (commands.length === 0 && wait > 0) {
      const gone = new AbortController();
      request.raw.once('close', () => gone.abort());
      await tenant.actions.waitFor(deviceId, wait * 1000, gone.signal);
      commands = await tenant.actions.pendingFor(deviceId);
    }
    return { commands };
  });

  app.post<{ Params: { id: string }; Body: unknown }>(
    '/api/agent/commands/:id/status',
    { ...dev, bodyLimit: MAX_REPORT_BYTES },
    async (request) => {
      const { tenant, deviceId } = device(request);
      const a = await tenant.actions.report(deviceId, request.params.id, checkReport(request.body));
      return { id: a.id, status: a.status };
    },
  );

  app.register(async (scope) => {
    scope.addContentTypeParser('application/octet-stream', (_request, payload, done) => done(null, payload));
    scope.put<{ Params: { id: string; name: string }; Body: Readable }>(
      '/api/agent/commands/:id/files/:name',
      { ...dev, bodyLimit: MAX_UPLOAD_BYTES },
      async (request) => {
        const { tenant, deviceId } = device(request);
        const a = await tenant.actions.get(request.params.id);
        if (!a || a.machineId !== deviceId) {
          throw new VigilError('ACTION_UNKNOWN', `no action "${request.params.id}" for this device`, { status: 404 });
        }
        const name = request.params.name;
        const lr = /^lr-(\d+)$/.exec(name);
        if (name !== 'package.tar.gz' && !lr) {
          throw new VigilError('ACTION_BAD_FILE_NAME', `"${name}": uploads are package.tar.gz or lr-<command index>`);
        }
        const file = await tenant.actionFiles.write(a.id, name, request.body, MAX_UPLOAD_BYTES);
        const next = await tenant.actions.addFile(deviceId, a.id, file, lr ? Number(lr[1]) : undefined);
        return { id: next.id, file };
      },
    );
  });
}
