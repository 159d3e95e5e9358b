// Benchmark `agent-replay`: the CPU of the agent's event path on its own. The `agent` benchmark's workload (10,000
// process starts, 50,000 writes to 5,000 scripts, their `rm`) runs alone, then once more while vigil-collector
// writes its records to a file. That capture is replayed through the agent's event path (records decoded, process
// and file sensors, rows checked and written into a spool with gzip and fsync; no upload: see replayCapture) several
// times in this process, with nothing else running, and the CPU of each replay is compared with the workload's.
// The first replay runs the agent's code cold (V8 compiles it as it goes, as in the `agent` benchmark's first run);
// the median of the others is the warm figure. Unlike `agent`, whose agent shares two cores with the workload and
// is woken every few ms, this measures what the events cost, not when they come. Then the capture is replayed at
// its own pace (`paced`: a round of records every 200 ms, the sensors' and the spool's own timers, code warm): the
// gap between the paced and the fast replays is the cost of handling events in slices, and the gap between the
// paced replays and the `agent` benchmark's warm run is what the busy workload beside the agent adds. Needs root
// (the collector's eBPF programs).
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCollector, collectorFeatures, FileHasher, replayCapture, SCRIPT_EXTENSIONS } from '@vigil/agent';
import { cpuShare, FILE_WRITES, FILES, PROCESSES, runWorkload } from './agent.mjs';

export const description = "the agent's event path replayed from a capture of the agent workload, vs the workload";

const REPLAYS = Number(process.env.VIGIL_BENCH_REPLAYS ?? 6);
/** Paced replays (each as long as the capture, about 17 s), after the others. */
const PACED_REPLAYS = Number(process.env.VIGIL_BENCH_PACED_REPLAYS ?? 3);

/**
 * Runs vigil-collector (file programs on the work folder only; settle looks, and the file and leaf process rows when it
 * can make them, as the agent runs it) with its records going to `file`, until stopped.
 */
