import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { type BpfProcessEvent, CollectorReader, type CollectorSink, type FileLook } from '@vigil/sensors';
import { describe, expect, it } from 'vitest';
import { buildCollector, CollectorHub } from './collector.js';
import { waitFor } from './test-support.js';

/**
 * A stand-in for vigil-collector (test only): writes an attach record and one exit record per run, then, on its
 * first run, dies (or writes a record of an impossible size); later runs stay up until SIGTERM.
 */
function standIn(dir: string, firstRun: 'exit' | 'garbage'): string {
  const path = join(dir, 'collector');
  const runs = join(dir, 'runs');
  writeFileSync(
    path,
    `#!${process.execPath}
const fs = require('node:fs');
const run = fs.existsSync(${JSON.stringify(runs)}) ? Number(fs.readFileSync(${JSON.stringify(runs)}, 'utf8')) + 1 : 1;
fs.writeFileSync(${JSON.stringify(runs)}, String(run));
const rec = (kind, pid, extra = 0) => {
  const b = Buffer.alloc(24);
  b.writeUInt32LE(24, 0); b[4] = kind.charCodeAt(0); b.writeBigUInt64LE(BigInt(run), 8); b.writeUInt32LE(pid, 16); b.writeUInt32LE(extra, 20);
  return b;
};
process.stdout.write(Buffer.concat([rec('A', 0, 3), rec('X', 1000 + run)]));
if (run === 1 && ${JSON.stringify(firstRun)} === 'exit') setTimeout(() => process.exit(3), 100);
else if (run === 1) process.stdout.write(Buffer.alloc(24, 0xff));
else process.on('SIGTERM', () => process.exit(0));
setInterval(() => {}, 1000);
`,
  );
  chmodSync(path, 0o755);
  return path;
}

/** Reads a real collector's output with the given handlers (the others ignore their records); throws on an invalid one. */
function readRecords(out: Readable, handlers: Partial<CollectorSink>): { attached: boolean } {
  const state = { attached: false };
  const reader = new CollectorReader({
    process: () => undefined,
    file: () => undefined,
    look: () => undefined,
    fileRow: () => undefined,
    network: () => undefined,
    lost: () => undefined,
    ...handlers,
    attached: () => {
      state.attached = true;
    },
    invalid: (why) => {
      throw new Error(why);
    },
  });
  out.on('data', (b: Buffer) => reader.push(b));
  return state;
}

