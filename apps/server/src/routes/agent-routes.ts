import { isValidBatchId, VigilError } from '@vigil/base';
import type { DataDir } from '@vigil/runtime';
import { parseToken } from '@vigil/tenants';
import type { FastifyInstance } from 'fastify';
import { bearer, contextOf, requireDevice } from '../auth.js';

interface EnrollBody {
  readonly token?: string;
  readonly hostname?: string;
  readonly osPlatform?: string;
}

const GZIP_MAGIC = 0x1f8b;

/** Routes for enrolled devices: enrollment and batch ingestion. */
export function agentRoutes(app: FastifyInstance, data: DataDir): void {
  app.post<{ Body: EnrollBody }>('/api/agent/enroll', async (request, reply) => {
    const body = request.body ?? {};
    const token = body.token ?? bearer(request);
    if (!token) {
      throw new VigilError('AUTH_INVALID', 'enrollment needs a token', {
        status: 401,
        hint: 'send {"token": "<enrollment token>", "hostname": "..."} or Authorization: Bearer <enrollment token>',
      });
    }
    const hostname = body.hostname;
    if (typeof hostname !== 'string' || hostname.length === 0 || hostname.length > 255) {
      throw new VigilError('ENROLL_BAD_HOSTNAME', 'enrollment needs a "hostname" of 1 to 255 characters');
    }
    const parsed = parseToken(token);
    if (!parsed || !data.hasTenant(parsed.tenant)) {
      throw new VigilError('AUTH_INVALID', 'unknown enrollment token', { status: 401 });
    }
    const tenant = await data.tenant(parsed.tenant);
    const r = await tenant.service.enroll(token, {
      hostname,
      ...(typeof body.osPlatform === 'string' ? { osPlatform: body.osPlatform } : {}),
    });
    return reply.status(201).send({
      deviceId: r.deviceId,
      deviceSecret: r.deviceSecret,
      tenant: tenant.name,
      commandPublicKey: tenant.actions.publicKeyPem,
    });
  });

  app.register(async (scope) => {
    scope.addContentTypeParser(
      ['application/x-ndjson', 'application/gzip', 'application/octet-stream', 'text/plain'],
      { parseAs: 'buffer', bodyLimit: data.limits.maxBodyBytes },
      (_request, body, done) => done(null, body),
    );
    scope.post<{ Body: Buffer; Querystring: { batchId?: string } }>(
      '/api/agent/ingest',
      { preHandler: requireDevice(data), bodyLimit: data.limits.maxBodyBytes },
      async (request) => {
        const { tenant, principal } = contextOf(request);
        if (principal.kind !== 'device') throw new VigilError('AUTH_FORBIDDEN', 'devices only', { status: 403 });
        const batchId = (request.headers['x-batch-id'] as string | undefined) ?? request.query.batchId;
        if (!batchId || !isValidBatchId(batchId)) {
          throw new VigilError(
            'INGEST_BAD_BATCH_ID',
            'the batch needs an id: X-Batch-Id header of 1 to 128 letters, digits, . _ : -',
          );
        }
        const body = request.body;
        if (!Buffer.isBuffer(body) || body.length === 0) {
          throw new VigilError('INGEST_EMPTY', 'the batch is empty', {
            hint: 'send gzip NDJSON with Content-Type: application/x-ndjson and Content-Encoding: gzip',
          });
        }
        const gzip =
          request.headers['content-encoding'] === 'gzip' || (body.length >= 2 && body.readUInt16BE(0) === GZIP_MAGIC);
        const outcome = await tenant.ingest(`${principal.deviceId}:${batchId}`, body, {
          gzip,
          device: { deviceId: principal.deviceId, deviceName: principal.deviceName },
        });
        return { batchId, status: outcome.duplicate ? 'duplicate' : 'stored', rows: outcome.rowCount };
      },
    );
  });
}
