import { describe, expect, it } from 'vitest';
import { sampleAlert } from '../test-support/render-signed-in';
import { alertProcesses, buildProcessTree, processTreeQuery, treesLeadingToAlert } from './process-tree';

const row = (pid: number, ppid: number, file: string, at: string, extra: Record<string, unknown> = {}) => ({
  Timestamp: at,
  ProcessId: pid,
  FileName: file,
  ProcessCommandLine: `${file} -x`,
  InitiatingProcessId: ppid,
  InitiatingProcessFileName: `parent-of-${file}`,
  ...extra,
});

describe('process tree', () => {
  it('nests children under parents, makes parents known only from their children, highlights the alert', () => {
    const roots = buildProcessTree(
      [
        row(20, 10, 'bash', '2026-11-28T10:00:00Z'),
        row(30, 20, 'evil', '2026-11-28T10:01:00Z'),
        row(31, 20, 'ls', '2026-11-28T10:02:00Z'),
        row(99, 1, 'cron', '2026-11-28T09:00:00Z'),
      ],
      [{ processId: 30 }],
    );
    expect(roots.map((r) => r.fileName)).toEqual(['parent-of-cron', 'parent-of-bash']);
    const sshd = roots[1]!;
    expect(sshd.processId).toBe(10);
    expect(sshd.children.map((c) => c.fileName)).toEqual(['bash']);
    expect(sshd.children[0]!.children.map((c) => [c.fileName, c.highlighted])).toEqual([
      ['evil', true],
      ['ls', false],
    ]);
    expect(treesLeadingToAlert(roots)).toEqual([sshd]);
  });

  it('tells reused process ids apart by creation time', () => {
    const roots = buildProcessTree([
      row(20, 1, 'bash', '2026-11-28T10:00:00Z', { ProcessCreationTime: '2026-11-28T10:00:00Z' }),
      row(20, 1, 'python3', '2026-11-28T10:30:00Z', { ProcessCreationTime: '2026-11-28T10:30:00Z' }),
      row(40, 20, 'curl', '2026-11-28T10:31:00Z', {
        ProcessCreationTime: '2026-11-28T10:31:00Z',
        InitiatingProcessCreationTime: '2026-11-28T10:30:00Z',
      }),
      row(41, 20, 'id', '2026-11-28T10:10:00Z', { ProcessCreationTime: '2026-11-28T10:10:00Z' }),
    ]);
    const init = roots[0]!;
    expect(init.children.map((c) => c.fileName)).toEqual(['bash', 'python3']);
    expect(init.children[0]!.children.map((c) => c.fileName)).toEqual(['id']);
    expect(init.children[1]!.children.map((c) => c.fileName)).toEqual(['curl']);
  });

  it('queries the device one hour either side of the first event, and reads the alert processes', () => {
    const q = processTreeQuery('dev"1', '2026-11-28T10:00:00.000Z');
    expect(q).toContain('DeviceId == "dev\\"1"');
    expect(q).toContain('datetime(2026-11-28T09:00:00.000Z)');
    expect(q).toContain('datetime(2026-11-28T11:00:00.000Z)');
    expect(alertProcesses(sampleAlert())).toEqual([{ processId: 30 }]);
  });
});
