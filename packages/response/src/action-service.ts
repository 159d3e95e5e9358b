import { randomBytes, randomUUID } from 'node:crypto';
import { type Clock, systemClock, VigilError } from '@vigil/base';
import type {
  ActionHistoryEntry,
  AgentCommand,
  CommandReport,
  MachineActionStatus,
  SignedCommand,
} from '@vigil/protocol';
import type { StateStore } from '@vigil/storage';
import type { ActionRequest } from './action-request.js';
import type { AuditLog } from './audit-log.js';
import type { CommandKeys } from './command-keys.js';
import {
  type ActionFile,
  actionTitle,
  inProgressLimitMs,
  type MachineAction,
  mergeLiveResponse,
} from './machine-action.js';

const ACTIONS = 'machineactions';
const COMMANDS = 'machinecommands';
/** Defender retries an action on an offline device for up to 3 days. */
const DEFAULT_EXPIRY_MS = 3 * 24 * 3_600_000;
const ACTIVE: readonly MachineActionStatus[] = ['Pending', 'InProgress'];

/** Filters of the action list. */
export interface ActionFilter {
  readonly machineId?: string;
  readonly status?: readonly string[];
  readonly type?: readonly string[];
  readonly limit?: number;
  readonly offset?: number;
}

/** The device an action targets. */
export interface ActionTarget {
  readonly id: string;
  readonly name: string;
}

/** Isolation as the machine entity shows it. */
export type IsolationState = 'Isolated' | 'NotIsolated' | 'IsolationPending' | 'ReleasePending';

const allowed: Readonly<Record<MachineActionStatus, readonly MachineActionStatus[]>> = {
  Pending: ['InProgress', 'Succeeded', 'Failed'],
  InProgress: ['InProgress', 'Succeeded', 'Failed'],
  Succeeded: [],
  Failed: [],
  TimeOut: [],
  Cancelled: [],
};

/**
 * Machine actions of one tenant: created by users, signed and queued for the device, reported on by the agent,
 * expired when not done in time. Every change lands in the action's history and in the tenant's audit log.
 */
