import type { MachineAction } from '../api/action-types';
import { isActive } from './action-model';

/** A file to stop and quarantine: its full path and, when known, the SHA-256 the agent checks before acting. */
export interface QuarantineTarget {
  readonly path: string;
  readonly sha256?: string;
  /** `file` for the file of a file event, `image` for the executable of a process start. */
  readonly kind: 'file' | 'image';
}

const sha256Of = (v: unknown): string | undefined =>
  typeof v === 'string' && /^[0-9a-fA-F]{64}$/.test(v) ? v.toLowerCase() : undefined;

/**
 * What a timeline row offers to quarantine: the file of a `DeviceFileEvents` row or the image of a
 * `DeviceProcessEvents` row. In both tables FolderPath is the full path including the file name (as Defender has it),
 * so it is taken as is; the row's SHA-256 goes along when it has one. Other tables' paths (a loaded library, a
 * registry key's process) are not offered: quarantining them is not what the row is about.
 */
export function quarantineTargetOf(row: Readonly<Record<string, unknown>>): QuarantineTarget | null {
  const kind =
    row.EventTable === 'DeviceFileEvents' ? 'file' : row.EventTable === 'DeviceProcessEvents' ? 'image' : null;
  const path = typeof row.FolderPath === 'string' ? row.FolderPath : '';
  if (!kind || !path.startsWith('/') || path.endsWith('/')) return null;
  const sha256 = sha256Of(row.SHA256);
  return sha256 ? { path, sha256, kind } : { path, kind };
}

/** A file in the device's quarantine, from the action that put it there. */
export interface QuarantinedFile {
  readonly sha256: string;
  readonly originalPath: string;
  readonly quarantinedAt: string;
  readonly action: MachineAction;
  /** A restore of it is queued or running. */
  readonly restorePending: boolean;
}

/** The quarantined file a succeeded StopAndQuarantineFile action reports (`result.sha256`, `result.originalPath`). */
export function quarantinedFileOf(a: MachineAction): { sha256: string; originalPath: string } | null {
  if (a.type !== 'StopAndQuarantineFile' || a.status !== 'Succeeded') return null;
  const sha256 = sha256Of(a.result?.sha256);
  if (!sha256) return null;
  const path = a.result?.originalPath;
  return { sha256, originalPath: typeof path === 'string' ? path : String(a.params.path ?? '') };
}

const restoredSha = (a: MachineAction): string | undefined =>
  a.type === 'RestoreQuarantinedFile' ? sha256Of(a.params.sha256 ?? a.result?.sha256) : undefined;

/**
 * The files still in quarantine on a device, from its StopAndQuarantineFile and RestoreQuarantinedFile actions: a
 * succeeded quarantine counts until a later succeeded restore of the same SHA-256 (actions in the order they
 * finished). Newest first.
 */
export function quarantinedFiles(actions: readonly MachineAction[]): QuarantinedFile[] {
  const finished = actions
    .filter((a) => a.status === 'Succeeded')
    .sort((a, b) => a.lastUpdateDateTimeUtc.localeCompare(b.lastUpdateDateTimeUtc));
  const held = new Map<string, { originalPath: string; action: MachineAction }>();
  for (const a of finished) {
    const q = quarantinedFileOf(a);
    if (q) held.set(q.sha256, { originalPath: q.originalPath, action: a });
    const r = restoredSha(a);
    if (r) held.delete(r);
  }
  const pending = new Set(
    actions
      .filter(isActive)
      .map(restoredSha)
      .filter((s): s is string => !!s),
  );
  return [...held.entries()]
    .map(([sha256, h]) => ({
      sha256,
      originalPath: h.originalPath,
      quarantinedAt: h.action.lastUpdateDateTimeUtc,
      action: h.action,
      restorePending: pending.has(sha256),
    }))
    .sort((a, b) => b.quarantinedAt.localeCompare(a.quarantinedAt));
}
