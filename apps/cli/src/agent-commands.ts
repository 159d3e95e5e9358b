import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import {
  AGENT_NODE_FLAGS,
  type EbpfProgram,
  installAgentService,
  type ProcessSourceKind,
  runAgent,
} from '@vigil/agent';
import { type Command, Option } from 'commander';

const out = (s: string): void => {
  process.stdout.write(`${s}\n`);
};

function onSignals(stop: () => Promise<unknown>): void {
  const shutdown = (signal: string) => {
    out(`${signal}: stopping`);
    stop().then(
      () => process.exit(0),
      (e: unknown) => {
        process.stderr.write(`vigil: stop failed: ${String(e)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

const sourceOption = () =>
  new Option('--process-source <kind>', 'process sensor: eBPF (bpftrace), audit, /proc polling, or the best available')
    .choices(['auto', 'ebpf', 'audit', 'proc'])
    .default('auto');

const ebpfOption = () =>
  new Option('--ebpf <program>', 'what runs the eBPF sensors: vigil-collector (built on first use), bpftrace, or auto')
    .choices(['auto', 'collector', 'bpftrace'])
    .default('auto')
    .env('VIGIL_EBPF');

const SENSOR_NAMES = ['process', 'network', 'files', 'logons', 'deviceState', 'inventory'] as const;

interface AgentCliOptions {
  readonly server?: string;
  readonly enrollToken?: string;
  readonly dataDir: string;
  readonly processSource: ProcessSourceKind;
  readonly ebpf: EbpfProgram;
  readonly sensors: string;
  readonly response: boolean;
}

/** `--sensors process,files` → which sensors run; `all` (default) or `none`. */
export function sensorSelection(list: string): Record<(typeof SENSOR_NAMES)[number], boolean> {
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const all = names.includes('all');
  const unknown = names.filter((n) => n !== 'all' && n !== 'none' && !(SENSOR_NAMES as readonly string[]).includes(n));
  if (unknown.length > 0) {
    throw new Error(
      `unknown sensor ${unknown.map((u) => `"${u}"`).join(', ')}: use ${SENSOR_NAMES.join(', ')}, all or none`,
    );
  }
  return Object.fromEntries(SENSOR_NAMES.map((n) => [n, all || names.includes(n)])) as Record<
    (typeof SENSOR_NAMES)[number],
    boolean
  >;
}

/** `vigil agent` (the Linux endpoint agent) and `vigil start` (server, portal and a local agent: `npm start`). */
export function addAgentCommands(program: Command): void {
  const agentCommand = program
    .command('agent')
    .enablePositionalOptions()
    .description('run the Linux endpoint agent: enroll once, then send telemetry to the server')
    // Checked in the action, not by commander: commander checks a parent's required options for its subcommands too.
    .option('--server <url>', 'the tenant server, e.g. http://127.0.0.1:8470 (required)')
    .option('--enroll-token <token>', 'device enrollment token (first run only)')
    .option('--data-dir <dir>', 'the agent identity and spool', '/var/lib/vigil-agent')
    .addOption(sourceOption())
    .addOption(ebpfOption())
    .option('--sensors <list>', `sensors to run, comma-separated: ${SENSOR_NAMES.join(', ')}, or none`, 'all')
    .option('--no-response', 'do not take response actions (isolate, kill, quarantine, package, live response)')
    .action(async (o: AgentCliOptions) => {
      const server = o.server;
      if (!server) {
        agentCommand.error("error: required option '--server <url>' not specified");
        return;
      }
      // V8's young generation is left to grow under bursts of events (from 2 x 1 MB up to 2 x 16 MB). Held at 2 x 1 MB
      // (--semi-space-growth-factor=1, from the sixth to the eleventh session), the agent benchmark's events outlived
      // it: 258 scavenges and 10 mark-compacts took 307 ms of the main thread (--trace-gc) against 42 and 6 taking
      // 123 ms when it grows; agent CPU 0.81-1.19 s against 0.85-1.20 s in four pairs, peak RSS 101-117 MB against
      // 95-96 MB (the goal is under 150 MB).
      // V8 drops the bytecode (and with it the type feedback) of functions it has not run for a few major GCs. The
      // agent's hot paths run in bursts: after an idle half minute their bytecode went, the optimized code of the
      // whole event path was thrown away in one GC ("weak objects"), and the next burst compiled it all again: 71
      // TurboFan compiles in a third benchmark round, 29 with the bytecode kept (V8's code log). Read at each GC.
      setFlagsFromString('--no-flush-bytecode');
      // TurboFan compiles without inlining callees, at V8's default interrupt budget: each compile is cheaper, and a
      // callee meeting a new kind of event no longer throws away the optimized code of the callers that had inlined
      // it. 16 times the budget (tenth to twelfth session) had left most of the event path in baseline code, where
      // every property load calls an inline-cache stub (`perf`: builtins 34% of the agent's CPU). Thirteenth
      // session, benchmark runs in turns with the twelfth session's code: warm runs 0.71 s mean (9 runs) against
      // 0.80 s (7), the main thread 0.48-0.56 s against 0.54-0.82 s (7 pairs); first runs 0.87 against 0.88 s.
      // The default budget with inlining: first runs 0.97-1.28 s (4). Read at each compile.
      setFlagsFromString('--no-turbo-inlining');
      const agent = await runAgent({
        server,
        dataDir: resolve(o.dataDir),
        processSource: o.processSource,
        ebpfProgram: o.ebpf,
        sensors: sensorSelection(o.sensors),
        response: o.response,
        ...(o.enrollToken ? { enrollToken: o.enrollToken } : {}),
      });
      out(
        `vigil agent ${agent.deviceId} of tenant ${agent.tenant} sending to ${o.server} (process source: ${agent.processSource})`,
      );
      onSignals(() => agent.stop());
    });

  agentCommand
    .command('install')
    .description('enroll now and write a systemd unit that runs the agent (enabled and started when systemd runs)')
    .requiredOption('--server <url>', 'the tenant server, e.g. https://vigil.example.org')
    .option('--enroll-token <token>', 'device enrollment token (not needed when DIR is already enrolled)')
    .option('--data-dir <dir>', 'the agent identity and spool', '/var/lib/vigil-agent')
    .option('--unit-dir <dir>', 'where to write vigil-agent.service (a folder other than the default is not enabled)')
    .option('--no-enable', 'only write the unit; do not run systemctl')
    .addOption(sourceOption())
    .addOption(ebpfOption())
    .action(
      async (o: {
        server: string;
        enrollToken?: string;
        dataDir: string;
        unitDir?: string;
        enable: boolean;
        processSource: ProcessSourceKind;
        ebpf: EbpfProgram;
      }) => {
        const r = await installAgentService({
          server: o.server,
          dataDir: resolve(o.dataDir),
          vigilCommand: [process.execPath, ...AGENT_NODE_FLAGS, resolve(process.argv[1] as string)],
          processSource: o.processSource,
          ebpf: o.ebpf,
          enable: o.enable,
          ...(o.enrollToken ? { enrollToken: o.enrollToken } : {}),
          ...(o.unitDir ? { unitDir: resolve(o.unitDir) } : {}),
        });
        out(`${r.enrolled ? 'enrolled' : 'already enrolled:'} device ${r.deviceId} in tenant ${r.tenant}`);
        out(`wrote ${r.unitPath}`);
        if (r.collector && 'path' in r.collector) out(`eBPF: vigil-collector ready (${r.collector.path})`);
        else if (r.collector)
          out(
            `eBPF: vigil-collector cannot be built here (${r.collector.why}); the agent will use bpftrace if it is ` +
              'installed (apt install clang bpftool libbpf-dev gives the collector)',
          );
        out(r.started ? 'vigil-agent.service enabled and started' : `to start it: ${r.nextSteps.join(' && ')}`);
      },
    );

  program
    .command('start')
    .description('run the server with the portal, and a local agent enrolled into the default tenant (npm start)')
    .requiredOption('--data <dir>', 'the server data folder')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <n>', 'port to listen on', (v) => Number(v), 8470)
    .option('--no-agent', 'do not start the local agent')
    .addOption(sourceOption())
    .action(
      async (o: { data: string; host: string; port: number; agent: boolean; processSource: ProcessSourceKind }) => {
        const { startServer } = await import('@vigil/server');
        const server = await startServer({ data: o.data, host: o.host, port: o.port, log: false });
        out(`vigil server listening on ${server.url} (data: ${resolve(o.data)}); the portal is at ${server.url}/`);
        let stopAgent: () => Promise<unknown> = async () => undefined;
        if (o.agent) {
          const dataDir = join(resolve(o.data), 'local-agent');
          const enrolled = existsSync(join(dataDir, 'agent.json'));
          const token = enrolled
            ? undefined
            : (
                await (
                  await server.data.tenant('default')
                ).service.createEnrollToken({ name: 'local agent', maxUses: 1 })
              ).token;
          const agent = await runAgent({
            server: server.url,
            dataDir,
            processSource: o.processSource,
            ...(token ? { enrollToken: token } : {}),
          });
          out(`local agent ${agent.deviceId} enrolled in tenant default (process source: ${agent.processSource})`);
          stopAgent = () => agent.stop();
        }
        onSignals(async () => {
          await stopAgent();
          await server.stop();
        });
      },
    );
}
