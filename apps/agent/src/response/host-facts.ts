import { createHash } from 'node:crypto';
import { createReadStream, existsSync, lstatSync, readdirSync, readFileSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { type BootClock, parseProcNet } from '@vigil/sensors';
import { socketOwners } from '../network-sensor.js';
import { listPids, readProcess } from '../proc-fs.js';
import type { UserNames } from '../user-names.js';

/** The processes running now. */
export function processes(clock: BootClock, users: UserNames) {
  const out = [];
  for (const pid of listPids()) {
    const p = readProcess(pid, clock, users);
    if (p) {
      out.push({
        pid: p.pid,
        ppid: p.ppid,
        user: p.accountName,
        uid: p.uid,
        started: p.creationTime,
        image: p.path,
        commandLine: p.commandLine,
      });
    }
  }
  return out;
}

const TCP_STATES = [
  '',
  'ESTABLISHED',
  'SYN_SENT',
  'SYN_RECV',
  'FIN_WAIT1',
  'FIN_WAIT2',
  'TIME_WAIT',
  'CLOSE',
  'CLOSE_WAIT',
  'LAST_ACK',
  'LISTEN',
  'CLOSING',
];

/** Sockets of TCP and UDP over IPv4 and IPv6, with their owning process. */
export function connections(clock: BootClock, users: UserNames) {
  const sockets = [];
  for (const protocol of ['tcp', 'tcp6', 'udp', 'udp6']) {
    let text = '';
    try {
      text = readFileSync(`/proc/net/${protocol}`, 'utf8');
    } catch {
      continue;
    }
    for (const s of parseProcNet(text)) sockets.push({ protocol, ...s });
  }
  const owners = socketOwners(new Set(sockets.map((s) => s.inode).filter((i) => i > 0)));
  return sockets.map((s) => {
    const pid = owners.get(s.inode);
    const p = pid === undefined ? undefined : readProcess(pid, clock, users);
    return {
      protocol: s.protocol.replace('6', ''),
      local: `${s.localIp}:${s.localPort}`,
      remote: `${s.remoteIp}:${s.remotePort}`,
      state: s.protocol.startsWith('tcp') ? (TCP_STATES[s.state] ?? String(s.state)) : '',
      pid: pid ?? null,
      image: p?.path ?? null,
    };
  });
}

/** Local accounts from /etc/passwd with their groups. */
export function localUsers() {
  const groups = new Map<string, string[]>();
  for (const line of readLines('/etc/group')) {
    const [name, , , members] = line.split(':');
    for (const m of (members ?? '').split(',').filter(Boolean)) groups.set(m, [...(groups.get(m) ?? []), name ?? '']);
  }
  return readLines('/etc/passwd').map((line) => {
    const [name = '', , uid = '', gid = '', gecos = '', home = '', shell = ''] = line.split(':');
    return { name, uid: Number(uid), gid: Number(gid), gecos, home, shell, groups: groups.get(name) ?? [] };
  });
}

function readLines(file: string): string[] {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'));
  } catch {
    return [];
  }
}

/** Home folders of local users (and root). */
export function homes(): string[] {
  const all = localUsers()
    .map((u) => u.home)
    .filter((h) => h === '/root' || h.startsWith('/home/'));
  return [...new Set(['/root', ...all])].filter((h) => existsSync(h));
}

/** Places where Linux malware persists: cron, systemd, rc scripts, preload, shell profiles, SSH keys. */
export function persistencePaths(): string[] {
  const folders = [
    '/etc/cron.d',
    '/etc/cron.hourly',
    '/etc/cron.daily',
    '/etc/cron.weekly',
    '/etc/cron.monthly',
    '/var/spool/cron',
    '/var/spool/cron/crontabs',
    '/etc/systemd/system',
    '/run/systemd/system',
    '/etc/init.d',
    '/etc/profile.d',
    '/etc/sudoers.d',
    '/etc/xdg/autostart',
  ];
  const files = [
    '/etc/crontab',
    '/etc/rc.local',
    '/etc/ld.so.preload',
    '/etc/profile',
    '/etc/bash.bashrc',
    '/etc/sudoers',
  ];
  for (const h of homes()) {
    files.push(`${h}/.ssh/authorized_keys`, `${h}/.bashrc`, `${h}/.profile`, `${h}/.bash_profile`);
    folders.push(`${h}/.config/systemd/user`, `${h}/.config/autostart`);
  }
  const out = files.filter((f) => lstatSync(f, { throwIfNoEntry: false })?.isFile());
  for (const d of folders) out.push(...walkFiles(d, 3, 2000));
  return [...new Set(out)].sort();
}

/** Regular files under a folder, to a depth, at most `max`. */
export function walkFiles(dir: string, depth: number, max: number): string[] {
  const out: string[] = [];
  const visit = (d: string, level: number) => {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const n of names) {
      if (out.length >= max) return;
      const p = join(d, n);
      const st = lstatSync(p, { throwIfNoEntry: false });
      if (st?.isFile()) out.push(p);
      else if (st?.isDirectory() && level < depth) visit(p, level + 1);
    }
  };
  visit(dir, 0);
  return out;
}

/** A file's metadata as live response shows it. */
export function statView(path: string, st: Stats) {
  const type = st.isFile() ? 'file' : st.isDirectory() ? 'directory' : st.isSymbolicLink() ? 'symlink' : 'other';
  return {
    path,
    type,
    size: st.size,
    mode: `0${(st.mode & 0o7777).toString(8)}`,
    uid: st.uid,
    gid: st.gid,
    modified: st.mtime.toISOString(),
    changed: st.ctime.toISOString(),
    inode: st.ino,
  };
}

/** MD5, SHA-1 and SHA-256 of a file, in one read. */
export async function fileHashes(path: string): Promise<{ md5: string; sha1: string; sha256: string }> {
  const h = { md5: createHash('md5'), sha1: createHash('sha1'), sha256: createHash('sha256') };
  for await (const chunk of createReadStream(path)) for (const x of Object.values(h)) x.update(chunk as Buffer);
  return { md5: h.md5.digest('hex'), sha1: h.sha1.digest('hex'), sha256: h.sha256.digest('hex') };
}
