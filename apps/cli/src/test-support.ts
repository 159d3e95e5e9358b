import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The vigil binary of this checkout. */
export const VIGIL_BIN = fileURLToPath(new URL('../bin/vigil.js', import.meta.url));

/** Runs `vigil ARGS` to completion. */
export function vigil(args: readonly string[], input?: string): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [VIGIL_BIN, ...args], { encoding: 'utf8', input, timeout: 120_000 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A `vigil server` child process. */
export interface ServerProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** Everything printed so far. */
  readonly output: () => string;
}

/** Starts `vigil server --data DIR --port 0` and waits until it listens. */
export function spawnServer(dir: string): Promise<ServerProcess> {
  const child = spawn(process.execPath, [VIGIL_BIN, 'server', '--data', dir, '--port', '0', '--quiet'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 60_000);
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1] as string, output: () => out });
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
