import type { ActionType, LiveResponseCommand, MachineAction } from '../api/action-types';
import { liveResponseCommands } from '../api/action-types';

/** States an action may still leave (the Pending tab of the action center) and states it never leaves (History). */
export { activeStatuses, finalStatuses } from '@vigil/protocol';

const typeLabels: Readonly<Record<ActionType, string>> = {
  Isolate: 'Isolate device',
  Unisolate: 'Release from isolation',
  KillProcess: 'Kill process',
  StopAndQuarantineFile: 'Stop and quarantine file',
  RestoreQuarantinedFile: 'Restore quarantined file',
  CollectInvestigationPackage: 'Collect investigation package',
  LiveResponse: 'Live response',
};

/** An action type in words. */
export function actionTypeLabel(type: string): string {
  return typeLabels[type as ActionType] ?? type;
}

/** The badge class of a status: waiting, running, good, bad or neutral. */
export function statusClass(status: string): string {
  switch (status) {
    case 'Pending':
      return 'badge st-pending';
    case 'InProgress':
      return 'badge st-progress';
    case 'Succeeded':
      return 'badge ok';
    case 'Failed':
    case 'TimeOut':
      return 'badge st-failed';
    default:
      return 'badge off';
  }
}

/** The action may still change: Pending or InProgress. */
export function isActive(a: { readonly status: string }): boolean {
  return a.status === 'Pending' || a.status === 'InProgress';
}

/** Only a Pending action can be cancelled: once the agent has it, it runs to an end. */
export function cancellable(a: Pick<MachineAction, 'status'>): boolean {
  return a.status === 'Pending';
}

/** The device's isolation in words, and which isolation action it offers. */
export function isolationOf(state: string | undefined): { label: string; next: 'isolate' | 'unisolate' | null } {
  switch (state) {
    case 'Isolated':
      return { label: 'Isolated', next: 'unisolate' };
    case 'IsolationPending':
      return { label: 'Isolation pending', next: null };
    case 'ReleasePending':
      return { label: 'Release pending', next: null };
    default:
      return { label: 'Not isolated', next: 'isolate' };
  }
}

/** A draft row of the live-response form. */
export interface CommandDraft {
  readonly type: keyof typeof liveResponseCommands;
  readonly value: string;
}

/** The draft rows as live-response commands, or the first problem: a missing or relative parameter. */
export function liveResponseOf(
  drafts: readonly CommandDraft[],
): { ok: true; commands: LiveResponseCommand[] } | { ok: false; problem: string } {
  if (drafts.length === 0) return { ok: false, problem: 'Add at least one command.' };
  const commands: LiveResponseCommand[] = [];
  for (const [i, d] of drafts.entries()) {
    const key = liveResponseCommands[d.type];
    const value = d.value.trim();
    if (key && !value) return { ok: false, problem: `Command ${i + 1} (${d.type}) needs a ${key}.` };
    if (key === 'Path' && !value.startsWith('/'))
      return { ok: false, problem: `Command ${i + 1} (${d.type}): the path must be absolute (/…).` };
    commands.push({ type: d.type, params: key ? [{ key, value }] : [] });
  }
  return { ok: true, commands };
}
