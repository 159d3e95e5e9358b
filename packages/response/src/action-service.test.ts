import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@vigil/base';
import { DuckdbStateStore } from '@vigil/storage-duckdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseActionRequest } from './action-request.js';
import { ActionService } from './action-service.js';
import { AuditLog } from './audit-log.js';
import { CommandKeys } from './command-keys.js';

describe('ActionService', () => {
  let state: DuckdbStateStore;
  let actions: ActionService;
  const clock = new ManualClock(new Date('2026-11-01T10:00:00Z'));
  const host = { id: 'dev-1', name: 'web-01' };

  beforeAll(async () => {
    state = await DuckdbStateStore.open(join(mkdtempSync(join(tmpdir(), 'vigil-resp-')), 'state.duckdb'));
    const keys = await CommandKeys.open(state);
    expect((await CommandKeys.open(state)).publicKeyPem).toBe(keys.publicKeyPem);
    actions = new ActionService('default', state, keys, new AuditLog(state, clock), clock, 3_600_000);
  });
  afterAll(() => state.close());

  it('times out a Pending action at its expiry and an InProgress one that goes silent', async () => {
    const pending = await actions.create(host, parseActionRequest('Isolate', { Comment: 'c' }), 'ana', 'API');
    const running = await actions.create(
      host,
      parseActionRequest('KillProcess', { Comment: 'c', ProcessId: 4242, ProcessCreationTime: '2026-11-01T09:00:00Z' }),
      'ana',
      'API',
    );
    expect(running.title).toBe('Kill process 4242 on web-01');
    await actions.report('dev-1', running.id, { status: 'InProgress' });
    clock.advance(11 * 60_000);
    expect((await actions.get(running.id))?.status).toBe('TimeOut');
    expect((await actions.get(pending.id))?.status).toBe('Pending');
    expect((await actions.pendingFor('dev-1')).length).toBe(1);
    clock.advance(50 * 60_000);
    const timedOut = await actions.get(pending.id);
    expect(timedOut?.status).toBe('TimeOut');
    expect(timedOut?.history.at(-1)).toMatchObject({ status: 'TimeOut', by: 'system' });
    expect(await actions.pendingFor('dev-1')).toEqual([]);
    expect(await actions.isolationState('dev-1')).toBe('NotIsolated');
    await expect(actions.report('dev-1', pending.id, { status: 'Succeeded' })).rejects.toThrow(/TimeOut/);
  });

  it('merges live-response results into the commands, one by one', async () => {
    const lr = await actions.create(
      host,
      parseActionRequest('LiveResponse', {
        Comment: 'c',
        Commands: [
          { type: 'Dir', params: [{ key: 'Path', value: '/tmp' }] },
          { type: 'GetFile', params: [{ key: 'Path', value: '/etc/hostname' }] },
        ],
      }),
      'ana',
      'Portal',
    );
    await actions.report('dev-1', lr.id, { status: 'InProgress' });
    const done = await actions.report('dev-1', lr.id, {
      status: 'Failed',
      errorMessage: 'a live-response command failed',
      commands: [
        { index: 0, commandStatus: 'Completed', errors: [], output: { entries: [] } },
        { index: 1, commandStatus: 'Failed', errors: ['ENOENT'] },
      ],
    });
    expect(done.commands?.map((c) => c.commandStatus)).toEqual(['Completed', 'Failed']);
    expect(done.commands?.[1]?.errors).toEqual(['ENOENT']);
    expect(done.errorMessage).toContain('failed');
  });
});