export class ActionService {
  private readonly waiters = new Map<string, Set<() => void>>();
  /** Mutations run one at a time, so concurrent reports cannot interleave a read-modify-write. */
  private serial: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly tenant: string,
    private readonly state: StateStore,
    private readonly keys: CommandKeys,
    private readonly audit: AuditLog,
    private readonly clock: Clock = systemClock,
    private readonly expiryMs = DEFAULT_EXPIRY_MS,
  ) {}

  /** The public key agents verify commands with. */
  get publicKeyPem(): string {
    return this.keys.publicKeyPem;
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.serial.then(fn, fn);
    this.serial = run.catch(() => undefined);
    return run;
  }

  /** Queues a new action for a device: stored Pending, its signed command waiting for the agent. */
  create(
    target: ActionTarget,
    req: ActionRequest,
    requestor: string,
    source: 'Portal' | 'API',
  ): Promise<MachineAction> {
    return this.exclusive(async () => {
      await this.expireDue();
      const active = await this.state.listDocuments(ACTIONS, {
        where: { machineId: target.id, type: req.type, status: [...ACTIVE] },
        limit: 1,
      });
      const busy = active.items[0] as MachineAction | undefined;
      if (busy) {
        throw new VigilError(
          'ActiveRequestAlreadyExists',
          `machine ${target.id} already has a ${busy.status} ${req.type} action (${busy.id})`,
          { status: 400, hint: `wait for it, or cancel it: POST /api/machineactions/${busy.id}/cancel` },
        );
      }
      const now = this.clock.now();
      const id = randomUUID();
      const expires = new Date(now.getTime() + this.expiryMs);
      const action: MachineAction = {
        id,
        type: req.type,
        scope: req.type === 'Isolate' ? 'Full' : null,
        title: actionTitle(req.type, target.name, req.params),
        status: 'Pending',
        machineId: target.id,
        computerDnsName: target.name,
        requestor,
        requestorComment: req.comment,
        requestSource: source,
        creationDateTimeUtc: now.toISOString(),
        lastUpdateDateTimeUtc: now.toISOString(),
        expirationDateTimeUtc: expires.toISOString(),
        params: req.params,
        relatedFileInfo: req.relatedFileInfo ?? null,
        ...(req.commands
          ? {
              commands: req.commands.map((command, index) => ({
                index,
                command,
                commandStatus: 'Created',
                errors: [],
              })),
            }
          : {}),
        history: [{ status: 'Pending', time: now.toISOString(), by: requestor, comment: req.comment }],
      };
      const command: AgentCommand = {
        actionId: id,
        tenant: this.tenant,
        deviceId: target.id,
        type: req.type,
        params: req.params,
        ...(req.commands ? { commands: req.commands } : {}),
        issuedAt: now.toISOString(),
        expiresAt: expires.toISOString(),
        nonce: randomBytes(12).toString('base64url'),
      };
      await this.state.putDocument(COMMANDS, id, {
        machineId: target.id,
        ...this.keys.sign(JSON.stringify(command)),
      });
      await this.state.putDocument(ACTIONS, id, action as unknown as Record<string, unknown>);
      await this.audit.append(requestor, 'MachineAction.Create', `machineaction/${id}`, {
        type: req.type,
        machineId: target.id,
        comment: req.comment,
        params: req.params,
      });
      this.wake(target.id);
      return action;
    });
  }

  async get(id: string): Promise<MachineAction | undefined> {
    await this.exclusive(() => this.expireDue());
    return (await this.state.getDocument(ACTIONS, id)) as MachineAction | undefined;
  }

  /** Newest first. */
  async list(filter: ActionFilter = {}): Promise<{ value: MachineAction[]; total: number }> {
    await this.exclusive(() => this.expireDue());
    const where: Record<string, string | readonly string[]> = {};
    if (filter.machineId) where.machineId = filter.machineId;
    if (filter.status?.length) where.status = filter.status;
    if (filter.type?.length) where.type = filter.type;
    const r = await this.state.listDocuments(ACTIONS, {
      where,
      orderBy: { field: 'creationDateTimeUtc', desc: true },
      limit: filter.limit ?? 100,
      offset: filter.offset ?? 0,
    });
    return { value: r.items as unknown as MachineAction[], total: r.total };
  }

  /** Cancels a Pending action; an action the agent has started can no longer be cancelled. */
  cancel(id: string, by: string, comment: string): Promise<MachineAction> {
    return this.exclusive(async () => {
      await this.expireDue();
      const a = await this.require(id);
      if (a.status !== 'Pending') {
        throw new VigilError(
          'ACTION_NOT_CANCELLABLE',
          `action ${id} is ${a.status}; only Pending actions can be cancelled`,
          {
            status: 409,
          },
        );
      }
      const now = this.clock.now().toISOString();
      const next: MachineAction = {
        ...a,
        status: 'Cancelled',
        lastUpdateDateTimeUtc: now,
        cancellationRequestor: by,
        cancellationComment: comment,
        cancellationDateTimeUtc: now,
        history: [...a.history, { status: 'Cancelled', time: now, by, comment }],
      };
      await this.save(next);
      await this.state.deleteDocument(COMMANDS, id);
      await this.audit.append(by, 'MachineAction.Cancel', `machineaction/${id}`, { comment });
      return next;
    });
  }

  /**
   * The signed commands of a device's Pending actions, oldest first. Every agent calls this on each poll, so it
   * skips the tenant-wide expiry sweep and leaves out expired actions itself (reads and reports mark them TimeOut).
   */
  async pendingFor(deviceId: string): Promise<SignedCommand[]> {
    const r = await this.state.listDocuments(ACTIONS, {
      where: { machineId: deviceId, status: 'Pending' },
      orderBy: { field: 'creationDateTimeUtc' },
      limit: 50,
    });
    const now = this.clock.now().getTime();
    const out: SignedCommand[] = [];
    for (const a of r.items) {
      if (Date.parse(String(a.expirationDateTimeUtc)) <= now) continue;
      const c = await this.state.getDocument(COMMANDS, String(a.id));
      if (c) out.push({ payload: String(c.payload), signature: String(c.signature) });
    }
    return out;
  }

  /** Resolves when an action is queued for the device, or after `ms`. */
  waitFor(deviceId: string, ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const set = this.waiters.get(deviceId) ?? new Set();
      this.waiters.set(deviceId, set);
      const done = () => {
        clearTimeout(timer);
        set.delete(done);
        if (set.size === 0) this.waiters.delete(deviceId);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done);
      set.add(done);
    });
  }

  private wake(deviceId: string): void {
    for (const w of [...(this.waiters.get(deviceId) ?? [])]) w();
  }

  /** Applies an agent's report; refuses reports on actions of other devices or in a final state. */
  report(deviceId: string, id: string, report: CommandReport): Promise<MachineAction> {
    return this.exclusive(async () => {
      await this.expireDue();
      const a = await this.require(id);
      if (a.machineId !== deviceId) {
        throw new VigilError('ACTION_UNKNOWN', `no action "${id}" for this device`, { status: 404 });
      }
      if (!allowed[a.status].includes(report.status)) {
        throw new VigilError('ACTION_FINAL', `action ${id} is ${a.status}; it cannot become ${report.status}`, {
          status: 409,
        });
      }
      const now = this.clock.now().toISOString();
      const by = `device:${deviceId}`;
      const entry: ActionHistoryEntry = {
        status: report.status,
        time: now,
        by,
        ...(report.errorMessage ? { comment: report.errorMessage.slice(0, 2000) } : {}),
      };
      const next: MachineAction = {
        ...a,
        status: report.status,
        lastUpdateDateTimeUtc: now,
        ...(report.errorMessage ? { errorMessage: report.errorMessage.slice(0, 2000) } : {}),
        ...(report.result ? { result: report.result } : {}),
        ...(a.commands ? { commands: mergeLiveResponse(a.commands, report.commands) } : {}),
        history: a.status === report.status ? a.history : [...a.history, entry],
      };
      await this.save(next);
      if (report.status !== 'InProgress') await this.state.deleteDocument(COMMANDS, id);
      if (a.status !== report.status) {
        await this.audit.append(by, 'MachineAction.StatusChange', `machineaction/${id}`, {
          from: a.status,
          to: report.status,
          ...(report.errorMessage ? { errorMessage: report.errorMessage.slice(0, 2000) } : {}),
        });
      }
      return next;
    });
  }

  /** Records a file the agent uploaded for an action (already written to disk by the caller). */
  addFile(deviceId: string, id: string, file: ActionFile, commandIndex?: number): Promise<MachineAction> {
    return this.exclusive(async () => {
      const a = await this.require(id);
      if (a.machineId !== deviceId)
        throw new VigilError('ACTION_UNKNOWN', `no action "${id}" for this device`, { status: 404 });
      if (a.status !== 'InProgress') {
        throw new VigilError('ACTION_FINAL', `action ${id} is ${a.status}; files are accepted while it is InProgress`, {
          status: 409,
        });
      }
      const next: MachineAction = {
        ...a,
        files: [...(a.files ?? []).filter((f) => f.name !== file.name), file],
        ...(a.commands && commandIndex !== undefined
          ? {
              commands: a.commands.map((c) =>
                c.index === commandIndex ? { ...c, file: { size: file.size, sha256: file.sha256 } } : c,
              ),
            }
          : {}),
      };
      await this.save(next);
      return next;
    });
  }

  /** Whether the device is isolated, from its last finished isolation action and any pending one. */
  async isolationState(deviceId: string): Promise<IsolationState> {
    const r = await this.state.listDocuments(ACTIONS, {
      where: { machineId: deviceId, type: ['Isolate', 'Unisolate'], status: ['Pending', 'InProgress', 'Succeeded'] },
      orderBy: { field: 'creationDateTimeUtc', desc: true },
      limit: 1,
    });
    const last = r.items[0] as MachineAction | undefined;
    if (!last) return 'NotIsolated';
    if (last.status === 'Succeeded') return last.type === 'Isolate' ? 'Isolated' : 'NotIsolated';
    return last.type === 'Isolate' ? 'IsolationPending' : 'ReleasePending';
  }

  /** Marks TimeOut: Pending actions past their expiry, and InProgress ones silent for too long. */
  async expireDue(): Promise<number> {
    const now = this.clock.now();
    const r = await this.state.listDocuments(ACTIONS, { where: { status: [...ACTIVE] }, limit: 10_000 });
    let n = 0;
    for (const item of r.items) {
      const a = item as unknown as MachineAction;
      const due =
        a.status === 'Pending'
          ? Date.parse(a.expirationDateTimeUtc) <= now.getTime()
          : Date.parse(a.lastUpdateDateTimeUtc) + inProgressLimitMs(a.type) <= now.getTime();
      if (!due) continue;
      const t = now.toISOString();
      const comment =
        a.status === 'Pending' ? 'the device did not pick it up in time' : 'the device did not finish it in time';
      await this.save({
        ...a,
        status: 'TimeOut',
        lastUpdateDateTimeUtc: t,
        errorMessage: comment,
        history: [...a.history, { status: 'TimeOut', time: t, by: 'system', comment }],
      });
      await this.state.deleteDocument(COMMANDS, a.id);
      await this.audit.append('system', 'MachineAction.StatusChange', `machineaction/${a.id}`, {
        from: a.status,
        to: 'TimeOut',
      });
      n++;
    }
    return n;
  }

  private async require(id: string): Promise<MachineAction> {
    const a = (await this.state.getDocument(ACTIONS, id)) as MachineAction | undefined;
    if (!a) throw new VigilError('ACTION_UNKNOWN', `no machine action "${id}"`, { status: 404 });
    return a;
  }

  private save(a: MachineAction): Promise<void> {
    return this.state.putDocument(ACTIONS, a.id, a as unknown as Record<string, unknown>);
  }
}
