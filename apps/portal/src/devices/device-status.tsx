import type { Machine } from '../api/types';

/** Defender's device health states, in the order the inventory filter offers them. */
export const healthStatuses = ['Active', 'ImpairedCommunication', 'Inactive'] as const;

const healthLabels: Readonly<Record<string, string>> = {
  Active: 'Active',
  ImpairedCommunication: 'Impaired communication',
  Inactive: 'Inactive',
};

/** A health state in words (an unknown one as it came). */
export function healthLabel(status: string | undefined): string {
  return status ? (healthLabels[status] ?? status) : 'Unknown';
}

function healthClass(status: string | undefined): string {
  if (status === 'Active') return 'badge ok';
  if (status === 'ImpairedCommunication') return 'badge st-pending';
  return 'badge off';
}

/** The device's health as a badge. */
export function HealthBadge({ status }: { readonly status: string | undefined }) {
  return <span className={healthClass(status)}>{healthLabel(status)}</span>;
}

const isolationLabels: Readonly<Record<string, string>> = {
  Isolated: 'Isolated',
  IsolationPending: 'Isolation pending',
  ReleasePending: 'Release pending',
  NotIsolated: 'Not isolated',
};

/**
 * The device's isolation as a badge: an isolated device stands out (it talks to Vigil only), a pending change is
 * marked as waiting, and a device that is not isolated gets a quiet badge.
 */
export function IsolationBadge({ machine }: { readonly machine: Pick<Machine, 'isolationState'> }) {
  const state = machine.isolationState ?? 'NotIsolated';
  const cls =
    state === 'Isolated'
      ? 'badge isolated'
      : state === 'IsolationPending' || state === 'ReleasePending'
        ? 'badge st-pending'
        : 'badge off';
  return <span className={cls}>{isolationLabels[state] ?? state}</span>;
}
