import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { ApiClient } from '../api/api-client';
import type { Alert } from '../api/types';
import { AuthContext } from '../auth/auth-context';

/** Renders a page inside a signed-in session (user `alice`, analyst unless told) whose API goes to `fetchImpl`. */
export function renderSignedIn(ui: ReactNode, fetchImpl: typeof fetch, role = 'analyst', username = 'alice') {
  const session = { token: 't', tenant: 'default', username, role, expiresAt: null };
  const api = new ApiClient({ token: 't', fetch: fetchImpl });
  return render(<AuthContext.Provider value={{ session, api, signOut: () => {} }}>{ui}</AuthContext.Provider>);
}

/** An alert as the server sends it, with a process and a file in its evidence. */
export function sampleAlert(overrides: Partial<Alert> = {}): Alert {
  return {
    id: 'da-1',
    title: 'Known bad file',
    description: 'A file matched an indicator.',
    severity: 'High',
    status: 'New',
    classification: null,
    determination: null,
    category: 'Malware',
    detectionSource: 'CustomTi',
    detectorId: 'indicator:1',
    mitreTechniques: ['T1059.004'],
    mitreTechniqueDetails: [{ id: 'T1059.004', name: 'Unix Shell', tactics: ['execution'] }],
    firstEventTime: '2026-11-28T10:00:00.000Z',
    lastEventTime: '2026-11-28T10:05:00.000Z',
    machineId: 'id-1',
    computerDnsName: 'host-001',
    eventCount: 2,
    evidence: [
      { entityType: 'Machine', machineId: 'id-1', computerDnsName: 'host-001' },
      { entityType: 'Process', processId: 30, fileName: 'evil', processCommandLine: 'evil --now', sha1: 'abc' },
      { entityType: 'File', fileName: 'evil', sha1: 'abc' },
      { entityType: 'User', accountName: 'alice' },
    ],
    comments: [{ comment: 'looking', createdBy: 'bob', createdTime: '2026-11-28T11:00:00.000Z' }],
    assignedTo: null,
    ...overrides,
  };
}
