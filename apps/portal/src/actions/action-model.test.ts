import { describe, expect, it } from 'vitest';
import { cancellable, isolationOf, liveResponseOf, statusClass } from './action-model';

describe('action model', () => {
  it.each([
    ['Isolated', 'Isolated', 'unisolate'],
    ['NotIsolated', 'Not isolated', 'isolate'],
    [undefined, 'Not isolated', 'isolate'],
    ['IsolationPending', 'Isolation pending', null],
    ['ReleasePending', 'Release pending', null],
  ])('isolation %s', (state, label, next) => {
    expect(isolationOf(state)).toEqual({ label, next });
  });

  it('cancels only pending actions and colours states', () => {
    expect(cancellable({ status: 'Pending' })).toBe(true);
    expect(cancellable({ status: 'InProgress' })).toBe(false);
    expect(statusClass('TimeOut')).toBe('badge st-failed');
    expect(statusClass('Succeeded')).toBe('badge ok');
  });

  it('builds live-response commands and names the first problem', () => {
    expect(
      liveResponseOf([
        { type: 'Processes', value: 'ignored' },
        { type: 'Dir', value: ' /etc ' },
        { type: 'FindFile', value: 'sshd_config' },
      ]),
    ).toEqual({
      ok: true,
      commands: [
        { type: 'Processes', params: [] },
        { type: 'Dir', params: [{ key: 'Path', value: '/etc' }] },
        { type: 'FindFile', params: [{ key: 'Name', value: 'sshd_config' }] },
      ],
    });
    expect(liveResponseOf([])).toEqual({ ok: false, problem: 'Add at least one command.' });
    expect(liveResponseOf([{ type: 'GetFile', value: '' }])).toEqual({
      ok: false,
      problem: 'Command 1 (GetFile) needs a Path.',
    });
    expect(
      liveResponseOf([
        { type: 'Users', value: '' },
        { type: 'Dir', value: 'etc' },
      ]),
    ).toEqual({
      ok: false,
      problem: 'Command 2 (Dir): the path must be absolute (/…).',
    });
  });
});
