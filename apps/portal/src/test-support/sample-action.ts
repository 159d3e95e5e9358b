import type { MachineAction } from '../api/action-types';

/** A machine action as the server sends it: Pending isolation of host-001 unless told. */
export function sampleAction(overrides: Partial<MachineAction> = {}): MachineAction {
  return {
    id: 'ma-1',
    type: 'Isolate',
    title: 'Isolate host-001',
    status: 'Pending',
    machineId: 'id-1',
    computerDnsName: 'host-001',
    requestor: 'alice',
    requestorComment: 'contain it',
    requestSource: 'Portal',
    creationDateTimeUtc: '2026-11-28T10:00:00.000Z',
    lastUpdateDateTimeUtc: '2026-11-28T10:00:00.000Z',
    expirationDateTimeUtc: '2026-11-30T10:00:00.000Z',
    params: { isolationType: 'Full' },
    history: [{ status: 'Pending', time: '2026-11-28T10:00:00.000Z', by: 'alice', comment: 'contain it' }],
    ...overrides,
  };
}
