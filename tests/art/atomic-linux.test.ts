import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canBuildCollector } from '../../apps/agent/src/collector.js';
import { hasBpftrace } from '../../apps/agent/src/ebpf-source.js';
import { type RunningAgent, runAgent } from '../../apps/agent/src/run-agent.js';
import {
  type ServerProcess,
  spawnServer,
  stopServer,
  VIGIL_BIN,
  vigil,
  waitFor,
} from '../../apps/agent/src/test-support.js';
import {
  type Atomic,
  type Choice,
  corporaDir,
  corpusPresent,
  haveCommands,
  loadAtomics,
  prepare,
  runShell,
} from './atomics.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const corpora = corporaDir(repoRoot);
const artDir = join(corpora, 'atomic-red-team');
const sigmaLinux = join(corpora, 'sigma', 'rules', 'linux');

/**
 * The atomic tests run here, by auto_generated_guid. Commands are read from the corpus YAML at run time.
 * Each is read-only discovery or writes only to /tmp or /var/tmp files that its cleanup_command removes.
 */
const CHOICES: readonly Choice[] = [
  { guid: 'cccb070c-df86-4216-a5bc-9fb60c74e27c', why: 'uname/os-release into /tmp/T1082.txt; cleanup removes it' },
  { guid: '486e88ea-4f56-470f-9b57-3f4d73f39133', why: 'runs hostname, read-only' },
  { guid: 'fcbdd43f-f4ad-42d5-98f3-0218097e2720', why: 'runs env, read-only (output is discarded)' },
  { guid: '2a9b677d-a230-44f4-ad86-782df1ef108c', why: 'users/w/who, read-only' },
  { guid: '4ff64f0b-aaf2-4866-b39d-38d9791407cc', why: 'ps into /tmp/loot.txt; cleanup removes it' },
  { guid: 'c141bbdb-7fca-4254-9fd6-f47e79447e17', why: 'arp/ip/netstat, read-only (skipped without arp)' },
  { guid: 'f8aab3dd-5990-4bf8-b8ab-2226c951696f', why: 'copies /etc/passwd to /tmp; cleanup removes it' },
  { guid: 'c955a599-3653-4fe5-b631-f11c00eb0397', why: 'greps UID 0 accounts into /tmp; cleanup removes it' },
  { guid: 'e6f36545-dc1e-47f0-9f48-7f730f54a02e', why: 'groups/id, read-only' },
  { guid: 'ffc8b249-372a-4b74-adcd-e4c0430842de', why: 'ls/find/file in an empty temp cwd, /tmp/T1083.txt removed' },
  { guid: '9ae28d3f-190f-4fa0-b023-c7bd3e0eabf2', why: 'netstat and who -a, read-only (skipped without netstat)' },
  { guid: '952931a4-af0b-4335-bbbe-73c8c5b327ae', why: 'groups/id/getent group, read-only' },
  { guid: '8f2a5d2b-4018-46d4-8f3f-0fea53754690', why: 'lists /etc/init.d and /etc/rc*.d, read-only' },
  { guid: '23b91cd2-c99c-4002-9e41-317c63e024a2', why: 'ps aux | egrep for security agents, read-only' },
  { guid: '034fe21c-3186-49dd-8d5d-128b35f181c7', why: 'lsmod / kmod list, read-only (no module loads)' },
  { guid: '3a15c372-67c1-4430-ac8e-ec06d641ce4d', why: 'base64-decoded echo scripts piped to bash, no files' },
  {
    guid: 'f45df6be-2e1e-4136-a384-8f18ab3826fb',
    why: 'decodes /tmp/encoded.dat into /tmp/art.sh (echo + uname) and runs it; cleanup removes both',
    getPrereqs: true,
  },
  {
    guid: '26cde240-0112-4806-8c97-bdde43dab298',
    why: 'writes and runs /tmp/report.pdf.sh (echo); cleanup removes it',
  },
  {
    guid: '5f9113d5-ed75-47ed-ba23-ea3573d05810',
    why: 'timestomps its own /tmp/T1070.006-access.txt; cleanup removes it',
    getPrereqs: true,
  },
  {
    guid: '61a782e5-9a19-40b5-8ba4-69a4b9f3d7be',
    why: 'hidden file in /var/tmp/.hidden-directory; cleanup removes it',
  },
  {
    guid: '759055b3-3885-4582-a8ec-c00c9d64dd79',
    why: 'setuid bit on an empty /tmp/evilBinary; cleanup removes it (written with sudo)',
    requires: ['sudo'],
  },
];

