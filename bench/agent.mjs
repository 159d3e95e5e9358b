// Benchmark `agent`: the cost of the Linux agent on its endpoint. A fixed workload (10,000 process starts and
// 50,000 file writes in a watched folder) runs alone, then with `vigil agent` running with its default sensors
// (eBPF process, network and file sensors through vigil-collector, or bpftrace with VIGIL_EBPF=bpftrace) and
// sending to a local server: first just after the agent started (the main figures), then once more (the agent
// warm). The agent's CPU (its own process and its eBPF child, from /proc) is compared with the workload's CPU
// (bash's `times`), and its peak memory is read from /proc/PID/status (VmHWM) after the first run and after both.
// Goals of the issue: agent CPU under 5% of the workload's, RSS under 150 MB. Needs root and eBPF (clang, bpftool and
// libbpf-dev for the collector, else bpftrace); without them the agent would fall back to /proc polling, which this
// benchmark refuses to measure.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AGENT_NODE_FLAGS } from '@vigil/agent';
import { threadCpu, threadCpuSince } from './lib/threads.mjs';

export const description = 'agent CPU and peak RSS during 10,000 process starts and 50,000 file writes vs the workload';

const VIGIL = fileURLToPath(new URL('../apps/cli/bin/vigil.js', import.meta.url));
export const PROCESSES = 10_000;
export const FILE_WRITES = 50_000;
export const FILES = 5_000;
const TICKS = 100; // USER_HZ on Linux

/** The workload as one bash script; `times` prints its children's CPU last. */
export function workloadScript(dir) {
  return [
    `i=0; while [ $i -lt ${PROCESSES} ]; do /bin/true; i=$((i+1)); done`,
    // 50,000 writes: FILES scripts, each written FILE_WRITES/FILES times, by one node process.
    `${process.execPath} -e 'const fs=require("fs");for(let r=0;r<${FILE_WRITES / FILES};r++)for(let i=0;i<${FILES};i++)fs.writeFileSync("${dir}/f"+i+".sh","#!/bin/sh\\necho "+r+"\\n")'`,
    `rm -rf ${dir}/*`,
    'times',
  ].join('\n');
}

/** Runs the workload; returns its CPU seconds (children user + system) and wall seconds. */
export function runWorkload(dir) {
  const t0 = performance.now();
  const r = spawnSync('bash', ['-c', workloadScript(dir)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`workload failed: ${r.stderr}`);
  const lines = r.stdout.trim().split('\n');
  const secs = (t) => {
    const m = /^(\d+)m([\d.]+)s$/.exec(t);
    return m ? Number(m[1]) * 60 + Number(m[2]) : Number.NaN;
  };
  const [user, sys] = (lines.at(-1) ?? '').split(' ').map(secs);
  return { cpu: (user ?? 0) + (sys ?? 0), wall };
}

/** CPU seconds of one process, from /proc (0 once it is gone). */
function cpuOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / TICKS; // utime, stime
  } catch {
    return 0;
  }
}

/** CPU seconds of a process and of its live children (bpftrace), apart. */
function cpuOfTree(pid) {
  const own = cpuOf(pid);
  const children = childrenOf(pid).reduce((s, p) => s + cpuOf(p), 0);
  return { own, children, total: own + children };
}

function childrenOf(pid) {
  const out = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(name));
    } catch {
      // gone
    }
  }
  return out;
}

/**
 * Proportional resident memory in MB (Pss, now) of one process: shared pages (bpftrace's LLVM libraries) count
 * for their share only, so it is what the process really adds to the machine; VmHWM counts them whole.
 */
function pssMb(pid) {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** Peak resident memory in MB (VmHWM) of one process. */
function peakRssMb(pid) {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

/** Starts a child and resolves once a line of its output matches. */
function startUntil(args, pattern, what, nodeArgs = []) {
  const child = spawn(process.execPath, [...nodeArgs, VIGIL, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start:\n${out}`)), 120_000);
    const onData = (b) => {
      out += b.toString();
      const m = pattern.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, match: m, output: () => out });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${what} exited with ${code}:\n${out}`)));
  });
}

function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
}

/** The number a `vigil sql` query returns (its first row's n). */
function sqlCount(data, query) {
  const r = spawnSync(
    process.execPath,
    [VIGIL, 'sql', '--data', data, '--tenant', 'default', '--format', 'json', query],
    {
      encoding: 'utf8',
    },
  );
  return Number(JSON.parse(r.stdout)[0]?.n ?? 0);
}

/** Rows of a table, leaving out the `vigil sql` processes this benchmark starts to count them. */
function count(data, table) {
  const column = table === 'DeviceProcessEvents' ? 'ProcessCommandLine' : 'InitiatingProcessCommandLine';
  return sqlCount(data, `SELECT count(*) AS n FROM ${table} WHERE ${column} NOT LIKE '%vigil.js sql %'`);
}

