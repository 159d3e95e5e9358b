import { describe, expect, it } from 'vitest';
import { parseAuthLogLine, parseJournalEntry } from './auth-log.js';
import { logonRow, remoteIpType } from './logon-event.js';

const now = new Date('2026-11-29T12:00:00Z');

describe('auth.log lines', () => {
  it.each([
    [
      'Nov 29 10:01:02 web1 sshd[812]: Accepted publickey for alice from 203.0.113.7 port 51234 ssh2: ED25519 SHA256:abc',
      {
        timestamp: '2026-11-29T10:01:02.000Z',
        actionType: 'LogonSuccess',
        logonType: 'RemoteInteractive',
        accountName: 'alice',
        program: 'sshd',
        pid: 812,
        remoteIp: '203.0.113.7',
        remotePort: 51234,
        protocol: 'ssh',
      },
    ],
    [
      '2026-11-29T10:02:03.123456+00:00 web1 sshd[813]: Failed password for invalid user admin from 10.1.2.3 port 40000 ssh2',
      {
        actionType: 'LogonFailed',
        accountName: 'admin',
        remoteIp: '10.1.2.3',
        failureReason: 'InvalidUser',
        timestamp: '2026-11-29T10:02:03.123Z',
      },
    ],
    [
      'Nov 29 10:03:00 web1 sshd[814]: Failed password for root from 198.51.100.2 port 2222 ssh2',
      { actionType: 'LogonFailed', accountName: 'root', failureReason: 'InvalidPassword', remotePort: 2222 },
    ],
    [
      'Nov 29 10:03:01 web1 sshd[815]: Invalid user oracle from 198.51.100.9 port 3333',
      { actionType: 'LogonFailed', accountName: 'oracle', failureReason: 'InvalidUser' },
    ],
    [
      'Nov 29 10:04:00 web1 login[900]: pam_unix(login:session): session opened for user root(uid=0) by LOGIN(uid=0)',
      { actionType: 'LogonSuccess', logonType: 'Interactive', accountName: 'root', program: 'login' },
    ],
    [
      "Nov 29 10:04:30 web1 login[901]: FAILED LOGIN (1) on '/dev/tty1' FOR 'bob', Authentication failure",
      {
        actionType: 'LogonFailed',
        logonType: 'Interactive',
        accountName: 'bob',
        failureReason: 'Authentication failure',
      },
    ],
    [
      'Nov 29 10:05:00 web1 su[950]: pam_unix(su:session): session opened for user root(uid=0) by alice(uid=1000)',
      { actionType: 'LogonSuccess', accountName: 'root', program: 'su', details: { By: 'alice', ByUid: 1000 } },
    ],
    [
      'Nov 29 10:05:10 web1 su[951]: FAILED SU (to root) alice on pts/0',
      { actionType: 'LogonFailed', accountName: 'root', program: 'su' },
    ],
    [
      'Nov 29 10:06:00 web1 sudo[960]:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/id',
      {
        actionType: 'LogonSuccess',
        accountName: 'root',
        program: 'sudo',
        details: { By: 'alice', Command: '/usr/bin/id' },
      },
    ],
    [
      'Nov 29 10:06:30 web1 sudo[961]:    alice : 3 incorrect password attempts ; TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/id',
      { actionType: 'LogonFailed', accountName: 'root', failureReason: 'InvalidPassword' },
    ],
  ])('%s', (line, expected) => {
    expect(parseAuthLogLine(line, now)).toMatchObject(expected);
  });

  it.each([
    'Nov 29 10:00:00 web1 sshd[1]: Received disconnect from 1.2.3.4 port 5: 11: bye',
    'Nov 29 10:00:00 web1 cron[2]: pam_unix(cron:session): session opened for user root',
    'garbage',
  ])('ignores %s', (line) => {
    expect(parseAuthLogLine(line, now)).toBeUndefined();
  });

  it('puts a traditional time stamp from the future into last year', () => {
    expect(
      parseAuthLogLine('Dec 31 23:00:00 h sudo[1]: a : TTY=x ; PWD=/ ; USER=root ; COMMAND=/bin/ls', now)?.timestamp,
    ).toBe('2025-12-31T23:00:00.000Z');
  });
});

describe('journal entries', () => {
  it('reads sshd entries of journalctl -o json', () => {
    const entry = JSON.stringify({
      __REALTIME_TIMESTAMP: '1795945200123456',
      SYSLOG_IDENTIFIER: 'sshd',
      _PID: '4242',
      MESSAGE: 'Accepted password for bob from 192.168.1.20 port 60000 ssh2',
    });
    expect(parseJournalEntry(entry)).toMatchObject({
      timestamp: new Date(1795945200123).toISOString(),
      actionType: 'LogonSuccess',
      accountName: 'bob',
      pid: 4242,
      remoteIp: '192.168.1.20',
    });
    expect(parseJournalEntry('{"MESSAGE":"x"}')).toBeUndefined();
    expect(parseJournalEntry('not json')).toBeUndefined();
  });
});

describe('DeviceLogonEvents rows', () => {
  it('classifies remote addresses and fills the row', () => {
    expect(
      ['127.0.0.1', '10.0.0.1', '172.20.1.1', '8.8.8.8', '::1', 'fe80::1', '169.254.1.1'].map(remoteIpType),
    ).toEqual(['Loopback', 'Private', 'Private', 'Public', 'Loopback', 'LinkLocal', 'LinkLocal']);
    const e = parseAuthLogLine(
      'Nov 29 10:01:02 web1 sshd[812]: Accepted password for root from 8.8.8.8 port 1 ssh2',
      now,
    );
    const row = logonRow(e as NonNullable<typeof e>, 'auth.log');
    expect(row).toMatchObject({
      Table: 'DeviceLogonEvents',
      ActionType: 'LogonSuccess',
      LogonType: 'RemoteInteractive',
      AccountName: 'root',
      RemoteIP: '8.8.8.8',
      RemoteIPType: 'Public',
      RemotePort: 1,
      IsLocalAdmin: true,
      InitiatingProcessFileName: 'sshd',
      InitiatingProcessId: 812,
    });
  });
});