describe('CollectorHub', () => {
  it.each(['exit', 'garbage'] as const)(
    'restarts the collector after its first run ends with %s, and keeps handing its records to the parts',
    async (firstRun) => {
      const dir = mkdtempSync(join(tmpdir(), 'vigil-collector-hub-'));
      const logs: string[] = [];
      const hub = new CollectorHub(standIn(dir, firstRun), { process: true, network: false }, (l) => logs.push(l));
      const parts = await hub.start(10_000);
      expect(parts.via).toBe('vigil-collector');
      expect(parts.network).toBeUndefined();
      const seen: BpfProcessEvent[] = [];
      parts.process?.bind((e) => seen.push(e));
      await waitFor(() => seen.length >= 2, 10_000, 50);
      expect(seen).toEqual([
        { kind: 'exit', ns: 1n, pid: 1001 },
        { kind: 'exit', ns: 2n, pid: 1002 },
      ]);
      expect(hub.restarts).toBe(1);
      if (firstRun === 'garbage') expect(logs.join('\n')).toMatch(/record of 4294967295 bytes at offset \d+/);
      expect(logs.join('\n')).toMatch(/vigil-collector exited with .*; restarting it/);
      await parts.process?.stop();
    },
    30_000,
  );

  // Root and a collector that builds here (clang, bpftool, libbpf-dev): the real one.
  it('sleeps while it has nothing to read, and still hands over the first record after that', async () => {
    const build = await buildCollector(mkdtempSync(join(tmpdir(), 'vigil-collector-data-')), () => undefined);
    if (process.getuid?.() !== 0 || !('path' in build)) return;
    const dir = mkdtempSync(join(tmpdir(), 'vigil-collector-idle-'));
    // Only file events under `dir` (filtered in the kernel): nothing else on the machine makes records.
    const child = spawn(build.path, ['--no-process', '--no-network', '--watch', `${dir}/`], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let bytes = 0;
    child.stdout.on('data', (b: Buffer) => {
      bytes += b.length;
    });
    try {
      await waitFor(() => bytes > 0, 30_000, 50); // the attach record
      const switches = () =>
        Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]);
      await new Promise((r) => setTimeout(r, 1000)); // past the rounds before it sleeps
      const before = switches();
      await new Promise((r) => setTimeout(r, 3000));
      // Polling every 50 ms it would wake 60 times in 3 s; asleep, about once a second.
      expect(switches() - before).toBeLessThan(15);
      const seen = bytes;
      writeFileSync(join(dir, 'after-sleep.sh'), '#!/bin/sh\n');
      await waitFor(() => bytes > seen, 10_000, 20);
    } finally {
      child.kill('SIGTERM');
    }
  }, 180_000);

  it("looks at written files until their writes settle, and reports them with their hashes ('S', 'Q')", async () => {
    const build = await buildCollector(mkdtempSync(join(tmpdir(), 'vigil-collector-data-')), () => undefined);
    if (process.getuid?.() !== 0 || !('path' in build)) return;
    const dir = mkdtempSync(join(tmpdir(), 'vigil-collector-settle-'));
    mkdirSync(join(dir, 'sub'));
    const child = spawn(
      build.path,
      [
        ...['--no-process', '--no-network', '--watch', `${dir}/`],
        ...['--settle-ms', '200', '--fold-ns', '3000000000', '--script-ext', 'py,sh'],
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const looks: FileLook[] = [];
    const read = readRecords(child.stdout, { look: (l) => looks.push(l) });
    const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');
    try {
      await waitFor(() => read.attached, 30_000, 50);
      writeFileSync(join(dir, 'a.sh'), '#!/bin/sh\necho a\n');
      writeFileSync(join(dir, 'b.txt'), 'plain text\n');
      writeFileSync(join(dir, 'gone.sh'), 'deleted before its look\n');
      unlinkSync(join(dir, 'gone.sh'));
      // A relative path, resolved against the writer's cwd as the agent resolves it: from /proc, so the writer stays
      // a second (a shell gone before the collector read its record leaves the path unresolved, as documented).
      spawnSync('sh', ['-c', 'cd sub && printf "x\n" > ../rel.sh && sleep 1'], { cwd: dir });
      // One process rewrites a file: the kernel folds the later write-opens, the watch reports the final content.
      // A second between writes: v1 settles first, even on a loaded machine, and the 3 s fold window spans them.
      spawnSync('sh', ['-c', 'echo v1 > fold.sh; sleep 1; echo v2 > fold.sh; sleep 1; echo v3 > fold.sh'], {
        cwd: dir,
      });
      await waitFor(() => looks.some((l) => l.what === 'changed'), 20_000, 50);
      await waitFor(() => looks.filter((l) => l.what === 'quiet').length >= 3, 20_000, 50);
    } finally {
      child.kill('SIGTERM');
    }
    const at = (what: FileLook['what'], name: string) =>
      looks.filter((l) => l.what === what && l.path === join(dir, name));
    expect(at('settled', 'a.sh').map((l) => l.file?.hashes?.sha1)).toEqual([sha1('#!/bin/sh\necho a\n')]);
    expect(at('settled', 'a.sh')[0]?.file).toMatchObject({ size: 17, hashable: true });
    expect(at('settled', 'b.txt').map((l) => [l.file?.hashable, l.file?.hashes])).toEqual([[false, undefined]]);
    expect(at('settled', 'rel.sh').map((l) => l.file?.hashes?.sha1)).toEqual([sha1('x\n')]);
    expect(at('settled', 'fold.sh').map((l) => l.file?.hashes?.sha1)).toEqual([sha1('v1\n')]);
    expect(at('changed', 'fold.sh').map((l) => l.file?.hashes?.sha1)).toEqual([sha1('v3\n')]);
    expect(at('changed', 'fold.sh')[0]?.file?.mtimeMs).toBe(statSync(join(dir, 'fold.sh')).mtimeMs);
    for (const name of ['a.sh', 'b.txt', 'rel.sh']) expect(at('quiet', name)).toHaveLength(1);
    expect(looks.filter((l) => l.path.endsWith('gone.sh'))).toEqual([]);
  }, 180_000);

  it("folds a fork into its child's exec, and writes it before any other record of the child", async () => {
    const build = await buildCollector(mkdtempSync(join(tmpdir(), 'vigil-collector-data-')), () => undefined);
    if (process.getuid?.() !== 0 || !('path' in build)) return;
    const dir = mkdtempSync(join(tmpdir(), 'vigil-collector-fold-'));
    const child = spawn(build.path, ['--no-network', '--watch', `${dir}/`], { stdio: ['ignore', 'pipe', 'inherit'] });
    const seen: (BpfProcessEvent | { kind: 'write'; pid: number; path: string })[] = [];
    const read = readRecords(child.stdout, {
      process: (e) => seen.push(e),
      file: (e) => seen.push({ kind: 'write', pid: e.pid, path: e.path }),
    });
    let shell = 0;
    try {
      await waitFor(() => read.attached, 30_000, 50);
      // Twenty commands, then a subshell that writes a file before it starts one of its own.
      const script = `for i in $(seq 20); do /bin/true; done; (echo x > ${dir}/sub.txt; /bin/true; exit 0)`;
      const bash = spawnSync('bash', ['-c', `echo $$; ${script}`], { encoding: 'utf8' });
      shell = Number(bash.stdout.trim());
      await waitFor(() => seen.some((e) => e.kind === 'write'), 10_000, 50);
      await new Promise((r) => setTimeout(r, 600)); // a round or two more
    } finally {
      child.kill('SIGTERM');
    }
    const forks = seen.flatMap((e) => (e.kind === 'fork' ? [e] : []));
    const execs = seen.flatMap((e) => (e.kind === 'exec' && e.filename === '/bin/true' ? [e] : []));
    expect(execs).toHaveLength(21);
    // The shell's commands: their execs name the shell, and their forks are left out (but where a round of the
    // collector ended between a fork and its exec: the fork is then written at the round's end).
    const direct = execs.filter((e) => e.realParent === shell);
    expect(direct).toHaveLength(20);
    const folded = direct.filter((e) => !forks.some((f) => f.pid === e.pid));
    expect(folded.length).toBeGreaterThanOrEqual(15);
    // The subshell wrote first: its fork is written, before its write; its command's exec names it.
    const write = seen.findIndex((e) => e.kind === 'write' && e.path.endsWith('sub.txt'));
    const subshell = (seen[write] as { pid: number }).pid;
    const subFork = seen.findIndex((e) => e.kind === 'fork' && e.pid === subshell);
    expect(subFork).toBeGreaterThanOrEqual(0);
    expect(subFork).toBeLessThan(write);
    expect(seen[subFork]).toMatchObject({ ppid: shell });
    expect(execs.filter((e) => e.realParent === subshell)).toHaveLength(1);
  }, 180_000);

  it('says why there is no collector when its sources are missing or its build fails', async () => {
    const build = await buildCollector(mkdtempSync(join(tmpdir(), 'vigil-collector-data-')), () => undefined);
    // On a machine with clang, bpftool and libbpf-dev it builds; elsewhere it says what is missing.
    if ('path' in build) expect(existsSync(build.path)).toBe(true);
    else expect(build.why).toMatch(/missing|failed|cannot write/);
  }, 180_000);
});
