// Deterministic DeviceProcessEvents rows for benchmarks: a fleet of Windows and Linux devices starting realistic
// binaries with realistic command lines, spread over seven days. The same seed always gives the same rows.
import { createHash } from 'node:crypto';
import { Random } from './rng.mjs';

/** The first event time of generated data (fixed, so that runs are comparable). */
export const EVENTS_START_MS = Date.UTC(2026, 0, 5);
/** The span of generated event times. */
export const EVENTS_SPAN_MS = 7 * 86_400_000;

const MS = 'Microsoft Corporation';
const WINDOWS = 'Microsoft® Windows® Operating System';
const DOMAIN = 'CONTOSO';
const DOMAIN_SID = 'S-1-5-21-3623811015-3361044348-30300820';

const SYSTEM_ACCOUNTS = [
  { domain: 'nt authority', name: 'system', sid: 'S-1-5-18', logonId: 999 },
  { domain: 'nt authority', name: 'local service', sid: 'S-1-5-19', logonId: 997 },
  { domain: 'nt authority', name: 'network service', sid: 'S-1-5-20', logonId: 996 },
];

const FIRST = ['anna', 'ben', 'carla', 'david', 'emma', 'felix', 'grace', 'hugo', 'iris', 'jonas', 'kate', 'liam'];
const LAST = ['meyer', 'novak', 'okafor', 'patel', 'quinn', 'rossi', 'schmidt', 'tanaka', 'ueda', 'varga', 'weber'];
const HOSTS = ['api.contoso.com', 'cdn.contoso.net', 'updates.example.org', 'storage.internal.contoso.com'];
const SERVICES = ['nginx', 'postgresql', 'docker', 'cron', 'rsyslog', 'node-exporter', 'app-worker'];
const WIN_SERVICES = ['Schedule', 'BITS', 'wuauserv', 'Winmgmt', 'gpsvc', 'Dnscache', 'CryptSvc', 'LanmanServer'];
const SVC_GROUPS = ['netsvcs', 'LocalServiceNetworkRestricted', 'DcomLaunch', 'RPCSS', 'UnistackSvcGroup', 'wusvcs'];
const DOC_EXT = ['docx', 'xlsx', 'pdf', 'pptx', 'txt', 'csv'];
const LINUX_CMDS = [
  (r) => `ls -la /var/log/${r.pick(['nginx', 'apt', 'journal', 'app'])}`,
  (r) => `cat /proc/${r.int(1, 40000)}/status`,
  (r) => `grep -c ERROR /var/log/app/app-${r.int(1, 30)}.log`,
  (r) => `tar czf /backup/etc-${r.int(1, 999)}.tgz /etc`,
  (r) => `find /tmp -mtime +${r.int(1, 9)} -delete`,
  () => 'ps -eo pid,ppid,cmd --sort=-%cpu',
  () => 'df -h /',
];

// A binary: its file name, folder, version info (Windows), how its command lines look, how often it starts
// (weight; 0 = only ever a parent), who runs it and what usually starts it.
function bin(os, fileName, folder, weight, args, extra = {}) {
  return { os, fileName, folder, weight, args, run: 'user', parents: undefined, ...extra };
}

const q = (s) => `"${s}"`;

