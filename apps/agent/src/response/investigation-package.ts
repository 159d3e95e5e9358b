import { spawnSync } from 'node:child_process';
import {
  closeSync,
  copyFileSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { hostname, networkInterfaces, release, uptime } from 'node:os';
import { join } from 'node:path';
import type { BootClock } from '@vigil/sensors';
import { create } from 'tar';
import type { UserNames } from '../user-names.js';
import { connections, homes, localUsers, persistencePaths, processes } from './host-facts.js';

/** Logs are cut to their last bytes: enough for an investigation, bounded for the upload. */
const LOG_TAIL_BYTES = 4 * 1024 * 1024;
const LOGS = [
  '/var/log/auth.log',
  '/var/log/secure',
  '/var/log/syslog',
  '/var/log/messages',
  '/var/log/kern.log',
  '/var/log/audit/audit.log',
];

function tail(file: string, bytes: number): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const size = statSync(file).size;
    const n = Math.min(size, bytes);
    const buf = Buffer.alloc(n);
    readSync(fd, buf, 0, n, size - n);
    return buf;
  } finally {
    closeSync(fd);
  }
}

function safeName(path: string): string {
  return path.replace(/^\//, '').replaceAll('/', '__');
}

/** Collects what an investigation needs into DIR, item by item; an item that fails is noted, not fatal. */
function collect(dir: string, clock: BootClock, users: UserNames): Record<string, string> {
  const summary: Record<string, string> = {};
  const item = (name: string, fn: () => unknown) => {
    try {
      const v = fn();
      if (v !== undefined)
        writeFileSync(join(dir, name), typeof v === 'string' ? v : `${JSON.stringify(v, null, 2)}\n`);
      summary[name] = 'collected';
    } catch (e) {
      summary[name] = `failed: ${(e as Error).message}`;
    }
  };
  item('system.json', () => ({
    hostname: hostname(),
    kernel: release(),
    uptimeSeconds: uptime(),
    osRelease: readFileSync('/etc/os-release', 'utf8'),
    interfaces: networkInterfaces(),
    mounts: readFileSync('/proc/mounts', 'utf8').split('\n').filter(Boolean),
    collectedAt: new Date().toISOString(),
  }));
  item('processes.json', () => processes(clock, users));
  item('connections.json', () => connections(clock, users));
  item('users.json', () => localUsers());
  item('kernel-modules.txt', () => readFileSync('/proc/modules', 'utf8'));
  item('arp.txt', () => readFileSync('/proc/net/arp', 'utf8'));
  item('routes.txt', () => readFileSync('/proc/net/route', 'utf8'));
  for (const sub of ['persistence', 'logs', 'history']) mkdirSync(join(dir, sub));
  item('persistence/index.json', () => {
    const files = persistencePaths();
    for (const f of files) {
      if (statSync(f).size <= 1024 * 1024) copyFileSync(f, join(dir, 'persistence', safeName(f)));
    }
    return files;
  });
  for (const log of LOGS) {
    const t = tail(log, LOG_TAIL_BYTES);
    if (t) item(`logs/${safeName(log)}`, () => t.toString('utf8'));
  }
  const journal = spawnSync('journalctl', ['--no-pager', '-o', 'short-iso', '-n', '20000'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 60_000,
  });
  if (!journal.error && journal.status === 0) item('logs/journal.txt', () => journal.stdout);
  for (const h of homes()) {
    for (const f of ['.bash_history', '.zsh_history', '.ash_history']) {
      const t = tail(join(h, f), 1024 * 1024);
      if (t) item(`history/${safeName(join(h, f))}`, () => t.toString('utf8'));
    }
  }
  return summary;
}

/** Builds the investigation package as one .tar.gz; returns its path (the caller uploads and removes it). */
export async function buildInvestigationPackage(
  workDir: string,
  actionId: string,
  clock: BootClock,
  users: UserNames,
): Promise<{ file: string; summary: Record<string, string> }> {
  const root = join(workDir, `package-${actionId}`);
  rmSync(root, { recursive: true, force: true });
  const dir = join(root, 'investigation');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const summary = collect(dir, clock, users);
  writeFileSync(join(dir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  const file = join(root, 'package.tar.gz');
  await create({ gzip: true, file, cwd: root, portable: true }, ['investigation']);
  return { file, summary };
}
