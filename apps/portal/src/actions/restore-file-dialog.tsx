import type { MachineAction } from '../api/action-types';
import { useAuth } from '../auth/auth-context';
import { ConfirmActionDialog } from './confirm-action-dialog';

/** Asks before restoring a quarantined file (`POST /api/machines/{id}/unquarantine` with its SHA-256). */
export function RestoreFileDialog({
  machineId,
  sha256,
  originalPath,
  onClose,
}: {
  readonly machineId: string;
  readonly sha256: string;
  readonly originalPath: string;
  readonly onClose: (done: MachineAction | null) => void;
}) {
  const { api } = useAuth();
  return (
    <ConfirmActionDialog
      title={`Restore ${originalPath}`}
      confirmLabel="Restore file"
      onConfirm={(Comment) => api.requestAction(machineId, 'unquarantine', { Comment, Sha256: sha256 })}
      onClose={onClose}
    >
      <p>
        The agent moves the file with SHA-256 <code>{sha256}</code> back to <code>{originalPath}</code> with its former
        mode; it refuses when a file is there again.
      </p>
    </ConfirmActionDialog>
  );
}
