import { randomUUID } from 'node:crypto';
import { VigilError } from '@vigil/base';
import type { DataDir } from '@vigil/runtime';
import { roleAllows } from '@vigil/tenants';
import type { FastifyInstance } from 'fastify';
import { contextOf, requireRole } from '../auth.js';

const COLLECTION = 'queries';
const MAX_NAME = 200;
const MAX_QUERY = 100_000;

/** A saved hunting query: private to its owner, or shared with the whole tenant. */
export interface SavedQuery {
  readonly id: string;
  readonly name: string;
  readonly query: string;
  readonly description: string;
  readonly shared: boolean;
  readonly owner: string;
  readonly createdTime: string;
  readonly lastUpdatedTime: string;
  readonly lastUpdatedBy: string;
}

type Principal = ReturnType<typeof contextOf>['principal'];

/** Who owns what a principal saves: a user by name, an API token apart from users of the same name. */
function ownerOf(p: Principal): string {
  if (p.kind === 'device') return `device:${p.deviceId}`;
  return p.kind === 'api' ? `token:${p.name}` : p.name;
}

function invalid(field: string, message: string): VigilError {
  return new VigilError('QUERY_INVALID', message, {
    details: [{ code: 'QUERY_INVALID', message, severity: 'error', location: { field } }],
  });
}

/** The query a body describes, on top of the stored one for an update. */
function toQuery(body: Record<string, unknown>, by: string, now: string, prior?: SavedQuery): SavedQuery {
  const b = { ...prior, ...body };
  if (typeof b.name !== 'string' || !b.name.trim() || b.name.length > MAX_NAME)
    throw invalid('name', `"name" must be a non-empty string of at most ${MAX_NAME} characters`);
  if (typeof b.query !== 'string' || !b.query.trim() || b.query.length > MAX_QUERY)
    throw invalid('query', `"query" must be non-empty KQL of at most ${MAX_QUERY} characters`);
  if (b.shared !== undefined && typeof b.shared !== 'boolean')
    throw invalid('shared', '"shared" must be true (the whole tenant sees it) or false (only you)');
  if (b.description !== undefined && typeof b.description !== 'string')
    throw invalid('description', '"description" must be a string');
  return {
    id: prior?.id ?? randomUUID(),
    name: b.name.trim(),
    query: b.query,
    description: b.description ?? '',
    shared: b.shared ?? false,
    owner: prior?.owner ?? by,
    createdTime: prior?.createdTime ?? now,
    lastUpdatedTime: now,
    lastUpdatedBy: by,
  };
}

/** A saved query is visible to its owner and, when shared, to everyone in the tenant. */
function visible(q: SavedQuery, me: string): boolean {
  return q.shared || q.owner === me;
}

/** The owner and admins decide on sharing and deletion; any analyst may edit a shared query's text. */
function mayManage(q: SavedQuery, me: string, p: Principal): boolean {
  return q.owner === me || (p.kind !== 'device' && roleAllows(p.role, 'admin'));
}

/** Saved and shared hunting queries (`/api/queries`), documents of the tenant's state store. */
export function queryRoutes(app: FastifyInstance, data: DataDir): void {
  const viewer = { preHandler: requireRole(data, 'viewer') };
  const analyst = { preHandler: requireRole(data, 'analyst') };

  const load = async (request: Parameters<typeof contextOf>[0], id: string): Promise<SavedQuery> => {
    const { tenant, principal } = contextOf(request);
    const q = (await tenant.state.getDocument(COLLECTION, id)) as SavedQuery | undefined;
    // A private query of someone else answers like a missing one: its existence is not for others to know.
    if (!q || !visible(q, ownerOf(principal)))
      throw new VigilError('QUERY_UNKNOWN', `no saved query "${id}"`, { status: 404 });
    return q;
  };

  app.get<{ Querystring: { $top?: string; $skip?: string } }>('/api/queries', viewer, async (request) => {
    const { tenant, principal } = contextOf(request);
    const me = ownerOf(principal);
    const [shared, mine] = await Promise.all([
      tenant.state.listDocuments(COLLECTION, { where: { shared: true } }),
      tenant.state.listDocuments(COLLECTION, { where: { owner: me, shared: false } }),
    ]);
    const all = ([...shared.items, ...mine.items] as unknown as SavedQuery[]).sort(
      (a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id),
    );
    const top = Math.min(Number(request.query.$top ?? 1000) || 1000, 10_000);
    const skip = Math.max(0, Number(request.query.$skip ?? 0) || 0);
    return { value: all.slice(skip, skip + top), total: all.length };
  });

  app.get<{ Params: { id: string } }>('/api/queries/:id', viewer, async (request) => load(request, request.params.id));

  app.post<{ Body: Record<string, unknown> }>('/api/queries', analyst, async (request, reply) => {
    const { tenant, principal } = contextOf(request);
    const q = toQuery(request.body ?? {}, ownerOf(principal), new Date().toISOString());
    await tenant.state.putDocument(COLLECTION, q.id, q as unknown as Record<string, unknown>);
    return reply.status(201).send(q);
  });

  app.put<{ Params: { id: string }; Body: Record<string, unknown> }>('/api/queries/:id', analyst, async (request) => {
    const { tenant, principal } = contextOf(request);
    const me = ownerOf(principal);
    const prior = await load(request, request.params.id);
    const body = request.body ?? {};
    if (body.shared !== undefined && body.shared !== prior.shared && !mayManage(prior, me, principal))
      throw new VigilError('QUERY_FORBIDDEN', 'only the owner or an admin may change who sees this query', {
        status: 403,
      });
    const q = toQuery(body, me, new Date().toISOString(), prior);
    await tenant.state.putDocument(COLLECTION, q.id, q as unknown as Record<string, unknown>);
    return q;
  });

  app.delete<{ Params: { id: string } }>('/api/queries/:id', analyst, async (request, reply) => {
    const { tenant, principal } = contextOf(request);
    const q = await load(request, request.params.id);
    if (!mayManage(q, ownerOf(principal), principal))
      throw new VigilError('QUERY_FORBIDDEN', 'only the owner or an admin may delete a shared query', {
        status: 403,
      });
    await tenant.state.deleteDocument(COLLECTION, q.id);
    return reply.status(204).send();
  });
}
