import { describe, expect, it } from 'vitest';
import { encodeUtmp, loggedOnUsers, parseUtmp, UTMP_RECORD_SIZE, utmpLogon, utmpTypes } from './utmp.js';

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

describe('utmp records', () => {
  const file = concat([
    encodeUtmp({ type: utmpTypes.BOOT_TIME, user: 'reboot', line: '~', time: '2026-11-29T08:00:00.000Z' }),
    encodeUtmp({
      type: utmpTypes.USER_PROCESS,
      pid: 1234,
      line: 'pts/0',
      id: 'ts/0',
      user: 'alice',
      host: '203.0.113.7',
      addr: '203.0.113.7',
      session: 5,
      time: '2026-11-29T09:00:01.250Z',
    }),
    encodeUtmp({ type: utmpTypes.USER_PROCESS, pid: 99, line: 'tty1', user: 'root', time: '2026-11-29T09:30:00.000Z' }),
    encodeUtmp({ type: utmpTypes.DEAD_PROCESS, pid: 1234, line: 'pts/0', time: '2026-11-29T10:00:00.000Z' }),
    new Uint8Array(100),
  ]);

  it('decodes every whole record and ignores a partial one', () => {
    const records = parseUtmp(file);
    expect(records).toHaveLength(4);
    expect(file.length).toBe(4 * UTMP_RECORD_SIZE + 100);
    expect(records[1]).toEqual({
      type: 7,
      pid: 1234,
      line: 'pts/0',
      id: 'ts/0',
      user: 'alice',
      host: '203.0.113.7',
      session: 5,
      time: '2026-11-29T09:00:01.250Z',
      addr: '203.0.113.7',
    });
  });

  it('turns login records into sign-ins', () => {
    const [boot, remote, local, dead] = parseUtmp(file);
    expect(utmpLogon(boot as never, false)).toBeUndefined();
    expect(utmpLogon(dead as never, false)).toBeUndefined();
    expect(utmpLogon(remote as never, false)).toMatchObject({
      actionType: 'LogonSuccess',
      logonType: 'RemoteInteractive',
      accountName: 'alice',
      remoteIp: '203.0.113.7',
      pid: 1234,
    });
    expect(utmpLogon(local as never, true)).toMatchObject({ actionType: 'LogonFailed', logonType: 'Interactive' });
    expect(loggedOnUsers(parseUtmp(file))).toEqual([
      { UserName: 'alice', DomainName: '', Sid: '' },
      { UserName: 'root', DomainName: '', Sid: '' },
    ]);
  });
});
