// Deterministic hunting data for the `hunt` benchmark, generated inside DuckDB: every value is a function of the row
// number and the seed through DuckDB's hash(), so the same seed and size give the same rows on every run.

/** now() of every benchmark query; the data spans the 30 days before it. */
export const NOW = new Date('2026-11-29T00:00:00Z');
const NOW_SQL = "TIMESTAMP '2026-11-29 00:00:00'";
const DAYS = 30;

/** Share of the events per table. */
export const SPLIT = { DeviceProcessEvents: 0.5, DeviceNetworkEvents: 0.3, DeviceFileEvents: 0.2 };

const PROCESSES = [
  'cmd.exe',
  'powershell.exe',
  'svchost.exe',
  'explorer.exe',
  'chrome.exe',
  'rundll32.exe',
  'regsvr32.exe',
  'mshta.exe',
  'whoami.exe',
  'net.exe',
  'notepad.exe',
  'msedge.exe',
  'conhost.exe',
  'taskhostw.exe',
  'wmiprvse.exe',
  'outlook.exe',
];
const ARGS = [
  '-nop -w hidden -encodedcommand SQBFAFgA',
  '/c whoami /all',
  '/c net user admin /domain',
  '-ExecutionPolicy Bypass -File C:\\Users\\Public\\run.ps1',
  'C:\\Windows\\Temp\\payload.dll,Start',
  '--type=renderer --lang=en-US',
  '-k netsvcs -p',
  '/s /q C:\\Windows\\System32\\scrobj.dll',
  'https://update.example.com/check',
  '',
];
const ACCOUNTS = ['system', 'admin', 'alice', 'bob', 'carol', 'svc_backup', 'network service', 'local service'];
const URLS = [
  'www.bing.com',
  'login.microsoftonline.com',
  'evil-updates.example.net',
  'cdn.example.org',
  'api.github.com',
  'evilcorp.example.com',
  'telemetry.example.com',
  '',
];
const PORTS = [443, 443, 443, 80, 445, 3389, 53, 135, 5985, 8080];
const FOLDERS = [
  'C:\\Users\\alice\\Downloads\\',
  'C:\\Users\\bob\\AppData\\Local\\Temp\\',
  'C:\\Windows\\System32\\',
  'C:\\ProgramData\\',
  'C:\\Users\\Public\\',
  'D:\\Share\\',
];
const FILES = ['report.docx', 'invoice.pdf', 'run.ps1', 'update.exe', 'notes.txt', 'payload.dll', 'setup.msi', 'a.bat'];

const list = (items) => `[${items.map((s) => `'${s.replaceAll("'", "''")}'`).join(', ')}]`;
const pick = (items, salt, seed) =>
  `list_element(${list(items)}, CAST(hash(i, ${seed}, ${salt}) % ${items.length} AS INTEGER) + 1)`;
const num = (n, salt, seed) => `CAST(hash(i, ${seed}, ${salt}) % ${n} AS BIGINT)`;

/** Columns every table shares: a time in the last 30 days and one of `devices` devices, in runs of 1,000 rows. */
function common(seed, devices) {
  return [
    `${NOW_SQL} - to_seconds(${num(DAYS * 86400, 1, seed)}) - to_microseconds(${num(1_000_000, 2, seed)}) AS Timestamp`,
    `'dev-' || ((i // 1000) % ${devices}) AS DeviceId`,
    `'host-' || ((i // 1000) % ${devices}) AS DeviceName`,
    `${pick(ACCOUNTS, 3, seed)} AS InitiatingProcessAccountName`,
    `${pick(PROCESSES, 4, seed)} AS InitiatingProcessFileName`,
    // The parent is an earlier row of the same run of rows, so parent/child joins find pairs.
    `i - 1 - ${num(40, 5, seed)} AS InitiatingProcessId`,
    `i AS ReportId`,
  ];
}

/** The INSERT statements that fill the three tables with `events` rows in all. */
export function generateSql(events, seed = 1, devices = 1000) {
  const n = (t) => Math.round(events * SPLIT[t]);
  const process = `INSERT INTO DeviceProcessEvents BY NAME SELECT ${[
    ...common(seed, devices),
    'fn AS FileName',
    `concat(fn, ' ', ${pick(ARGS, 11, seed)}) AS ProcessCommandLine`,
    'i AS ProcessId',
    `${pick(ACCOUNTS, 12, seed)} AS AccountName`,
    `'ProcessCreated' AS ActionType`,
    `md5(CAST(${num(50_000, 13, seed)} AS VARCHAR))[1:40] AS SHA1`,
    `'C:\\Windows\\System32\\' || fn AS FolderPath`,
  ].join(', ')} FROM (SELECT i, ${pick(PROCESSES, 10, seed)} AS fn FROM range(${n('DeviceProcessEvents')}) AS t(i))`;
  const network = `INSERT INTO DeviceNetworkEvents BY NAME SELECT ${[
    ...common(seed + 1, devices),
    `CASE WHEN ${num(10, 20, seed)} < 8 THEN 'ConnectionSuccess' ELSE 'ConnectionFailed' END AS ActionType`,
    `'10.' || ${num(4, 21, seed)} || '.' || ${num(256, 22, seed)} || '.' || ${num(256, 23, seed)} AS RemoteIP`,
    `${pick(PORTS.map(String), 24, seed)}::INTEGER AS RemotePort`,
    `${pick(URLS, 25, seed)} AS RemoteUrl`,
    `'192.168.' || ((i // 1000) % 250) || '.' || ${num(250, 26, seed)} AS LocalIP`,
    `'Tcp' AS Protocol`,
  ].join(', ')} FROM range(${n('DeviceNetworkEvents')}) AS t(i)`;
  const file = `INSERT INTO DeviceFileEvents BY NAME SELECT ${[
    ...common(seed + 2, devices),
    `${pick(['FileCreated', 'FileCreated', 'FileModified', 'FileDeleted', 'FileRenamed'], 30, seed)} AS ActionType`,
    'fn AS FileName',
    `${pick(FOLDERS, 31, seed)} || fn AS FolderPath`,
    `md5(CAST(${num(50_000, 32, seed)} AS VARCHAR))[1:40] AS SHA1`,
    `${num(10_000_000, 33, seed)} AS FileSize`,
  ].join(', ')} FROM (SELECT i, ${pick(FILES, 34, seed)} AS fn FROM range(${n('DeviceFileEvents')}) AS t(i))`;
  return [process, network, file];
}