const BINARIES = [
  bin(
    'windows',
    'svchost.exe',
    'C:\\Windows\\System32',
    8,
    (r) => {
      return `svchost.exe -k ${r.pick(SVC_GROUPS)} -p -s ${r.pick(WIN_SERVICES)}`;
    },
    { run: 'system', parents: ['services.exe'], description: 'Host Process for Windows Services' },
  ),
  bin(
    'windows',
    'conhost.exe',
    'C:\\Windows\\System32',
    5,
    () => '\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1',
    {
      run: 'inherit',
      parents: ['cmd.exe', 'powershell.exe'],
      description: 'Console Window Host',
    },
  ),
  bin(
    'windows',
    'cmd.exe',
    'C:\\Windows\\System32',
    6,
    (r, u) =>
      r.pick([
        () => `cmd.exe /c "dir /s C:\\Users\\${u}\\Documents\\*.${r.pick(DOC_EXT)}"`,
        () => `cmd.exe /c "C:\\ProgramData\\Scripts\\job-${r.int(1, 400)}.bat" ${r.word(6)}`,
        () => 'cmd.exe /c ipconfig /all',
        () => `cmd.exe /c echo ${r.word(12)} > \\\\.\\pipe\\${r.word(10)}`,
        () => `"C:\\Windows\\system32\\cmd.exe" /d /s /c "npm run build --workspace packages/${r.word(5)}"`,
      ])(),
    {
      run: 'either',
      parents: ['explorer.exe', 'svchost.exe', 'powershell.exe'],
      description: 'Windows Command Processor',
    },
  ),
  bin(
    'windows',
    'powershell.exe',
    'C:\\Windows\\System32\\WindowsPowerShell\\v1.0',
    5,
    (r) =>
      r.pick([
        () =>
          `powershell.exe -NoProfile -ExecutionPolicy Bypass -File "C:\\ProgramData\\Scripts\\task-${r.int(1, 300)}.ps1"`,
        () =>
          `powershell.exe -Command "Get-Process | Sort-Object CPU -Descending | Select-Object -First ${r.int(3, 50)}"`,
        () =>
          `powershell.exe -NonInteractive -Command "Get-ChildItem -Path C:\\Temp -Recurse | Where-Object { $_.Length -gt ${r.int(1, 9999)}kb }"`,
        () => `powershell.exe -NoLogo -EncodedCommand ${Buffer.from(r.word(r.int(30, 120))).toString('base64')}`,
      ])(),
    { run: 'either', parents: ['explorer.exe', 'cmd.exe', 'svchost.exe'], description: 'Windows PowerShell' },
  ),
  bin(
    'windows',
    'rundll32.exe',
    'C:\\Windows\\System32',
    2,
    (r, u) =>
      r.pick([
        () => 'rundll32.exe C:\\Windows\\System32\\shell32.dll,Control_RunDLL',
        () => `rundll32.exe C:\\Windows\\system32\\PcaSvc.dll,PcaPatchSdbTask`,
        () => `rundll32.exe C:\\Users\\${u}\\AppData\\Local\\Temp\\${r.word(8)}.dll,DllRegisterServer`,
      ])(),
    { run: 'either', description: 'Windows host process (Rundll32)' },
  ),
  bin(
    'windows',
    'chrome.exe',
    'C:\\Program Files\\Google\\Chrome\\Application',
    10,
    (r) => {
      const exe = q('C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe');
      return `${exe} --type=${r.pick(['renderer', 'utility', 'gpu-process'])} --lang=en-US --renderer-client-id=${r.int(4, 900)} --field-trial-handle=${r.int(1000, 9999)},i,${r.hex(16)},${r.hex(16)},262144 --launch-time-ticks=${r.int(1e8, 9e9)} --mojo-platform-channel-handle=${r.int(1000, 9999)} /prefetch:${r.int(1, 8)}`;
    },
    { company: 'Google LLC', product: 'Google Chrome', description: 'Google Chrome', parents: ['chrome.exe'] },
  ),
  bin(
    'windows',
    'msedge.exe',
    'C:\\Program Files (x86)\\Microsoft\\Edge\\Application',
    6,
    (r) => {
      const exe = q('C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe');
      return `${exe} --type=renderer --instant-process --lang=en-US --js-flags=--ms-user-locale= --renderer-client-id=${r.int(4, 900)} --time-ticks-at-unix-epoch=-${r.int(1e15, 9e15)} --launch-time-ticks=${r.int(1e8, 9e9)} /prefetch:${r.int(1, 8)}`;
    },
    { company: MS, product: 'Microsoft Edge', description: 'Microsoft Edge', parents: ['msedge.exe', 'explorer.exe'] },
  ),
  bin(
    'windows',
    'WINWORD.EXE',
    'C:\\Program Files\\Microsoft Office\\root\\Office16',
    2,
    (r, u) => {
      return `${q('C:\\Program Files\\Microsoft Office\\Root\\Office16\\WINWORD.EXE')} /n "C:\\Users\\${u}\\Documents\\${r.word(10)}.docx" /o ""`;
    },
    {
      company: MS,
      product: 'Microsoft Office',
      description: 'Microsoft Word',
      parents: ['explorer.exe', 'OUTLOOK.EXE'],
    },
  ),
  bin(
    'windows',
    'EXCEL.EXE',
    'C:\\Program Files\\Microsoft Office\\root\\Office16',
    2,
    (r, u) => {
      return `${q('C:\\Program Files\\Microsoft Office\\Root\\Office16\\EXCEL.EXE')} "C:\\Users\\${u}\\Documents\\${r.word(9)}.xlsx"`;
    },
    {
      company: MS,
      product: 'Microsoft Office',
      description: 'Microsoft Excel',
      parents: ['explorer.exe', 'OUTLOOK.EXE'],
    },
  ),
  bin(
    'windows',
    'OUTLOOK.EXE',
    'C:\\Program Files\\Microsoft Office\\root\\Office16',
    1,
    () => {
      return `${q('C:\\Program Files\\Microsoft Office\\Root\\Office16\\OUTLOOK.EXE')} /recycle`;
    },
    { company: MS, product: 'Microsoft Office', description: 'Microsoft Outlook', parents: ['explorer.exe'] },
  ),
  bin(
    'windows',
    'ms-teams.exe',
    'C:\\Program Files\\WindowsApps\\MSTeams_24295.605.3225.8804_x64__8wekyb3d8bbwe',
    3,
    (r) => {
      return `"ms-teams.exe" msteams:system-initiated --rid=${r.int(1, 99)}`;
    },
    {
      company: MS,
      product: 'Microsoft Teams',
      description: 'Microsoft Teams',
      parents: ['explorer.exe', 'svchost.exe'],
    },
  ),
  bin(
    'windows',
    'git.exe',
    'C:\\Program Files\\Git\\cmd',
    3,
    (r) => {
      return `git.exe ${r.pick(['status --porcelain', 'fetch --all --prune', 'log -n 20 --oneline', 'pull --rebase', 'diff --stat HEAD~1'])}`;
    },
    {
      company: 'The Git Development Community',
      product: 'Git',
      description: 'Git for Windows',
      parents: ['cmd.exe', 'powershell.exe', 'Code.exe'],
    },
  ),
  bin(
    'windows',
    'Code.exe',
    'C:\\Users\\Public\\AppData\\Local\\Programs\\Microsoft VS Code',
    2,
    (r) => {
      return `"Code.exe" --type=utility --utility-sub-type=node.mojom.NodeService --lang=en-US --service-sandbox-type=none --field-trial-handle=${r.int(1000, 9999)},i,${r.hex(16)} /prefetch:${r.int(1, 8)}`;
    },
    {
      company: MS,
      product: 'Visual Studio Code',
      description: 'Visual Studio Code',
      parents: ['explorer.exe', 'Code.exe'],
    },
  ),
  bin(
    'windows',
    'node.exe',
    'C:\\Program Files\\nodejs',
    2,
    (r, u) => {
      return `"C:\\Program Files\\nodejs\\node.exe" C:\\Users\\${u}\\src\\${r.word(6)}\\node_modules\\${r.pick(['vitest', 'typescript', 'esbuild', 'vite'])}\\bin\\cli.js ${r.pick(['run', 'build', '--watch', '-b'])}`;
    },
    {
      company: 'Node.js',
      product: 'Node.js',
      description: 'Node.js JavaScript Runtime',
      parents: ['cmd.exe', 'Code.exe'],
    },
  ),
  bin(
    'windows',
    'msiexec.exe',
    'C:\\Windows\\System32',
    1,
    (r, u) =>
      r.pick([
        () => 'C:\\Windows\\system32\\msiexec.exe /V',
        () => `msiexec.exe /i "C:\\Users\\${u}\\Downloads\\setup-${r.int(1, 99)}.${r.int(0, 9)}.msi" /qn /norestart`,
      ])(),
    { run: 'either', description: 'Windows® installer' },
  ),
  bin('windows', 'taskhostw.exe', 'C:\\Windows\\System32', 2, (r) => `taskhostw.exe {${r.guid().toUpperCase()}}`, {
    parents: ['svchost.exe'],
    description: 'Host Process for Windows Tasks',
  }),
  bin(
    'windows',
    'dllhost.exe',
    'C:\\Windows\\System32',
    2,
    (r) => {
      return `C:\\Windows\\system32\\DllHost.exe /Processid:{${r.guid().toUpperCase()}}`;
    },
    { run: 'either', parents: ['svchost.exe'], description: 'COM Surrogate' },
  ),
  bin(
    'windows',
    'SearchProtocolHost.exe',
    'C:\\Windows\\System32',
    2,
    (r) => {
      const n = r.int(1, 40);
      return `"C:\\Windows\\system32\\SearchProtocolHost.exe" Global\\UsGthrFltPipeMssGthrPipe${n}_ Global\\UsGthrCtrlFltPipeMssGthrPipe${n} 1 -2147483646 "Software\\Microsoft\\Windows Search" "Mozilla/4.0 (compatible; MSIE 6.0; Windows NT; MS Search 4.0 Robot)" "C:\\ProgramData\\Microsoft\\Search\\Data\\Temp\\usgthrsvc" "DownLevelDaemon"`;
    },
    { run: 'system', parents: ['SearchIndexer.exe'], description: 'Microsoft Windows Search Protocol Host' },
  ),
  bin(
    'windows',
    'WmiPrvSE.exe',
    'C:\\Windows\\System32\\wbem',
    2,
    () => 'C:\\Windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding',
    {
      run: 'system',
      parents: ['svchost.exe'],
      description: 'WMI Provider Host',
    },
  ),
  bin(
    'windows',
    'backgroundTaskHost.exe',
    'C:\\Windows\\System32',
    2,
    (r) => {
      return `"C:\\Windows\\system32\\backgroundTaskHost.exe" -ServerName:App.App${r.word(26)}.mca`;
    },
    { parents: ['svchost.exe'], description: 'Background Task Host' },
  ),
  bin(
    'windows',
    'MpCmdRun.exe',
    'C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0',
    1,
    (r) => {
      return `"MpCmdRun.exe" ${r.pick(['-wdenable', 'SignatureUpdate -ScheduleJob -RestrictPrivileges', `GetDeviceTicket -AccessKey ${r.guid().toUpperCase()}`])}`;
    },
    { run: 'system', parents: ['MsMpEng.exe'], description: 'Microsoft Malware Protection Command Line Utility' },
  ),
  bin(
    'windows',
    'net.exe',
    'C:\\Windows\\System32',
    0.4,
    (r) => {
      return `net.exe ${r.pick(['user', 'localgroup administrators', 'use', 'view', 'session', `user ${r.word(7)} /domain`])}`;
    },
    { run: 'either', parents: ['cmd.exe', 'powershell.exe'], description: 'Net Command' },
  ),
  bin(
    'windows',
    'whoami.exe',
    'C:\\Windows\\System32',
    0.3,
    (r) => `whoami.exe ${r.pick(['/all', '/groups', '/priv', ''])}`,
    {
      run: 'either',
      parents: ['cmd.exe', 'powershell.exe'],
      description: 'whoami - displays logged on user information',
    },
  ),
  bin(
    'windows',
    'schtasks.exe',
    'C:\\Windows\\System32',
    0.4,
    (r) =>
      r.pick([
        () => 'schtasks.exe /query /fo LIST /v',
        () =>
          `schtasks.exe /create /tn "Updater${r.int(1, 99)}" /tr "C:\\ProgramData\\${r.word(8)}\\update.exe" /sc daily /st 0${r.int(1, 9)}:00`,
      ])(),
    {
      run: 'either',
      parents: ['cmd.exe', 'powershell.exe', 'msiexec.exe'],
      description: 'Task Scheduler Configuration Tool',
    },
  ),
  bin(
    'windows',
    'reg.exe',
    'C:\\Windows\\System32',
    0.4,
    (r) =>
      r.pick([
        () => 'reg.exe query HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run',
        () => `reg.exe add HKCU\\Software\\${r.word(8)} /v Setting${r.int(1, 9)} /t REG_DWORD /d ${r.int(0, 1)} /f`,
      ])(),
    { run: 'either', parents: ['cmd.exe', 'powershell.exe'], description: 'Registry Console Tool' },
  ),
  bin(
    'windows',
    'certutil.exe',
    'C:\\Windows\\System32',
    0.05,
    (r) => {
      return `certutil.exe -urlcache -split -f http://${r.int(11, 223)}.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}/${r.word(6)}.txt C:\\Users\\Public\\${r.word(6)}.exe`;
    },
    { run: 'either', parents: ['cmd.exe', 'powershell.exe'], description: 'CertUtil.exe' },
  ),
  bin('windows', 'sc.exe', 'C:\\Windows\\System32', 0.3, (r) => `sc.exe query ${r.pick(WIN_SERVICES)}`, {
    run: 'either',
    parents: ['cmd.exe', 'powershell.exe'],
    description: 'Service Control Manager Configuration Tool',
  }),
  bin(
    'windows',
    'tasklist.exe',
    'C:\\Windows\\System32',
    0.3,
    (r) => `tasklist.exe ${r.pick(['/v', '/svc', '/fo csv'])}`,
    {
      run: 'either',
      parents: ['cmd.exe', 'powershell.exe'],
      description: 'Lists the current running tasks',
    },
  ),
  bin('windows', 'explorer.exe', 'C:\\Windows', 0, () => 'C:\\Windows\\Explorer.EXE', {
    parents: ['userinit.exe'],
    description: 'Windows Explorer',
  }),
  bin('windows', 'services.exe', 'C:\\Windows\\System32', 0, () => 'C:\\Windows\\system32\\services.exe', {
    run: 'system',
    parents: ['wininit.exe'],
    description: 'Services and Controller app',
  }),
  bin(
    'windows',
    'SearchIndexer.exe',
    'C:\\Windows\\System32',
    0,
    () => 'C:\\Windows\\system32\\SearchIndexer.exe /Embedding',
    {
      run: 'system',
      parents: ['services.exe'],
      description: 'Microsoft Windows Search Indexer',
    },
  ),
  bin(
    'windows',
    'MsMpEng.exe',
    'C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0',
    0,
    () => '"MsMpEng.exe"',
    {
      run: 'system',
      parents: ['services.exe'],
      description: 'Antimalware Service Executable',
    },
  ),

  bin(
    'linux',
    'bash',
    '/usr/bin',
    6,
    (r) =>
      r.pick([
        () => `bash -c "${r.pick(LINUX_CMDS)(r)}"`,
        () => `/bin/bash /opt/app/scripts/rotate-${r.int(1, 60)}.sh --keep ${r.int(2, 14)}`,
        () => '-bash',
      ])(),
    { run: 'either', parents: ['sshd', 'cron', 'systemd', 'bash'] },
  ),
  bin(
    'linux',
    'sh',
    '/usr/bin',
    4,
    (r) =>
      r.pick([
        () => '/bin/sh -c "run-parts --report /etc/cron.hourly"',
        () => `/bin/sh -c "${r.pick(LINUX_CMDS)(r)}"`,
      ])(),
    { run: 'either', parents: ['cron', 'systemd', 'bash'] },
  ),
  bin(
    'linux',
    'python3',
    '/usr/bin',
    3,
    (r) => {
      return `python3 /opt/app/worker.py --queue q${r.int(1, 40)} --concurrency ${r.int(1, 16)} --log-level ${r.pick(['info', 'debug', 'warning'])}`;
    },
    { run: 'either', parents: ['bash', 'systemd', 'cron'] },
  ),
  bin(
    'linux',
    'curl',
    '/usr/bin',
    3,
    (r) => {
      return `curl -fsSL -m ${r.int(5, 60)} https://${r.pick(HOSTS)}/v1/${r.pick(['items', 'health', 'metrics', 'jobs'])}/${r.int(1, 99999)}`;
    },
    { run: 'either', parents: ['bash', 'sh', 'python3'] },
  ),
  bin(
    'linux',
    'ssh',
    '/usr/bin',
    1,
    (r) => `ssh -o BatchMode=yes deploy@10.0.${r.int(0, 40)}.${r.int(1, 254)} uptime`,
    {
      parents: ['bash'],
    },
  ),
  bin('linux', 'sshd', '/usr/sbin', 1, (r) => `sshd: ${r.pick(['deploy', 'admin', 'ops'])} [priv]`, {
    run: 'system',
    parents: ['sshd', 'systemd'],
  }),
  bin('linux', 'sudo', '/usr/bin', 1, (r) => `sudo -n systemctl restart ${r.pick(SERVICES)}`, { parents: ['bash'] }),
  bin(
    'linux',
    'systemctl',
    '/usr/bin',
    2,
    (r) => `systemctl ${r.pick(['status', 'is-active', 'restart', 'show'])} ${r.pick(SERVICES)}.service`,
    {
      run: 'system',
      parents: ['sudo', 'bash', 'systemd'],
    },
  ),
  bin(
    'linux',
    'apt-get',
    '/usr/bin',
    0.5,
    (r) => r.pick(['apt-get -qq update', `apt-get install -y ${r.pick(SERVICES)}`]),
    {
      run: 'system',
      parents: ['sudo', 'sh'],
    },
  ),
  bin(
    'linux',
    'ls',
    '/usr/bin',
    2,
    (r) => `ls -la /home/${r.pick(FIRST)}/${r.pick(['src', 'tmp', '.cache', 'Downloads'])}`,
    {
      run: 'either',
      parents: ['bash'],
    },
  ),
  bin('linux', 'cat', '/usr/bin', 1.5, (r) => `cat /proc/${r.int(1, 40000)}/${r.pick(['status', 'cmdline', 'maps'])}`, {
    run: 'either',
    parents: ['bash', 'sh'],
  }),
  bin('linux', 'grep', '/usr/bin', 1.5, (r) => `grep -rn ${r.word(6)} /etc/${r.pick(SERVICES)}`, {
    run: 'either',
    parents: ['bash', 'sh'],
  }),
  bin('linux', 'ps', '/usr/bin', 1, () => 'ps -eo pid,ppid,user,cmd --sort=-%cpu', {
    run: 'either',
    parents: ['bash', 'sh'],
  }),
  bin(
    'linux',
    'docker',
    '/usr/bin',
    1,
    (r) =>
      `docker ${r.pick(['ps --format {{.Names}}', `logs --tail ${r.int(10, 500)} app-${r.int(1, 9)}`, 'image prune -f'])}`,
    {
      parents: ['bash', 'cron'],
    },
  ),
  bin(
    'linux',
    'containerd-shim-runc-v2',
    '/usr/bin',
    1,
    (r) => {
      return `/usr/bin/containerd-shim-runc-v2 -namespace moby -id ${r.hex(64)} -address /run/containerd/containerd.sock`;
    },
    { run: 'system', parents: ['containerd'] },
  ),
  bin(
    'linux',
    'java',
    '/usr/lib/jvm/java-17-openjdk-amd64/bin',
    1,
    (r) => {
      return `java -Xmx${r.int(1, 8)}g -Dlog4j2.formatMsgNoLookups=true -jar /opt/app/service-${r.int(1, 12)}.jar --port ${r.int(8000, 8999)}`;
    },
    { run: 'system', parents: ['systemd', 'bash'] },
  ),
  bin(
    'linux',
    'node',
    '/usr/bin',
    1,
    (r) => `node /srv/app-${r.int(1, 9)}/dist/server.js --port ${r.int(3000, 3999)}`,
    {
      run: 'system',
      parents: ['systemd', 'bash'],
    },
  ),
  bin('linux', 'cron', '/usr/sbin', 0, () => '/usr/sbin/cron -f -P', { run: 'system', parents: ['systemd'] }),
  bin('linux', 'systemd', '/usr/lib/systemd', 0, () => '/sbin/init splash', { run: 'system', parents: ['systemd'] }),
  bin('linux', 'containerd', '/usr/bin', 0, () => '/usr/bin/containerd', { run: 'system', parents: ['systemd'] }),
];