/**
 * Rows of the workload (the machine is shared: other processes make rows too): process starts run by the workload
 * script or started from it, and file events under its folder.
 */
function workloadRows(data, work) {
  const mine = `LIKE '%${work}%' AND ProcessCommandLine NOT LIKE '%vigil.js sql %'`;
  return {
    processes: sqlCount(
      data,
      `SELECT count(*) AS n FROM DeviceProcessEvents WHERE (ProcessCommandLine ${mine}) OR (InitiatingProcessCommandLine ${mine})`,
    ),
    files: sqlCount(data, `SELECT count(*) AS n FROM DeviceFileEvents WHERE FolderPath LIKE '${work}/%'`),
  };
}

/** Waits until `measure` stops growing (the agent has sent what it saw), for at most maxMs. */
async function settle(measure, maxMs) {
  const until = Date.now() + maxMs;
  let last = -1;
  while (Date.now() < until) {
    await new Promise((r) => setTimeout(r, 2000));
    const n = measure();
    if (n === last) return n;
    last = n;
  }
  return last;
}

export async function run(log) {
  const out = log ?? ((line) => process.stdout.write(`${line}\n`));
  if (process.getuid?.() !== 0)
    throw new Error('the agent benchmark needs root (the eBPF sensors are what it measures)');
  // The server and the agent's own files live outside the watched trees; the workload writes inside one (/tmp).
  const root = mkdtempSync('/var/tmp/vigil-bench-agent-');
  const work = mkdtempSync(join(tmpdir(), 'vigil-bench-work-'));
  const data = join(root, 'server');
  try {
    out(
      `workload: ${PROCESSES.toLocaleString('en')} process starts, ${FILE_WRITES.toLocaleString('en')} writes to ${FILES.toLocaleString('en')} scripts in ${work}`,
    );
    runWorkload(work); // warm-up (page cache, node start)
    const alone = runWorkload(work);
    out(`without the agent: workload CPU ${alone.cpu.toFixed(2)} s, wall ${alone.wall.toFixed(2)} s`);

    const server = await startUntil(
      ['server', '--data', data, '--port', '0', '--quiet'],
      /listening on (http:\/\/\S+)/,
      'server',
    );
    const url = server.match[1];
    try {
      const token = spawnSync(process.execPath, [VIGIL, 'tenant', 'enroll-token', 'default', '--data', data], {
        encoding: 'utf8',
      }).stdout.trim();
      const agent = await startUntil(
        ['agent', '--server', url, '--enroll-token', token, '--data-dir', join(root, 'agent')],
        /vigil agent \S+ of tenant \S+ sending to \S+ \(process source: (\w+)\)/,
        'agent',
        // Node's flags as the unit of `vigil agent install` passes them (AGENT_NODE_FLAGS).
        // VIGIL_BENCH_AGENT_PROFILE=DIR writes a V8 CPU profile of the agent there (open it in Chrome's DevTools);
        // VIGIL_BENCH_AGENT_NODE_ARGS adds node flags (space-separated) to the agent's command line.
        [
          ...AGENT_NODE_FLAGS,
          ...(process.env.VIGIL_BENCH_AGENT_PROFILE
            ? ['--cpu-prof', `--cpu-prof-dir=${process.env.VIGIL_BENCH_AGENT_PROFILE}`]
            : []),
          ...(process.env.VIGIL_BENCH_AGENT_NODE_ARGS ?? '').split(' ').filter(Boolean),
        ],
      );
      try {
        if (agent.match[1] !== 'ebpf') throw new Error(`the agent uses ${agent.match[1]}, not ebpf`);
        const ebpf = /eBPF sensors: (vigil-collector|bpftrace|one bpftrace)/.exec(agent.output())?.[1] ?? 'bpftrace';
        const program = ebpf === 'vigil-collector' ? 'vigil-collector' : 'bpftrace';
        out(`eBPF program: ${program}`);
        const pid = agent.child.pid;
        // Start-up inventory and device state (other processes on a shared machine keep adding rows: capped).
        await settle(() => count(data, 'DeviceProcessEvents') + count(data, 'DeviceFileEvents'), 20_000);
        const cpu0 = cpuOfTree(pid);
        const threads0 = threadCpu(pid);
        const window0 = process.hrtime.bigint() / 1000n; // the profile's clock: CLOCK_MONOTONIC in µs
        const withAgent = runWorkload(work);
        const rows = () => {
          const r = workloadRows(data, work);
          return r.processes + r.files;
        };
        await settle(rows, 120_000);
        const cpu1 = cpuOfTree(pid);
        const threads = threadCpuSince(threads0, pid);
        if (process.env.VIGIL_BENCH_AGENT_PROFILE)
          out(`profile window (µs, the profile's clock): ${window0} ${process.hrtime.bigint() / 1000n}`);
        const agentCpu = cpu1.total - cpu0.total;
        const rss = peakRssMb(pid);
        const bpfRss = childrenOf(pid).reduce((s, p) => s + peakRssMb(p), 0);
        const bpfPss = childrenOf(pid).reduce((s, p) => s + pssMb(p), 0);
        const { processes: processRows, files: fileRows } = workloadRows(data, work);
        out(`with the agent:    workload CPU ${withAgent.cpu.toFixed(2)} s, wall ${withAgent.wall.toFixed(2)} s`);
        out(
          `agent: ${agentCpu.toFixed(2)} CPU s until the server had every row (node ${(cpu1.own - cpu0.own).toFixed(2)} s, ` +
            `${program} ${(cpu1.children - cpu0.children).toFixed(2)} s), ` +
            `peak RSS ${rss.toFixed(0)} MB (node) + ${bpfRss.toFixed(0)} MB (${program}, ${childrenOf(pid).length} process; ` +
            `its Pss now ${bpfPss.toFixed(0)} MB)`,
        );
        out(`agent (node) CPU s by thread: ${threads}`);
        out(
          `rows stored for the workload: ${processRows.toLocaleString('en')} DeviceProcessEvents, ${fileRows.toLocaleString('en')} DeviceFileEvents`,
        );
        out(
          `ratios: agent CPU / workload CPU ${(agentCpu / alone.cpu).toFixed(3)} (goal < 0.05), ` +
            `workload CPU with / without agent ${(withAgent.cpu / alone.cpu).toFixed(2)}, wall ${(withAgent.wall / alone.wall).toFixed(2)}`,
        );
        // The same workload once more: the agent's steady state, its hot paths compiled by V8 during the first run (an
        // agent runs for days). The figures above, from the first run, stay the benchmark's main ones.
        const warm0 = cpuOfTree(pid);
        const warmThreads0 = threadCpu(pid);
        const warmRows0 = workloadRows(data, work);
        runWorkload(work);
        await settle(rows, 120_000);
        const warm1 = cpuOfTree(pid);
        const warmCpu = warm1.total - warm0.total;
        const warmRows1 = workloadRows(data, work);
        // The peak over both runs: the process tree keeps exited processes for two minutes, and the caches fill up.
        const warmRss = peakRssMb(pid);
        out(
          `second run (the agent warm): ${warmCpu.toFixed(2)} CPU s (node ${(warm1.own - warm0.own).toFixed(2)} s, ` +
            `${program} ${(warm1.children - warm0.children).toFixed(2)} s), agent CPU / workload CPU ${(warmCpu / alone.cpu).toFixed(3)}; ` +
            `by thread: ${threadCpuSince(warmThreads0, pid)}; rows ${(warmRows1.processes - warmRows0.processes).toLocaleString('en')} + ` +
            `${(warmRows1.files - warmRows0.files).toLocaleString('en')}; node's peak RSS over both runs ${warmRss.toFixed(0)} MB`,
        );
        return [
          cpuShare('agent_cpu_share', agentCpu, alone.cpu),
          cpuShare('agent_cpu_share_warm', warmCpu, alone.cpu),
          { metric: 'agent_peak_rss', value: round(rss, 0), unit: 'MB', baseline: 150, ratio: round(rss / 150, 2) },
          {
            metric: 'agent_peak_rss_both_runs',
            value: round(warmRss, 0),
            unit: 'MB',
            baseline: 150,
            ratio: round(warmRss / 150, 2),
          },
          {
            metric: 'agent_ebpf_peak_rss',
            value: round(bpfRss, 0),
            unit: 'MB',
            baseline: 150,
            ratio: round(bpfRss / 150, 2),
          },
          {
            metric: 'workload_cpu_with_agent',
            value: round(withAgent.cpu, 2),
            unit: 'CPU s',
            baseline: round(alone.cpu, 2),
            ratio: round(withAgent.cpu / alone.cpu, 2),
          },
        ];
      } finally {
        await stop(agent.child);
      }
    } finally {
      await stop(server.child);
    }
  } finally {
    for (const d of [root, work]) if (existsSync(d)) rmSync(d, { recursive: true, force: true });
  }
}

const round = (x, d) => Math.round(x * 10 ** d) / 10 ** d;

/** A figure of CPU seconds against the workload's alone (DESIGN.md §7 output); agent-replay's too. */
export function cpuShare(metric, cpu, workloadCpu) {
  return {
    metric,
    value: round(cpu, 2),
    unit: 'CPU s',
    baseline: round(workloadCpu, 2),
    ratio: round(cpu / workloadCpu, 3),
  };
}
