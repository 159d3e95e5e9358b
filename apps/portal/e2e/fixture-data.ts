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
