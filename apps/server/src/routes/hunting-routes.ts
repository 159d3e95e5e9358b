import { VigilError } from '@vigil/base';
import { type DataDir, HuntError, runHunt } from '@vigil/runtime';
import type { FastifyInstance } from 'fastify';
import { contextOf, requireRole } from '../auth.js';

/** Per-tenant limits of advanced hunting. */
export interface HuntingLimits {
  readonly maxRows: number;
  readonly timeoutMs: number;
  /** Queries one tenant may run at once; more get 429. */
  readonly concurrency: number;
  /** The only folder externaldata may read. */
  readonly externalDataDir?: string;
}

/** The defaults: 100,000 rows, 10 minutes, 4 queries at once per tenant. */
export const defaultHuntingLimits: HuntingLimits = { maxRows: 100_000, timeoutMs: 600_000, concurrency: 4 };

interface RunBody {
  readonly Query?: unknown;
  readonly QueryId?: unknown;
}

/** Advanced hunting: `POST /api/advancedqueries/run` (Defender's shape), a streaming variant and cancellation. */
export function huntingRoutes(app: FastifyInstance, data: DataDir, limits: HuntingLimits = defaultHuntingLimits): void {
  const running = new Map<string, Map<string, AbortController>>();
  const viewer = { preHandler: requireRole(data, 'viewer') };

  const start = (tenant: string, body: RunBody | undefined) => {
    const query = body?.Query;
    if (typeof query !== 'string' || query.trim() === '') {
      throw new VigilError('HUNT_NO_QUERY', 'the body needs {"Query": "<KQL>"}');
    }
    const mine = running.get(tenant) ?? new Map<string, AbortController>();
    running.set(tenant, mine);
    if (mine.size >= limits.concurrency) {
      throw new VigilError('HUNT_TOO_MANY', `${mine.size} queries of this tenant are running; retry later`, {
        status: 429,
        retryAfter: 5,
      });
    }
    const id = typeof body?.QueryId === 'string' && body.QueryId ? body.QueryId : crypto.randomUUID();
    if (mine.has(id))
      throw new VigilError('HUNT_DUPLICATE_ID', `a query with id ${id} is already running`, { status: 409 });
    const controller = new AbortController();
    mine.set(id, controller);
    return { query, id, controller, done: () => mine.delete(id) };
  };

  app.post<{ Body: RunBody }>('/api/advancedqueries/run', viewer, async (request, reply) => {
    const { tenant } = contextOf(request);
    const run = start(tenant.name, request.body);
    request.raw.on('close', () => {
      if (!reply.sent) run.controller.abort();
    });
    try {
      const r = await runHunt(tenant.telemetry, run.query, {
        maxRows: limits.maxRows,
        timeoutMs: limits.timeoutMs,
        signal: run.controller.signal,
        ...(limits.externalDataDir ? { externalDataDir: limits.externalDataDir } : {}),
      });
      return { ...r, QueryId: run.id };
    } finally {
      run.done();
    }
  });

  app.post<{ Body: RunBody }>('/api/advancedqueries/stream', viewer, async (request, reply) => {
    const { tenant } = contextOf(request);
    const run = start(tenant.name, request.body);
    request.raw.on('close', () => run.controller.abort());
    try {
      // Streaming allows ten times the row limit of the JSON answer.
      const r = await runHunt(tenant.telemetry, run.query, {
        maxRows: limits.maxRows * 10,
        timeoutMs: limits.timeoutMs,
        signal: run.controller.signal,
        ...(limits.externalDataDir ? { externalDataDir: limits.externalDataDir } : {}),
      });
      reply.raw.writeHead(200, { 'content-type': 'application/x-ndjson', 'x-query-id': run.id });
      reply.raw.write(
        `${JSON.stringify({ Schema: r.Schema, QueryId: run.id, ...(r.Chart ? { Chart: r.Chart } : {}) })}\n`,
      );
      for (const row of r.Results) {
        if (!reply.raw.write(`${JSON.stringify(row)}\n`)) await new Promise((res) => reply.raw.once('drain', res));
        if (run.controller.signal.aborted) break;
      }
      reply.raw.end(`${JSON.stringify({ Stats: { Rows: r.Results.length, Truncated: r.Truncated } })}\n`);
      return reply;
    } finally {
      run.done();
    }
  });

  app.post<{ Body: { QueryId?: unknown } }>('/api/advancedqueries/cancel', viewer, async (request) => {
    const { tenant } = contextOf(request);
    const id = request.body?.QueryId;
    const controller = typeof id === 'string' ? running.get(tenant.name)?.get(id) : undefined;
    if (!controller)
      throw new VigilError('HUNT_NOT_RUNNING', `no running query with id ${String(id)}`, { status: 404 });
    controller.abort();
    return { QueryId: id, Cancelled: true };
  });
}

export { HuntError };
