import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

/** A chosen atomic test: selected by GUID, with the reason it is safe to run on a developer machine. */
export interface Choice {
  readonly guid: string;
  readonly why: string;
  /** Run the test's own get_prereq_command when its prereq fails (only for local, file-creating prereqs). */
  readonly getPrereqs?: boolean;
  /** Commands that must exist, else the test is skipped (e.g. `sudo` for tests written with it). */
  readonly requires?: readonly string[];
}

interface InputArgument {
  readonly default?: unknown;
}
interface Dependency {
  readonly description?: string;
  readonly prereq_command?: string;
  readonly get_prereq_command?: string;
}
interface AtomicTest {
  readonly name: string;
  readonly auto_generated_guid: string;
  readonly supported_platforms: readonly string[];
  readonly input_arguments?: Record<string, InputArgument>;
  readonly dependencies?: readonly Dependency[];
  readonly dependency_executor_name?: string;
  readonly executor: {
    readonly name: string;
    readonly command?: string;
    readonly cleanup_command?: string;
    readonly elevation_required?: boolean;
  };
}
interface IndexEntry {
  readonly technique: string;
  readonly technique_name: string;
  readonly test_name: string;
  readonly auto_generated_guid: string;
  readonly executor: string;
  readonly path: string;
}

/** A chosen test, resolved from the corpus, with `#{arg}` placeholders replaced by the defaults. */
export interface Atomic {
  readonly technique: string;
  readonly name: string;
  readonly guid: string;
  readonly shell: '/bin/sh' | '/bin/bash';
  readonly command: string;
  readonly cleanup: string | undefined;
  readonly prereqs: readonly { readonly check: string; readonly get: string | undefined; readonly what: string }[];
}

function substitute(text: string, args: Record<string, InputArgument> | undefined): string {
  return text.replace(/#\{(\w+)\}/g, (all, name: string) => {
    const v = args?.[name]?.default;
    return v === undefined ? all : String(v);
  });
}

/** Reads the chosen tests from atomic-red-team/ (index + per-technique YAML). */
export function loadAtomics(artDir: string, choices: readonly Choice[]): Atomic[] {
  const index = readFileSync(join(artDir, 'linux_tests_index.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as IndexEntry);
  return choices.map((c) => {
    const entry = index.find((e) => e.auto_generated_guid === c.guid);
    if (!entry) throw new Error(`atomic ${c.guid} is not in linux_tests_index.jsonl`);
    const doc = parse(readFileSync(join(artDir, entry.path), 'utf8')) as { atomic_tests: AtomicTest[] };
    const t = doc.atomic_tests.find((x) => x.auto_generated_guid === c.guid);
    if (!t?.executor.command) throw new Error(`atomic ${c.guid} has no command in ${entry.path}`);
    const args = t.input_arguments;
    return {
      technique: entry.technique,
      name: t.name,
      guid: c.guid,
      shell: t.executor.name === 'bash' ? '/bin/bash' : '/bin/sh',
      command: substitute(t.executor.command, args),
      cleanup: t.executor.cleanup_command ? substitute(t.executor.cleanup_command, args) : undefined,
      prereqs: (t.dependencies ?? [])
        .filter((d) => d.prereq_command)
        .map((d) => ({
          check: substitute(d.prereq_command as string, args),
          get: c.getPrereqs && d.get_prereq_command ? substitute(d.get_prereq_command, args) : undefined,
          what: (d.description ?? '').trim(),
        })),
    };
  });
}

/** True if every command exists on PATH. */
export function haveCommands(cmds: readonly string[]): boolean {
  return cmds.every((c) => spawnSync('/bin/sh', ['-c', `command -v ${c}`], { stdio: 'ignore' }).status === 0);
}

/** Checks (and, where allowed, gets) the prerequisites; returns why the test cannot run, or undefined. */
export function prepare(a: Atomic, cwd: string, marker: string): string | undefined {
  for (const p of a.prereqs) {
    const ok = () =>
      spawnSync(a.shell, ['-c', p.check, `${marker}-prereq`], { cwd, stdio: 'ignore', timeout: 10_000 }).status === 0;
    if (ok()) continue;
    if (p.get) {
      spawnSync(a.shell, ['-c', p.get, `${marker}-prereq`], { cwd, stdio: 'ignore', timeout: 10_000 });
      if (ok()) continue;
    }
    return `prerequisite not met: ${p.what || p.check.trim()}`;
  }
  return undefined;
}

/** The outcome of one shell run. */
export interface Run {
  readonly pid: number | undefined;
  readonly code: number | null;
  readonly timedOut: boolean;
}

/**
 * Runs `SHELL -c SCRIPT MARKER` (the marker becomes $0, so it is in the shell's command line and in
 * InitiatingProcessCommandLine of what the shell starts), in cwd, killed after timeoutMs.
 */
export function runShell(shell: string, script: string, marker: string, cwd: string, timeoutMs = 10_000): Promise<Run> {
  const child = spawn(shell, ['-c', script, marker], {
    cwd,
    stdio: 'ignore',
    detached: true,
    env: { ...process.env, VIGIL_ART_MARKER: marker },
  });
  return new Promise((resolve) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, timeoutMs);
    child.on('error', () => {
      clearTimeout(timer);
      resolve({ pid: child.pid, code: null, timedOut });
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ pid: child.pid, code, timedOut });
    });
  });
}

/** The corpora folder: $VIGIL_CORPORA, else ../shared/corpora next to the repository. */
export function corporaDir(repoRoot: string): string {
  return process.env.VIGIL_CORPORA ?? resolve(repoRoot, '../shared/corpora');
}

export const corpusPresent = (corpora: string): boolean =>
  existsSync(join(corpora, 'atomic-red-team', 'linux_tests_index.jsonl')) &&
  existsSync(join(corpora, 'sigma', 'rules', 'linux'));
