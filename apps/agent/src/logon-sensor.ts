import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import {
  type LogonEvent,
  logonRow,
  parseAuthLogLine,
  parseJournalEntry,
  parseUtmp,
  UTMP_RECORD_SIZE,
  utmpLogon,
} from '@vigil/sensors';
import { FileTail, lineSplitter } from './file-tail.js';
import type { Telemetry } from './telemetry.js';

/** Where the logon sensor reads from (defaults are the system's files). */
export interface LogonSources {
  readonly authLog?: string;
  readonly wtmp?: string;
  readonly btmp?: string;
  /** Use `journalctl -f` when the journal runs (default true). */
  readonly journal?: boolean;
  /** Read the files from their start instead of their end (tests). */
  readonly fromStart?: boolean;
}

const PROGRAMS = ['sshd', 'sshd-session', 'login', 'su', 'sudo'];

/** True when journald runs and journalctl can follow it. */
export function journalUsable(): boolean {
  return (
    existsSync('/run/systemd/journal/socket') &&
    spawnSync('journalctl', ['-n', '0', '-q'], { stdio: 'ignore' }).status === 0
  );
}

/** Sign-ins (sshd, login, su, sudo) from the journal or the auth log, and from wtmp/btmp when neither is there. */
export class LogonSensor {
  private journal: ChildProcess | undefined;
  private readonly tails: FileTail[] = [];
  /** Which sources are read, for the agent's log and DeviceInfo. */
  readonly using: string[] = [];
  events = 0;

  constructor(
    private readonly telemetry: Telemetry,
    private readonly sources: LogonSources,
  ) {}

  private emit(e: LogonEvent | undefined, source: string): void {
    if (!e) return;
    this.events++;
    this.telemetry.emit([logonRow({ ...e, timestamp: this.telemetry.corrected(e.timestamp) }, source)]);
  }

  start(): void {
    const authLog = this.sources.authLog ?? '/var/log/auth.log';
    if (this.sources.journal !== false && journalUsable()) {
      const args = [
        '-f',
        '-o',
        'json',
        '-n',
        '0',
        ...PROGRAMS.flatMap((p, i) => [...(i ? ['+'] : []), `SYSLOG_IDENTIFIER=${p}`]),
      ];
      this.journal = spawn('journalctl', args, { stdio: ['ignore', 'pipe', 'ignore'] });
      createInterface({ input: this.journal.stdout as NodeJS.ReadableStream }).on('line', (l) =>
        this.emit(parseJournalEntry(l), 'journal'),
      );
      this.using.push('journal');
    } else if (existsSync(authLog)) {
      this.tails.push(
        new FileTail(
          authLog,
          lineSplitter((l) => this.emit(parseAuthLogLine(l), 'auth.log')),
          {
            fromStart: this.sources.fromStart ?? false,
          },
        ),
      );
      this.using.push(`auth.log:${authLog}`);
    }
    // wtmp/btmp repeat what the logs say; they are the source only when no log is readable.
    if (this.using.length === 0) {
      for (const [file, failed] of [
        [this.sources.wtmp ?? '/var/log/wtmp', false],
        [this.sources.btmp ?? '/var/log/btmp', true],
      ] as const) {
        if (!existsSync(file)) continue;
        let carry = Buffer.alloc(0);
        this.tails.push(
          new FileTail(
            file,
            (chunk) => {
              const all = Buffer.concat([carry, chunk]);
              const whole = all.length - (all.length % UTMP_RECORD_SIZE);
              carry = all.subarray(whole);
              for (const r of parseUtmp(all.subarray(0, whole)))
                this.emit(utmpLogon(r, failed), failed ? 'btmp' : 'wtmp');
            },
            { fromStart: this.sources.fromStart ?? false, recordSize: UTMP_RECORD_SIZE },
          ),
        );
        this.using.push(failed ? 'btmp' : 'wtmp');
      }
    }
  }

  /** Reads what is pending now (tests). */
  poll(): void {
    for (const t of this.tails) t.poll();
  }

  stop(): void {
    this.journal?.kill('SIGTERM');
    for (const t of this.tails) t.stop();
  }
}

/** Users with a live session in utmp. */
export function readUtmpUsers(path = '/run/utmp'): ReturnType<typeof parseUtmp> {
  try {
    return parseUtmp(readFileSync(path));
  } catch {
    return [];
  }
}
