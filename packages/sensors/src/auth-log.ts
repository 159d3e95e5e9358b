import type { LogonEvent } from './logon-event.js';

type Base = Pick<LogonEvent, 'timestamp' | 'program' | 'pid'>;
type Rule = (m: string, b: Base) => LogonEvent | undefined;

const ssh = (b: Base, ok: boolean, user: string, ip: string, port: string, extra: Record<string, unknown>) =>
  ({
    ...b,
    actionType: ok ? 'LogonSuccess' : 'LogonFailed',
    logonType: 'RemoteInteractive',
    accountName: user,
    remoteIp: ip,
    remotePort: Number(port),
    protocol: 'ssh',
    details: extra,
  }) satisfies LogonEvent;

const sshdRules: readonly Rule[] = [
  (m, b) => {
    const r = /^Accepted (\S+) for (\S+) from (\S+) port (\d+)/.exec(m);
    return r ? ssh(b, true, r[2] ?? '', r[3] ?? '', r[4] ?? '', { AuthMethod: r[1] }) : undefined;
  },
  (m, b) => {
    const r = /^Failed (\S+) for (invalid user )?(\S+) from (\S+) port (\d+)/.exec(m);
    if (!r) return undefined;
    const reason = r[2] ? 'InvalidUser' : r[1] === 'password' ? 'InvalidPassword' : 'AuthenticationFailed';
    return { ...ssh(b, false, r[3] ?? '', r[4] ?? '', r[5] ?? '', { AuthMethod: r[1] }), failureReason: reason };
  },
  (m, b) => {
    const r = /^Invalid user (\S*) from (\S+) port (\d+)/.exec(m);
    return r
      ? { ...ssh(b, false, r[1] ?? '', r[2] ?? '', r[3] ?? '', { Stage: 'preauth' }), failureReason: 'InvalidUser' }
      : undefined;
  },
];

const loginRules: readonly Rule[] = [
  (m, b) => {
    const r = /^pam_unix\(login:session\): session opened for user ([^(\s]+)/.exec(m);
    return r ? { ...b, actionType: 'LogonSuccess', logonType: 'Interactive', accountName: r[1] ?? '' } : undefined;
  },
  (m, b) => {
    const r = /^FAILED LOGIN \(\d+\) on '([^']*)' FOR '([^']*)', (.*)$/.exec(m);
    return r
      ? {
          ...b,
          actionType: 'LogonFailed',
          logonType: 'Interactive',
          accountName: r[2] ?? '',
          failureReason: r[3] ?? '',
          details: { Tty: r[1] },
        }
      : undefined;
  },
];

const suRules: readonly Rule[] = [
  (m, b) => {
    const r =
      /^pam_unix\(su(?:-l)?:session\): session opened for user ([^(\s]+)(?:\(uid=\d+\))? by (\S*?)(?:\(uid=(\d+)\))?$/.exec(
        m,
      );
    return r
      ? {
          ...b,
          actionType: 'LogonSuccess',
          logonType: 'Interactive',
          accountName: r[1] ?? '',
          details: { By: r[2], ByUid: r[3] !== undefined ? Number(r[3]) : undefined },
        }
      : undefined;
  },
  (m, b) => {
    const r = /^FAILED SU \(to (\S+)\) (\S+) on (\S+)/.exec(m);
    return r
      ? {
          ...b,
          actionType: 'LogonFailed',
          logonType: 'Interactive',
          accountName: r[1] ?? '',
          failureReason: 'AuthenticationFailed',
          details: { By: r[2], Tty: r[3] },
        }
      : undefined;
  },
];

const sudoRules: readonly Rule[] = [
  (m, b) => {
    const r =
      /^\s*(\S+) : (?:(\d+) incorrect password attempts? ; )?TTY=(\S+) ; PWD=(.*?) ; USER=(\S+) ; COMMAND=(.*)$/.exec(
        m,
      );
    if (!r) return undefined;
    const failed = r[2] !== undefined;
    return {
      ...b,
      actionType: failed ? 'LogonFailed' : 'LogonSuccess',
      logonType: 'Interactive',
      accountName: r[5] ?? '',
      ...(failed ? { failureReason: 'InvalidPassword' } : {}),
      details: { By: r[1], Tty: r[3], Pwd: r[4], Command: r[6], ...(failed ? { Attempts: Number(r[2]) } : {}) },
    };
  },
];

const rulesByProgram: Readonly<Record<string, readonly Rule[]>> = {
  sshd: sshdRules,
  'sshd-session': sshdRules,
  login: loginRules,
  su: suRules,
  sudo: sudoRules,
};

/** Turns one message of sshd, login, su or sudo into a sign-in, when it records one. */
export function parseAuthMessage(program: string, message: string, base: Base): LogonEvent | undefined {
  const rules = rulesByProgram[program];
  if (!rules) return undefined;
  for (const rule of rules) {
    const e = rule(message, { ...base, program: program === 'sshd-session' ? 'sshd' : program });
    if (e) return e;
  }
  return undefined;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function syslogTime(stamp: string, now: Date): string | undefined {
  if (/^\d{4}-\d\d-\d\dT/.test(stamp)) {
    const d = new Date(stamp);
    return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
  }
  const r = /^(\w{3})\s+(\d+) (\d\d):(\d\d):(\d\d)$/.exec(stamp);
  const month = MONTHS.indexOf(r?.[1] ?? '');
  if (!r || month < 0) return undefined;
  // Traditional syslog stamps have no year or zone: the year is this one (last year for a date in the future).
  let year = now.getUTCFullYear();
  const at = (y: number) => Date.UTC(y, month, Number(r[2]), Number(r[3]), Number(r[4]), Number(r[5]));
  if (at(year) > now.getTime() + 86_400_000) year--;
  return new Date(at(year)).toISOString();
}

/** Parses one line of /var/log/auth.log (traditional or RFC 3339 time stamps). */
export function parseAuthLogLine(line: string, now = new Date()): LogonEvent | undefined {
  const r = /^(\w{3}\s+\d+ \d\d:\d\d:\d\d|\d{4}-\d\d-\d\dT\S+) (\S+) ([^[:\s]+)(?:\[(\d+)\])?: (.*)$/.exec(line);
  if (!r) return undefined;
  const timestamp = syslogTime(r[1] ?? '', now);
  if (!timestamp) return undefined;
  const program = r[3] ?? '';
  return parseAuthMessage(program, r[5] ?? '', {
    timestamp,
    program,
    ...(r[4] !== undefined ? { pid: Number(r[4]) } : {}),
  });
}

/** Parses one entry of `journalctl -o json`. */
export function parseJournalEntry(line: string): LogonEvent | undefined {
  let e: Record<string, unknown>;
  try {
    e = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const program = typeof e.SYSLOG_IDENTIFIER === 'string' ? e.SYSLOG_IDENTIFIER : '';
  const message = typeof e.MESSAGE === 'string' ? e.MESSAGE : '';
  const micros = typeof e.__REALTIME_TIMESTAMP === 'string' ? Number(e.__REALTIME_TIMESTAMP) : Number.NaN;
  if (!program || !message || !Number.isFinite(micros)) return undefined;
  const pid = typeof e._PID === 'string' ? Number(e._PID) : undefined;
  return parseAuthMessage(program, message, {
    timestamp: new Date(micros / 1000).toISOString(),
    program,
    ...(pid !== undefined && Number.isFinite(pid) ? { pid } : {}),
  });
}
