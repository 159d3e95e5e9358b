import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The CLI that runs the agent (`vigil agent`), built by `tsc -b`. */
const cli = join(import.meta.dirname, '..', '..', 'cli', 'bin', 'vigil.js');

/** A real Vigil agent running as a child process of the test. */
export interface LiveAgent {
  readonly deviceId: string;
  /** What the agent printed, for the test's failure message. */
  output(): string;
  stop(): Promise<void>;
}

/** Why a live agent cannot run here (null when it can): it needs the built CLI and root for its response actions. */
export function liveAgentUnavailable(): string | null {
  if (!existsSync(cli)) return `the CLI is not built (${cli})`;
  if (process.getuid?.() !== 0) return 'the agent takes response actions as root; the test does not run as root';
  return null;
}

/**
 * Starts `vigil agent` without sensors (nothing but response actions) against `server`, enrolled with `enrollToken`
 * into `dataDir`, and waits for the device id it prints once enrolled.
 */
export async function startLiveAgent(server: string, enrollToken: string, dataDir: string): Promise<LiveAgent> {
  const child: ChildProcess = spawn(
    process.execPath,
    [cli, 'agent', '--server', server, '--enroll-token', enrollToken, '--data-dir', dataDir, '--sensors', 'none'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let text = '';
  child.stdout?.on('data', (c: Buffer) => {
    text += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    text += c.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  const deviceId = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the agent did not enroll in time:\n${text}`)), 60_000);
    const check = () => {
      const m = /vigil agent (\S+) of tenant/.exec(text);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the agent exited (${code}):\n${text}`));
    });
  }).catch(async (e: unknown) => {
    await stop();
    throw e;
  });
  return { deviceId, output: () => text, stop };
}
