import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { HuntResult } from '../api/types';
import { fakeFetch } from '../test-support/fake-api';
import { renderSignedIn, sampleAlert } from '../test-support/render-signed-in';
import { sampleAction } from '../test-support/sample-action';
import { AlertPage } from './alert-page';

const processRows: HuntResult = {
  Schema: [],
  Truncated: false,
  Results: [
    {
      Timestamp: '2026-11-28T09:59:00Z',
      ProcessId: 20,
      FileName: 'bash',
      InitiatingProcessId: 10,
      InitiatingProcessFileName: 'sshd',
    },
    {
      Timestamp: '2026-11-28T10:00:01Z',
      ProcessId: 30,
      ProcessCreationTime: '2026-11-28T10:00:00Z',
      FileName: 'evil',
      ProcessCommandLine: 'evil --now',
      InitiatingProcessId: 20,
    },
    { Timestamp: '2026-11-28T10:00:30Z', ProcessId: 31, FileName: 'ls', InitiatingProcessId: 20 },
  ],
};

describe('AlertPage', () => {
  it('shows the details, techniques, evidence by type, comments and the process tree that led to the alert', async () => {
    const fake = fakeFetch({
      'GET /api/alerts/da-1': () => ({ status: 200, body: sampleAlert() }),
      'POST /api/advancedqueries/run': () => ({ status: 200, body: processRows }),
    });
    renderSignedIn(<AlertPage id="da-1" />, fake.fetch);
    expect(await screen.findByRole('heading', { name: 'Known bad file' })).toBeTruthy();
    expect(screen.getAllByRole('link', { name: 'host-001' })[0]?.getAttribute('href')).toBe('#/devices/id-1');
    const techniques = screen.getByRole('list', { name: 'Techniques' });
    expect(techniques.textContent).toContain('T1059.004 Unix Shell');
    expect(techniques.textContent).toContain('Execution');
    expect(screen.getByRole('region', { name: 'Process evidence' }).textContent).toContain('evil --now');
    expect(screen.getByRole('region', { name: 'File evidence' }).textContent).toContain('abc');
    expect(screen.getByRole('region', { name: 'User evidence' }).textContent).toContain('alice');
    expect(screen.getByRole('list', { name: 'Comments' }).textContent).toContain('looking');

    const tree = await screen.findByRole('list', { name: 'Process tree' });
    const sshd = within(tree).getByText('sshd').closest('li') as HTMLElement;
    const bash = within(sshd).getByText('bash').closest('li') as HTMLElement;
    expect(within(bash).getByText('evil').closest('.process')?.getAttribute('aria-current')).toBe('true');
    expect(within(bash).getByText('ls').closest('.process')?.getAttribute('aria-current')).toBeNull();
    const query = fake.queries()[0] ?? '';
    expect(query).toContain('DeviceProcessEvents');
    expect(query).toContain('DeviceId == "id-1"');
    expect(query).toContain('datetime(2026-11-28T09:00:00.000Z)');
  });

  it('kills a process of the tree with a comment, by its PID and start time; parents seen only as parents have no kill', async () => {
    const kills: unknown[] = [];
    const fake = fakeFetch({
      'GET /api/alerts/da-1': () => ({ status: 200, body: sampleAlert() }),
      'POST /api/advancedqueries/run': () => ({ status: 200, body: processRows }),
      'POST /api/machines/id-1/kill': (body) => {
        kills.push(body);
        return { status: 201, body: sampleAction({ type: 'KillProcess', title: 'Kill process 30 on host-001' }) };
      },
    });
    renderSignedIn(<AlertPage id="da-1" />, fake.fetch);
    const tree = await screen.findByRole('list', { name: 'Process tree' });
    // sshd is known only from its child's InitiatingProcess columns: no start time, so no kill.
    expect(within(tree).queryByRole('button', { name: /^Kill sshd/ })).toBeNull();
    // bash and ls have rows but no ProcessCreationTime: their event Timestamp is not a start time, so no kill either.
    expect(within(tree).queryByRole('button', { name: /^Kill bash/ })).toBeNull();
    expect(within(tree).queryByRole('button', { name: /^Kill ls/ })).toBeNull();
    expect(within(tree).getAllByRole('button', { name: /^Kill / })).toHaveLength(1);
    fireEvent.click(within(tree).getByRole('button', { name: 'Kill evil 30' }));
    const dialog = screen.getByRole('dialog', { name: 'Kill evil (PID 30)' });
    fireEvent.change(within(dialog).getByLabelText(/Comment/), { target: { value: 'stop it' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Kill process' }));
    await within(dialog).findByRole('link', { name: 'Kill process 30 on host-001' });
    expect(kills).toEqual([{ Comment: 'stop it', ProcessId: 30, ProcessCreationTime: '2026-11-28T10:00:00.000Z' }]);
  });

  it('triages: assign to me, classification with only its determinations, status and comment', async () => {
    const patches: Record<string, unknown>[] = [];
    let current = sampleAlert({ mitreTechniques: [], mitreTechniqueDetails: [], machineId: null, evidence: [] });
    const fake = fakeFetch({
      'GET /api/alerts/da-1': () => ({ status: 200, body: current }),
      'PATCH /api/alerts/da-1': (body) => {
        const b = body as Record<string, unknown>;
        patches.push(b);
        current = {
          ...current,
          ...(b as object),
          comments: b.comment
            ? [
                ...current.comments,
                { comment: String(b.comment), createdBy: 'alice', createdTime: '2026-11-28T12:00:00Z' },
              ]
            : current.comments,
        };
        return { status: 200, body: current };
      },
    });
    renderSignedIn(<AlertPage id="da-1" />, fake.fetch);
    expect(await screen.findByText('No process tree: the alert names no process on a device.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Assign to me' }));
    await waitFor(() => expect(patches[0]).toEqual({ assignedTo: 'alice' }));
    await screen.findByText('Assigned to alice');

    const determination = screen.getByLabelText('Determination') as HTMLSelectElement;
    expect(determination.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Classification'), { target: { value: 'FalsePositive' } });
    expect([...determination.options].map((o) => o.value)).toEqual(['', 'Clean', 'InsufficientData', 'Other']);
    fireEvent.change(determination, { target: { value: 'Clean' } });
    fireEvent.change(screen.getByLabelText('Classification'), { target: { value: 'TruePositive' } });
    expect(determination.value).toBe('');
    fireEvent.change(determination, { target: { value: 'Malware' } });
    fireEvent.change(screen.getByLabelText('Status'), { target: { value: 'Resolved' } });
    fireEvent.change(screen.getByLabelText('Comment'), { target: { value: 'confirmed' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(patches[1]).toEqual({
        status: 'Resolved',
        classification: 'TruePositive',
        determination: 'Malware',
        comment: 'confirmed',
      }),
    );
    expect(await screen.findByText('confirmed')).toBeTruthy();
    expect(screen.getByText('True positive · Malware')).toBeTruthy();
  });

  it('shows an unknown alert as an error', async () => {
    const fake = fakeFetch({
      'GET /api/alerts/nope': () => ({ status: 404, body: { error: { code: 'ALERT_UNKNOWN', message: 'no alert' } } }),
    });
    renderSignedIn(<AlertPage id="nope" />, fake.fetch);
    expect((await screen.findByRole('alert')).textContent).toContain('ALERT_UNKNOWN');
  });
});