const root = process.getuid?.() === 0;
// The agent's eBPF sensors: vigil-collector (built here when clang, bpftool and libbpf-dev are installed), else bpftrace.
const bpf = root && (canBuildCollector() || hasBpftrace());
const corpusOk = corpusPresent(corpora);
const why = !root
  ? 'needs root'
  : !bpf
    ? 'needs eBPF (clang, bpftool and libbpf-dev, or bpftrace)'
    : !corpusOk
      ? `needs the corpora at ${corpora}`
      : '';

interface Result {
  readonly atomic: Atomic;
  readonly marker: string;
  skipped?: string | undefined;
  code?: number | null;
  timedOut?: boolean;
  cleanupCode?: number | null;
  /** Pids of the shells that ran the command and the cleanup. */
  commandPid?: number | undefined;
  cleanupPid?: number | undefined;
  /** DeviceProcessEvents of the test's command alone (marker exactly, not its -prereq/-cleanup runs). */
  commandRows: number;
  /** DeviceProcessEvents of prereq check, command and cleanup together. */
  processRows: number;
  fileRows: number;
  networkRows: number;
  alerts: string[];
}

let dir: string;
let agentDir: string;
let server: ServerProcess;
let agent: RunningAgent;
let rulesAdded = { files: 0, rules: 0, problems: 0 };
const results: Result[] = [];
const logs: string[] = [];

/** Runs a KQL query through `vigil hunt` and returns the rows. */
function hunt<T>(kql: string): T[] {
  const args = ['hunt', '--data', dir, '--tenant', 'default', '--format', 'json', '--query', kql];
  const r = spawnSync(process.execPath, [VIGIL_BIN, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 512 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`vigil hunt failed (${r.error?.message ?? r.status}): ${r.stderr}\n${kql}`);
  return JSON.parse(r.stdout) as T[];
}

beforeAll(async () => {
  if (why) return;
  dir = mkdtempSync(join(tmpdir(), 'vigil-art-srv-'));
  server = await spawnServer(dir);
  const added = vigil(['rules', 'add', sigmaLinux, '--data', dir]);
  const m = /\((\d+) rule files\); (\d+) rules now run at ingest(?:, (\d+) could not)?/.exec(added);
  rulesAdded = { files: Number(m?.[1] ?? 0), rules: Number(m?.[2] ?? 0), problems: Number(m?.[3] ?? 0) };
  process.stdout.write(`vigil rules add: ${added.trim()}\n`);
  agentDir = mkdtempSync(join(tmpdir(), 'vigil-art-agent-'));
  agent = await runAgent({
    server: server.url,
    enrollToken: vigil(['tenant', 'enroll-token', 'default', '--data', dir]).trim(),
    dataDir: agentDir,
    sensors: { logons: false, deviceState: false, inventory: false },
    fileWatchPaths: ['/etc', '/tmp', '/var/tmp', '/usr/bin', '/usr/local/bin', '/root/.ssh', '/home'],
    batchMaxAgeMs: 300,
    log: (l) => logs.push(l),
  });
}, 90_000);

afterAll(async () => {
  await agent?.stop();
  if (server) await stopServer(server);
  for (const d of [dir, agentDir]) if (d) rmSync(d, { recursive: true, force: true });
});

interface ProcRow {
  ProcessId: number;
  InitiatingProcessId: number;
  ProcessCommandLine: string | null;
  InitiatingProcessCommandLine: string | null;
}
interface ActorRow {
  InitiatingProcessId: number;
  InitiatingProcessCommandLine: string | null;
}
interface EvidenceRow {
  AlertId: string;
  Title: string;
  ProcessCommandLine: string | null;
  AdditionalFields: string | null;
}

/**
 * The process ids of a test: the shells we started (seeds: their pids, known from spawn), processes whose command
 * line (or parent's) carries the marker, and all their descendants. The pid seeds matter because a long script
 * can push the marker (the last argument) past what the agent keeps of a command line.
 */
function pidsOf(marker: string | RegExp, procs: readonly ProcRow[], seeds: readonly number[] = []): Set<number> {
  const has = (s: string | null) =>
    s === null ? false : typeof marker === 'string' ? s.includes(marker) : marker.test(s);
  const pids = new Set<number>(seeds);
  for (const p of procs) {
    if (has(p.ProcessCommandLine)) pids.add(Number(p.ProcessId));
    if (has(p.InitiatingProcessCommandLine)) {
      pids.add(Number(p.InitiatingProcessId));
      pids.add(Number(p.ProcessId));
    }
  }
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of procs) {
      if (pids.has(Number(p.InitiatingProcessId)) && !pids.has(Number(p.ProcessId))) {
        pids.add(Number(p.ProcessId));
        grew = true;
      }
    }
  }
  return pids;
}