async function startCapture(binary, work, file) {
  const fd = openSync(file, 'w');
  const args = ['--no-network', '--watch', `${work}/`, '--poll-ms', '200', '--settle-ms', '500'];
  args.push('--script-ext', SCRIPT_EXTENSIONS.join(','));
  const features = collectorFeatures(binary);
  if (features.has('file-rows')) args.push('--file-rows');
  if (features.has('process-rows')) args.push('--process-rows');
  const child = spawn(binary, args, { stdio: ['ignore', fd, 'pipe'] });
  closeSync(fd);
  let stderr = '';
  child.stderr.on('data', (b) => {
    stderr += b;
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  // Attached once its first record (kind 'A') is in the file.
  for (const until = Date.now() + 30_000; ; ) {
    if (child.exitCode !== null) throw new Error(`vigil-collector exited with ${child.exitCode}: ${stderr.trim()}`);
    if (statSync(file).size >= 24) {
      if (readFileSync(file).subarray(4, 5).toString() !== 'A') throw new Error('vigil-collector wrote no A record');
      break;
    }
    if (Date.now() > until) throw new Error(`vigil-collector did not attach: ${stderr.trim()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return async () => {
    child.kill('SIGTERM');
    await exited;
  };
}

const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

export async function run(log) {
  const out = log ?? ((line) => process.stdout.write(`${line}\n`));
  if (process.getuid?.() !== 0) throw new Error('the agent-replay benchmark needs root (vigil-collector loads eBPF)');
  const root = mkdtempSync('/var/tmp/vigil-bench-replay-');
  const work = mkdtempSync(join(tmpdir(), 'vigil-bench-work-'));
  try {
    const build = await buildCollector(join(root, 'agent'), () => undefined);
    if (!('path' in build)) throw new Error(`vigil-collector cannot be built: ${build.why}`);
    out(
      `workload: ${PROCESSES.toLocaleString('en')} process starts, ${FILE_WRITES.toLocaleString('en')} writes to ${FILES.toLocaleString('en')} scripts in ${work}`,
    );
    runWorkload(work); // warm-up (page cache, node start)
    const alone = runWorkload(work);
    out(`without the agent: workload CPU ${alone.cpu.toFixed(2)} s, wall ${alone.wall.toFixed(2)} s`);

    const capture = join(root, 'capture.bin');
    const stop = await startCapture(build.path, work, capture);
    runWorkload(work);
    await stop();
    const bytes = readFileSync(capture);
    const features = collectorFeatures(build.path);
    out(
      `capture: ${(bytes.length / 1e6).toFixed(1)} MB of vigil-collector records` +
        (features.has('file-rows')
          ? ' (file rows made by the collector, --file-rows)'
          : ' (settle looks; the agent makes the file rows)') +
        (features.has('process-rows') ? ' (leaf process rows, --process-rows)' : ''),
    );
    // The workload removed its scripts: they are written again (as its last round left them) before each replay,
    // to be looked at and hashed as the running agent does before the `rm` when the collector does not make the file
    // rows. Written anew, each replay hashes them again, as each run of the workload makes the agent do (a new mtime
    // and ctime miss the hash cache).
    const writeScripts = () => {
      mkdirSync(work, { recursive: true });
      for (let i = 0; i < FILES; i++) writeFileSync(`${work}/f${i}.sh`, `#!/bin/sh\necho ${FILE_WRITES / FILES - 1}\n`);
      // On disk before the replay: else the spool's first fsync writes them back (ext4's ordered journal), in its CPU.
      spawnSync('sync');
    };

    // The agent hashes each image once: the workload's node binary (99 MB) was hashed before the `agent`
    // benchmark's window (its own `vigil sql` counts run it), so here too.
    const hasher = new FileHasher();
    await hasher.hash(process.execPath);
    /** One replay (the scripts written anew first): its CPU seconds and what it made. */
    const timedReplay = async (name, paced) => {
      writeScripts();
      const spoolDir = join(root, `spool-${name}`);
      const cpu0 = cpuNow();
      const r = await replayCapture(bytes, { spoolDir, watchPaths: [work], hasher, paced });
      const cpu = cpuNow() - cpu0;
      rmSync(spoolDir, { recursive: true, force: true });
      return { cpu, r };
    };
    const cpus = [];
    for (let i = 0; i < REPLAYS; i++) {
      const { cpu, r } = await timedReplay(`fast-${i}`, false);
      cpus.push(cpu);
      const workRows = `${r.rowsByTable.DeviceProcessEvents ?? 0} DeviceProcessEvents, ${r.rowsByTable.DeviceFileEvents ?? 0} DeviceFileEvents`;
      out(`replay ${i + 1}: ${cpu.toFixed(2)} CPU s, ${r.records.toLocaleString('en')} records, ${workRows}`);
    }
    // The same records at the pace they came (rounds of 200 ms, the sensors' and spool's timers), code warm.
    const paced = [];
    for (let i = 0; i < PACED_REPLAYS; i++) {
      const { cpu, r } = await timedReplay(`paced-${i}`, true);
      paced.push(cpu);
      out(`paced replay ${i + 1}: ${cpu.toFixed(2)} CPU s, ${r.rows.toLocaleString('en')} rows`);
    }
    const first = cpus[0];
    const warm = median(cpus.slice(1)) ?? first;
    const pacedWarm = median(paced);
    out(
      `ratios: event path CPU / workload CPU ${(first / alone.cpu).toFixed(3)} (first replay), ` +
        `${(warm / alone.cpu).toFixed(3)} (median of the others)` +
        (pacedWarm === undefined ? '' : `, ${(pacedWarm / alone.cpu).toFixed(3)} (median of the paced replays)`),
    );
    return [
      cpuShare('agent_replay_cpu_share', first, alone.cpu),
      cpuShare('agent_replay_cpu_share_warm', warm, alone.cpu),
      ...(pacedWarm === undefined ? [] : [cpuShare('agent_replay_paced_cpu_share', pacedWarm, alone.cpu)]),
    ];
  } finally {
    for (const d of [root, work]) rmSync(d, { recursive: true, force: true });
  }
}

/** The median of some numbers (the lower middle one of an even count); undefined for none. */
function median(xs) {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}
