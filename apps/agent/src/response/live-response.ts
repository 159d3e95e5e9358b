import { lstatSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { LiveResponseCommand, LiveResponseResult } from '@vigil/protocol';
import type { BootClock } from '@vigil/sensors';
import type { UserNames } from '../user-names.js';
import { connections, fileHashes, localUsers, persistencePaths, processes, statView } from './host-facts.js';

/** Limits of live response (Defender: getfile up to 3 GB, fileinfo 30 GB; ours bounds the server's disk). */
export const LIVE_RESPONSE_LIMITS = {
  getFileBytes: 512 * 1024 * 1024,
  hashBytes: 4 * 1024 * 1024 * 1024,
  dirEntries: 5000,
  findResults: 200,
  findVisited: 500_000,
} as const;

/** What the executor needs to upload a GetFile result. */
export type UploadFile = (index: number, path: string) => Promise<void>;

const param = (c: LiveResponseCommand, key: string) => c.params.find((p) => p.key === key)?.value ?? '';
const SKIP = new Set(['/proc', '/sys', '/dev', '/run']);

function findFile(name: string, from: string): string[] {
  const found: string[] = [];
  let visited = 0;
  const stack = [from];
  while (stack.length > 0 && found.length < LIVE_RESPONSE_LIMITS.findResults) {
    const d = stack.pop() as string;
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      continue;
    }
    for (const n of names) {
      if (++visited > LIVE_RESPONSE_LIMITS.findVisited) return found;
      const p = join(d, n);
      if (n === name) found.push(p);
      const st = lstatSync(p, { throwIfNoEntry: false });
      if (st?.isDirectory() && !SKIP.has(p)) stack.push(p);
    }
  }
  return found;
}

async function fileInfo(path: string) {
  const st = statSync(path);
  const view = statView(path, st);
  if (!st.isFile() || st.size > LIVE_RESPONSE_LIMITS.hashBytes) return view;
  return { ...view, ...(await fileHashes(path)) };
}

/** Runs one allowlisted command; its output is JSON. No shell is ever involved. */
async function runOne(
  c: LiveResponseCommand,
  index: number,
  ctx: { clock: BootClock; users: UserNames; upload: UploadFile },
): Promise<unknown> {
  switch (c.type) {
    case 'Processes':
      return processes(ctx.clock, ctx.users);
    case 'Connections':
      return connections(ctx.clock, ctx.users);
    case 'Users':
      return localUsers();
    case 'Persistence':
      return persistencePaths().map((p) => statView(p, statSync(p)));
    case 'Dir': {
      const path = param(c, 'Path');
      const names = readdirSync(path).sort();
      const entries = names.slice(0, LIVE_RESPONSE_LIMITS.dirEntries).map((n) => {
        const p = join(path, n);
        const st = lstatSync(p, { throwIfNoEntry: false });
        return st ? statView(p, st) : { path: p, type: 'gone' };
      });
      return { path, total: names.length, truncated: names.length > entries.length, entries };
    }
    case 'FileInfo':
      return fileInfo(param(c, 'Path'));
    case 'FindFile': {
      const found = findFile(param(c, 'Name'), param(c, 'Path') || '/');
      return { name: param(c, 'Name'), found, truncated: found.length >= LIVE_RESPONSE_LIMITS.findResults };
    }
    case 'GetFile': {
      const path = param(c, 'Path');
      const st = statSync(path);
      if (!st.isFile()) throw new Error(`${path} is not a regular file`);
      if (st.size > LIVE_RESPONSE_LIMITS.getFileBytes) {
        throw new Error(`${path} is ${st.size} bytes; GetFile takes at most ${LIVE_RESPONSE_LIMITS.getFileBytes}`);
      }
      const info = await fileInfo(path);
      await ctx.upload(index, path);
      return info;
    }
  }
}

/** Runs the commands in order and stops at the first failure, as Defender's API does. */
export async function runLiveResponse(
  commands: readonly LiveResponseCommand[],
  ctx: { clock: BootClock; users: UserNames; upload: UploadFile },
): Promise<{ results: LiveResponseResult[]; failed: boolean }> {
  const results: LiveResponseResult[] = [];
  for (const [index, c] of commands.entries()) {
    try {
      results.push({ index, commandStatus: 'Completed', errors: [], output: await runOne(c, index, ctx) });
    } catch (e) {
      results.push({ index, commandStatus: 'Failed', errors: [(e as Error).message] });
      return { results, failed: true };
    }
  }
  return { results, failed: false };
}
