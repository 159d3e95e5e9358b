import { VigilError } from '@vigil/base';
import {
  type LiveResponseCommand,
  type LiveResponseCommandType,
  liveResponseCommandParams,
  liveResponseCommands,
  type MachineActionType,
} from '@vigil/protocol';

/** A validated request for an action: its type, its parameters for the agent, and the requestor's comment. */
export interface ActionRequest {
  readonly type: MachineActionType;
  readonly comment: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly commands?: readonly LiveResponseCommand[];
  /** Set for file actions: Defender's relatedFileInfo. */
  readonly relatedFileInfo?: { fileIdentifier: string; fileIdentifierType: 'Sha256' | 'Sha1' };
}

/** The most live-response commands one request may hold. */
export const MAX_LIVE_RESPONSE_COMMANDS = 20;

const bad = (field: string, message: string, hint?: string) =>
  new VigilError('ACTION_BAD_REQUEST', `${field}: ${message}`, hint ? { hint } : {});

function text(body: Record<string, unknown>, field: string, max = 4096): string {
  const v = body[field];
  if (typeof v !== 'string' || v.trim().length === 0) throw bad(field, 'is required (a non-empty string)');
  if (v.length > max) throw bad(field, `is longer than ${max} characters`);
  return v;
}

function optionalHash(body: Record<string, unknown>, field: string, hexLength: number): string | undefined {
  const v = body[field];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string' || !new RegExp(`^[0-9a-fA-F]{${hexLength}}$`).test(v)) {
    throw bad(field, `must be ${hexLength} hexadecimal digits`);
  }
  return v.toLowerCase();
}

function absolutePath(body: Record<string, unknown>, field: string): string {
  const v = text(body, field);
  if (!v.startsWith('/') || v.includes('\0')) throw bad(field, `"${v}" is not an absolute path`);
  return v;
}

function liveResponse(body: Record<string, unknown>): LiveResponseCommand[] {
  const list = body.Commands;
  if (!Array.isArray(list) || list.length === 0) throw bad('Commands', 'needs at least one command');
  if (list.length > MAX_LIVE_RESPONSE_COMMANDS) throw bad('Commands', `holds more than ${MAX_LIVE_RESPONSE_COMMANDS}`);
  return list.map((raw, i): LiveResponseCommand => {
    const c = (raw ?? {}) as Record<string, unknown>;
    const type = c.type;
    if (typeof type !== 'string' || !(liveResponseCommands as readonly string[]).includes(type)) {
      throw bad(
        `Commands[${i}].type`,
        `"${String(type)}" is not an allowed command`,
        `allowed: ${liveResponseCommands.join(', ')}`,
      );
    }
    const params = Array.isArray(c.params) ? c.params : [];
    const kv = params.map((p, j) => {
      const { key, value } = (p ?? {}) as Record<string, unknown>;
      if (typeof key !== 'string' || typeof value !== 'string') {
        throw bad(`Commands[${i}].params[${j}]`, 'must be {"key": "...", "value": "..."}');
      }
      return { key, value };
    });
    const need = liveResponseCommandParams[type as LiveResponseCommandType];
    if (need) {
      const p = kv.find((x) => x.key === need);
      if (!p || p.value.length === 0) throw bad(`Commands[${i}]`, `${type} needs the parameter ${need}`);
      if (need === 'Path' && !p.value.startsWith('/')) throw bad(`Commands[${i}].${need}`, 'must be an absolute path');
    }
    return { type: type as LiveResponseCommandType, params: kv };
  });
}

/** Validates the body of `POST /api/machines/{id}/<action>` for an action type. */
export function parseActionRequest(type: MachineActionType, input: unknown): ActionRequest {
  const body = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const comment = text(body, 'Comment', 1000);
  switch (type) {
    case 'Isolate': {
      const t = body.IsolationType ?? 'Full';
      if (t !== 'Full') throw bad('IsolationType', `"${String(t)}" is not supported on Linux`, 'use "Full"');
      return { type, comment, params: { isolationType: 'Full' } };
    }
    case 'Unisolate':
    case 'CollectInvestigationPackage':
      return { type, comment, params: {} };
    case 'KillProcess': {
      const pid = body.ProcessId;
      if (typeof pid !== 'number' || !Number.isInteger(pid) || pid < 2)
        throw bad('ProcessId', 'must be an integer above 1');
      const created = text(body, 'ProcessCreationTime', 64);
      if (Number.isNaN(Date.parse(created))) throw bad('ProcessCreationTime', `"${created}" is not a date and time`);
      return { type, comment, params: { processId: pid, processCreationTime: new Date(created).toISOString() } };
    }
    case 'StopAndQuarantineFile': {
      const path = absolutePath(body, 'Path');
      const sha256 = optionalHash(body, 'Sha256', 64);
      const sha1 = optionalHash(body, 'Sha1', 40);
      return {
        type,
        comment,
        params: { path, ...(sha256 ? { sha256 } : {}), ...(sha1 ? { sha1 } : {}) },
        ...(sha256 || sha1
          ? {
              relatedFileInfo: sha256
                ? { fileIdentifier: sha256, fileIdentifierType: 'Sha256' }
                : { fileIdentifier: sha1 as string, fileIdentifierType: 'Sha1' },
            }
          : {}),
      };
    }
    case 'RestoreQuarantinedFile': {
      const sha256 = optionalHash(body, 'Sha256', 64);
      if (!sha256) throw bad('Sha256', 'is required: the SHA-256 of the quarantined file');
      return {
        type,
        comment,
        params: { sha256 },
        relatedFileInfo: { fileIdentifier: sha256, fileIdentifierType: 'Sha256' },
      };
    }
    case 'LiveResponse':
      return { type, comment, params: {}, commands: liveResponse(body) };
  }
}