// Names that only appear as grandparents (InitiatingProcessParentFileName) need no catalog entry.
const BY_NAME = new Map(BINARIES.map((b) => [`${b.os}:${b.fileName}`, b]));

function digest(alg, text) {
  return createHash(alg).update(text).digest('hex');
}

// Each binary exists in a few versions across the fleet; each version has its own hashes and size.
for (const b of BINARIES) {
  const n = 1 + (Number.parseInt(digest('md5', b.fileName).slice(0, 2), 16) % 4);
  b.variants = [];
  for (let v = 0; v < n; v++) {
    const key = `${b.os}|${b.folder}|${b.fileName}|${v}`;
    b.variants.push({
      sha1: digest('sha1', key),
      sha256: digest('sha256', key),
      md5: digest('md5', key),
      size: 20_000 + (Number.parseInt(digest('md5', key).slice(0, 6), 16) % 3_000_000),
    });
  }
  b.path = b.os === 'windows' ? `${b.folder}\\${b.fileName}` : `${b.folder}/${b.fileName}`;
}

function weighted(list) {
  const total = list.reduce((s, b) => s + b.weight, 0);
  const cumulative = [];
  let acc = 0;
  for (const b of list) {
    acc += b.weight / total;
    cumulative.push(acc);
  }
  return (r) => {
    const x = r.next();
    for (let i = 0; i < cumulative.length; i++) if (x < cumulative[i]) return list[i];
    return list[list.length - 1];
  };
}