/** The marker as the last word of a command line, so `vigil-art-GUID` does not match `vigil-art-GUID-cleanup`. */
const exactly = (marker: string) => new RegExp(`${marker}(?![-\\w])`);

const seedsOf = (r: Result) => [r.commandPid, r.cleanupPid].filter((p): p is number => p !== undefined);

/** DeviceProcessEvents of the test's command alone: its shell and descendants, not its prereq or cleanup runs. */
function commandRowsOf(r: Result, procs: readonly ProcRow[]): number {
  const main = pidsOf(exactly(r.marker), procs, r.commandPid === undefined ? [] : [r.commandPid]);
  return procs.filter((p) => main.has(Number(p.ProcessId))).length;
}

const byActor = (rows: readonly ActorRow[], marker: string, pids: Set<number>) =>
  rows.filter((r) => r.InitiatingProcessCommandLine?.includes(marker) || pids.has(Number(r.InitiatingProcessId)))
    .length;

describe.skipIf(Boolean(why))(
  `Atomic Red Team Linux tests → eBPF agent → hunting and SigmaHQ alerts${why ? ` (skipped: ${why})` : ''}`,
  () => {
    it('loads the SigmaHQ Linux rules into the server', () => {
      expect(rulesAdded.files).toBeGreaterThan(100);
      expect(rulesAdded.rules).toBeGreaterThan(100);
      const list = vigil(['rules', 'list', '--data', dir]);
      expect(list).toContain(sigmaLinux);
    });

    it('runs at least 15 safe atomics with their cleanup; each shows DeviceProcessEvents in hunting', async () => {
      const atomics = loadAtomics(artDir, CHOICES);
      // The eBPF probes attach asynchronously: run a marked canary that starts processes and writes a file in
      // /tmp until the server has both its process and its file events, so no atomic runs before the sensors are live.
      const live = await waitFor(
        async () => {
          const warm = `vigil-art-warmup-${Date.now()}`;
          const file = join(tmpdir(), `${warm}.txt`);
          // A relative path and no `rm`: a warm-up matching Sigma rules (paths in /tmp, file deletion) would take the
          // alert of the first atomic that matches the same rule, as alerts are deduplicated per rule and device.
          // The shell outlives its write by a second, so the sensor resolves the relative path from its cwd.
          await runShell('/bin/sh', `/bin/true; echo x > ${warm}.txt; sleep 1`, warm, tmpdir());
          rmSync(file, { force: true });
          await new Promise((r) => setTimeout(r, 500));
          await agent.flush();
          await agent.drained(10_000);
          const seen = (table: string) =>
            hunt(`${table} | where InitiatingProcessCommandLine contains "${warm}" | take 1`).length > 0;
          return seen('DeviceProcessEvents') && seen('DeviceFileEvents');
        },
        30_000,
        0,
      );
      expect(live, 'the agent never reported the warm-up process and file events').toBe(true);
      for (const [i, a] of atomics.entries()) {
        const marker = `vigil-art-${a.guid}`;
        const r: Result = {
          atomic: a,
          marker,
          commandRows: 0,
          processRows: 0,
          fileRows: 0,
          networkRows: 0,
          alerts: [],
        };
        results.push(r);
        const needs = CHOICES[i]?.requires ?? [];
        if (!haveCommands(needs)) {
          r.skipped = `needs ${needs.join(', ')}`;
          continue;
        }
        const cwd = mkdtempSync(join(tmpdir(), 'vigil-art-cwd-'));
        try {
          r.skipped = prepare(a, cwd, marker);
          if (r.skipped) continue;
          const run = await runShell(a.shell, a.command, marker, cwd);
          r.code = run.code;
          r.commandPid = run.pid;
          r.timedOut = run.timedOut;
          if (a.cleanup) {
            const clean = await runShell(a.shell, a.cleanup, `${marker}-cleanup`, cwd);
            r.cleanupCode = clean.code;
            r.cleanupPid = clean.pid;
          }
        } finally {
          rmSync(cwd, { recursive: true, force: true });
        }
      }
      const ran = results.filter((r) => !r.skipped);
      expect(ran.length).toBeGreaterThanOrEqual(15);

      // Wait until every test that ran has process telemetry in the server (or 30 s pass).
      let procs: ProcRow[] = [];
      await waitFor(
        async () => {
          await agent.flush();
          await agent.drained(60_000);
          procs = hunt<ProcRow>(
            `DeviceProcessEvents | where DeviceId == "${agent.deviceId}" | project ProcessId, InitiatingProcessId, ProcessCommandLine, InitiatingProcessCommandLine`,
          );
          return ran.every((r) => commandRowsOf(r, procs) > 0);
        },
        30_000,
        1000,
      );
      const files = hunt<ActorRow>(
        `DeviceFileEvents | where DeviceId == "${agent.deviceId}" | project InitiatingProcessId, InitiatingProcessCommandLine`,
      );
      const nets = hunt<ActorRow>(
        `DeviceNetworkEvents | where DeviceId == "${agent.deviceId}" | project InitiatingProcessId, InitiatingProcessCommandLine`,
      );
      const evidence = hunt<EvidenceRow>(
        'AlertEvidence | project AlertId, Title, ProcessCommandLine, AdditionalFields',
      );
      for (const r of ran) {
        const pids = pidsOf(r.marker, procs, seedsOf(r));
        const own = (p: ProcRow) =>
          Boolean(p.ProcessCommandLine?.includes(r.marker) || p.InitiatingProcessCommandLine?.includes(r.marker)) ||
          pids.has(Number(p.ProcessId));
        r.processRows = procs.filter(own).length;
        r.commandRows = commandRowsOf(r, procs);
        r.fileRows = byActor(files, r.marker, pids);
        r.networkRows = byActor(nets, r.marker, pids);
        const titles = new Set<string>();
        for (const e of evidence) {
          let hit = Boolean(e.ProcessCommandLine?.includes(r.marker) || e.AdditionalFields?.includes(r.marker));
          if (!hit && e.AdditionalFields) {
            const f = JSON.parse(e.AdditionalFields) as { processId?: unknown };
            hit = typeof f.processId === 'number' && pids.has(f.processId);
          }
          if (hit) titles.add(e.Title);
        }
        r.alerts = [...titles].sort();
      }

      const line = (cells: readonly (string | number)[]) => `| ${cells.join(' | ')} |`;
      const table = [
        line([
          'technique',
          'test',
          'guid',
          'process rows (command)',
          'process rows (+prereq/cleanup)',
          'file rows',
          'network rows',
          'Sigma alerts',
        ]),
        line(['---', '---', '---', '---:', '---:', '---:', '---:', '---']),
        ...results.map((r) =>
          r.skipped
            ? line([r.atomic.technique, r.atomic.name, r.atomic.guid, '-', '-', '-', '-', `skipped: ${r.skipped}`])
            : line([
                r.atomic.technique,
                r.atomic.name,
                r.atomic.guid,
                r.commandRows,
                r.processRows,
                r.fileRows,
                r.networkRows,
                r.alerts.length ? r.alerts.join('; ') : '—',
              ]),
        ),
      ];
      // Shells seen by pid whose recorded command line lacks the marker (e.g. cut short by the sensor).
      const noMarker = ran.flatMap((r) =>
        procs
          .filter((p) => Number(p.ProcessId) === r.commandPid && !p.ProcessCommandLine?.includes(r.marker))
          .map((p) => `${r.atomic.guid.slice(0, 8)}: ${JSON.stringify(p.ProcessCommandLine?.slice(-80) ?? null)}`),
      );
      const allTitles = [...new Set(evidence.map((e) => e.Title))].sort();
      process.stdout.write(
        `\n${table.join('\n')}\n\n${ran.length} run, ${results.length - ran.length} skipped; ` +
          `exit codes: ${ran.map((r) => `${r.atomic.guid.slice(0, 8)}=${r.code}${r.timedOut ? '(timeout)' : ''}/${r.cleanupCode ?? 'no cleanup'}`).join(' ')}\n` +
          `all alert titles in the tenant: ${allTitles.join('; ') || 'none'}\n` +
          `shell rows without the marker in ProcessCommandLine: ${noMarker.join(', ') || 'none'}\n` +
          `agent: process ${agent.processSource}, network ${agent.networkSource}, files ${agent.fileSource}; ` +
          `stats ${JSON.stringify({ process: agent.stats().process, files: agent.stats().files, upload: agent.stats().upload })}\n` +
          `agent log:\n${logs.join('\n')}\n`,
      );
      for (const r of ran) expect(r.commandRows, `${r.atomic.technique} ${r.atomic.name}`).toBeGreaterThan(0);
    }, 150_000);
  },
);
