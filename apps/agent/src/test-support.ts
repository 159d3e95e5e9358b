import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InitiatingReferences } from '@vigil/protocol';
import type { ProcessInfo } from '@vigil/sensors';
import { afterEach } from 'vitest';
import { segmentNdjson } from './spool.js';

/** The vigil binary of this checkout: tests run the server as its own process, as in production. */
export const VIGIL_BIN = fileURLToPath(new URL('../../cli/bin/vigil.js', import.meta.url));

/** A process of /usr/bin/node run by root, with its image hashes, for tests of rows. */
export function nodeProcess(pid: number, commandLine: string, extra: Partial<ProcessInfo> = {}): ProcessInfo {
  return {
    pid,
    ppid: 1,
    startTicks: 100 + pid,
    creationTime: '2026-11-30T01:00:00.000Z',
    path: '/usr/bin/node',
    commandLine,
    accountName: 'root',
    uid: 0,
    fileSize: 98_932_688,
    sha1: 'e09ff017436de661d818980a4c0308de38c6c648',
    sha256: '6295488653f0d93b0a157841746fef7e72cc4328cfb60c4bbe0ca2668a836ffd',
    md5: '9d5468aa767e4fcdb986e9318e20e9b1',
    ...extra,
  };
}

/** Runs `vigil ARGS` to completion and returns stdout; throws on failure. */
export function vigil(args: readonly string[]): string {
  const r = spawnSync(process.execPath, [VIGIL_BIN, ...args], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`vigil ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** Rows of a SQL query on the tenant's telemetry (through the running server's admin socket). */
export function sql<T = Record<string, unknown>>(data: string, query: string): T[] {
  return JSON.parse(vigil(['sql', '--data', data, '--tenant', 'default', '--format', 'json', query])) as T[];
}

/** A `vigil server` child process. */
export interface ServerProcess {
  readonly child: ChildProcess;
  readonly url: string;
}

/** Starts `vigil server --data DIR --port N [--host H]` and waits until it listens. */
export function spawnServer(dir: string, port = 0, host?: string): Promise<ServerProcess> {
  const args = [
    VIGIL_BIN,
    'server',
    '--data',
    dir,
    '--port',
    String(port),
    '--quiet',
    ...(host ? ['--host', host] : []),
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 60_000);
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1] as string });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
}

/** Stops a server child with SIGTERM and waits for it. */
export function stopServer(p: ServerProcess): Promise<void> {
  return new Promise((resolve) => {
    if (p.child.exitCode !== null || p.child.signalCode !== null) return resolve();
    p.child.once('exit', () => resolve());
    p.child.kill('SIGTERM');
  });
}

/** Polls until check() is true or the timeout passes; returns the last value of check(). */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  everyMs = 500,
): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** This process's start as the kernel's boot-time nanoseconds (what vigil-collector's records carry). */
export function ownStartNs(): bigint {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  return BigInt(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] as string) * 10_000_000n;
}

/**
 * The rows of `table` in a spool's sealed batches, their InitiatingProcess* references resolved (an unresolved one
 * throws), without ReportId and Timestamp (they differ run to run), sorted by their JSON.
 */
export function spooledRows(spoolDir: string, table: string): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  for (const f of readdirSync(spoolDir).filter((n) => n.endsWith('.gz'))) {
    const refs = new InitiatingReferences();
    for (const line of segmentNdjson(readFileSync(join(spoolDir, f)))
      .toString()
      .split('\n')) {
      if (!line) continue;
      const row = JSON.parse(line) as Record<string, unknown>;
      const problem = refs.resolve(row);
      if (problem !== undefined) throw new Error(`${f}: ${JSON.stringify(problem)}`);
      if (row.Table !== table) continue;
      delete row.ReportId;
      delete row.Timestamp;
      rows.push(row);
    }
  }
  return rows.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
}

/** Makes temporary folders named `prefix…` (in the system's temp folder); each is removed after the test that made it. */
export function tempDirs(prefix: string): () => string {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  return () => {
    const d = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(d);
    return d;
  };
}