const PICK_CHILD = {
  windows: weighted(BINARIES.filter((b) => b.os === 'windows' && b.weight > 0)),
  linux: weighted(BINARIES.filter((b) => b.os === 'linux' && b.weight > 0)),
};
const DEFAULT_PARENTS = { windows: ['explorer.exe', 'cmd.exe', 'svchost.exe'], linux: ['bash', 'systemd'] };

/** The generator's fleet and users, built from the seed. */
function buildFleet(r, deviceCount) {
  const users = [];
  for (let i = 0; i < 300; i++) {
    const name = `${r.pick(FIRST)}.${r.pick(LAST)}${i}`;
    users.push({ name, sid: `${DOMAIN_SID}-${1100 + i}` });
  }
  const devices = [];
  for (let i = 0; i < deviceCount; i++) {
    const os = r.chance(0.7) ? 'windows' : 'linux';
    const short =
      os === 'windows'
        ? `${r.pick(['wks', 'lap', 'srv'])}-${String(i).padStart(4, '0')}`
        : `lnx-${r.pick(['web', 'db', 'build', 'app'])}-${String(i).padStart(3, '0')}`;
    const user = r.pick(users);
    devices.push({
      id: r.hex(40),
      name: `${short}.corp.contoso.com`,
      short,
      os,
      user,
      userLogonId: r.int(100_000, 90_000_000),
      reportId: r.int(1, 50_000),
    });
  }
  return { users, devices };
}

