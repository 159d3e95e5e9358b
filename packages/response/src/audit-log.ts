import { randomUUID } from 'node:crypto';
import { type Clock, systemClock } from '@vigil/base';
import type { AuditEntry } from '@vigil/protocol';
import type { StateStore } from '@vigil/storage';

const COLLECTION = 'auditlog';

/** The tenant's append-only audit log, in the state store. */
export class AuditLog {
  constructor(
    private readonly state: StateStore,
    private readonly clock: Clock = systemClock,
  ) {}

  async append(
    actor: string,
    action: string,
    target: string,
    details: Record<string, unknown> = {},
  ): Promise<AuditEntry> {
    const now = this.clock.now();
    const entry: AuditEntry = {
      // Time first, so that ids sort in time order too.
      id: `${now.getTime().toString(36).padStart(9, '0')}-${randomUUID()}`,
      time: now.toISOString(),
      actor,
      action,
      target,
      details,
    };
    await this.state.putDocument(COLLECTION, entry.id, entry as unknown as Record<string, unknown>);
    return entry;
  }

  /** Newest first; `target` narrows it to one object. */
  async list(query: { target?: string; limit?: number; offset?: number } = {}): Promise<{
    value: AuditEntry[];
    total: number;
  }> {
    const r = await this.state.listDocuments(COLLECTION, {
      ...(query.target ? { where: { target: query.target } } : {}),
      orderBy: { field: 'id', desc: true },
      limit: query.limit ?? 100,
      offset: query.offset ?? 0,
    });
    return { value: r.items as unknown as AuditEntry[], total: r.total };
  }
}