/**
 * Generates DeviceProcessEvents rows. `next()` returns `{ device, text }` where `text` is the JSON object of the row
 * without DeviceId and DeviceName; `agentLine()` and `fileLine()` turn it into an agent's NDJSON line or a full row.
 */
export class ProcessEventGenerator {
  constructor({ seed = 1, rows, devices = 200 }) {
    this.r = new Random(seed);
    this.rows = rows;
    this.i = 0;
    this.fleet = buildFleet(this.r, devices);
    /** Sum of populated columns over the rows generated, DeviceId and DeviceName included. */
    this.populated = 0;
  }

  /** The next row. */
  next() {
    const r = this.r;
    const i = this.i++;
    const device = r.pick(this.fleet.devices);
    // Event times rise through the span (as agents send them), with up to a minute of jitter.
    const ts = EVENTS_START_MS + Math.floor((i / this.rows) * EVENTS_SPAN_MS) + r.int(0, 60_000);
    const rare = r.chance(0.03);
    const child = rare ? undefined : PICK_CHILD[device.os](r);
    const parentName = child?.parents ? r.pick(child.parents) : r.pick(DEFAULT_PARENTS[device.os]);
    const parent =
      BY_NAME.get(`${device.os}:${parentName}`) ?? BY_NAME.get(`${device.os}:${DEFAULT_PARENTS[device.os][0]}`);
    const grandparent = parent.parents ? r.pick(parent.parents) : DEFAULT_PARENTS[device.os][0];

    const parentAccount = this.account(device, parent.run === 'either' ? 'user' : parent.run);
    const childRun = child ? (child.run === 'inherit' ? undefined : child.run) : 'user';
    const account = childRun === undefined ? parentAccount : this.account(device, childRun);
    const u = device.user.name;

    let fileName;
    let folderPath;
    let hashes;
    let commandLine;
    if (child) {
      fileName = child.fileName;
      folderPath = child.path;
      hashes = r.pick(child.variants);
      commandLine = child.args(r, u);
    } else {
      // A binary seen once in the fleet: a download or a build output with hashes of its own.
      const name = `${r.word(r.int(5, 10))}.${device.os === 'windows' ? 'exe' : 'bin'}`;
      fileName = name;
      folderPath =
        device.os === 'windows'
          ? `C:\\Users\\${u}\\AppData\\Local\\Temp\\${r.word(8)}\\${name}`
          : `/tmp/.${r.word(6)}/${name}`;
      hashes = { sha1: r.hex(40), sha256: r.hex(64), md5: r.hex(32), size: r.int(4_000, 40_000_000) };
      commandLine = device.os === 'windows' ? `"${folderPath}" ${r.word(r.int(0, 12))}` : `${folderPath} -d`;
    }
    const parentHashes = r.pick(parent.variants);
    const created = ts - r.int(0, 50);
    const parentCreated = ts - r.int(1_000, 3 * 86_400_000);
    const windows = device.os === 'windows';

    const row = {
      Timestamp: new Date(ts).toISOString(),
      ActionType: 'ProcessCreated',
      FileName: fileName,
      FolderPath: folderPath,
      SHA1: hashes.sha1,
      SHA256: hashes.sha256,
      MD5: hashes.md5,
      FileSize: hashes.size,
    };
    if (windows && child) {
      row.ProcessVersionInfoCompanyName = child.company ?? MS;
      row.ProcessVersionInfoProductName = child.product ?? WINDOWS;
      row.ProcessVersionInfoOriginalFileName = fileName;
      row.ProcessVersionInfoFileDescription = child.description ?? fileName;
    }
    row.ProcessId = r.int(4, 65_000) * 4;
    row.ProcessCommandLine = commandLine;
    if (windows) row.ProcessIntegrityLevel = account.integrity;
    row.ProcessCreationTime = new Date(created).toISOString();
    row.AccountDomain = account.domain;
    row.AccountName = account.name;
    if (windows) row.AccountSid = account.sid;
    row.LogonId = account.logonId;
    row.InitiatingProcessAccountDomain = parentAccount.domain;
    row.InitiatingProcessAccountName = parentAccount.name;
    row.InitiatingProcessSHA1 = parentHashes.sha1;
    row.InitiatingProcessSHA256 = parentHashes.sha256;
    row.InitiatingProcessMD5 = parentHashes.md5;
    row.InitiatingProcessFileName = parent.fileName;
    row.InitiatingProcessFolderPath = parent.path;
    row.InitiatingProcessId = r.int(4, 65_000) * 4;
    row.InitiatingProcessCommandLine = parent.args(r, u);
    row.InitiatingProcessCreationTime = new Date(parentCreated).toISOString();
    row.InitiatingProcessParentFileName = grandparent;
    row.ReportId = device.reportId++;
    let n = 2;
    for (const _ in row) n++;
    this.populated += n;
    return { device, text: JSON.stringify(row) };
  }

  account(device, run) {
    if (device.os === 'linux') {
      return run === 'system' || (run === 'either' && this.r.chance(0.5))
        ? { domain: device.short, name: 'root', logonId: 0 }
        : { domain: device.short, name: device.user.name.split('.')[0], logonId: device.userLogonId };
    }
    if (run === 'system' || (run === 'either' && this.r.chance(0.4))) {
      return { ...this.r.pick(SYSTEM_ACCOUNTS), integrity: 'System' };
    }
    return {
      domain: DOMAIN,
      name: device.user.name,
      sid: device.user.sid,
      logonId: device.userLogonId,
      integrity: this.r.chance(0.1) ? 'High' : 'Medium',
    };
  }
}

/** An agent's NDJSON line for the row: the table name and no device columns (the server fills those in). */
export function agentLine(row) {
  return `{"Table":"DeviceProcessEvents",${row.text.slice(1)}`;
}

/** The full row with its device columns, as a DeviceProcessEvents NDJSON line without the table name. */
export function fileLine(row) {
  return `{"DeviceId":"${row.device.id}","DeviceName":"${row.device.name}",${row.text.slice(1)}`;
}
