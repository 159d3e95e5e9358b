import { resolve } from 'node:path';
import { formatDiagnostic, isVigilError } from '@vigil/base';
import { type Role, roles } from '@vigil/storage';
import { Command, InvalidArgumentError, Option } from 'commander';
import { addAgentCommands } from './agent-commands.js';
import { formatRows, type RowFormat } from './format-rows.js';
import { formatImportSummary } from './import-summary.js';
import { addHuntCommand, addKqlCommands } from './kql-commands.js';
import { progressBar } from './progress.js';
import { addRulesCommands } from './rules-commands.js';
import { withAdmin } from './with-admin.js';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive whole number');
  return n;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number 0-65535');
  return n;
}

const out = (s: string): void => {
  process.stdout.write(s.endsWith('\n') ? s : `${s}\n`);
};
const dataOption = () => new Option('--data <dir>', 'the server data folder').makeOptionMandatory();
const roleOption = () => new Option('--role <role>', 'the role granted').choices(roles).default('viewer');

/** Builds the `vigil` command tree. */
export function buildProgram(): Command {
  const program = new Command('vigil')
    .description('Vigil: self-hosted endpoint detection and response')
    // Options belong to the command they follow (`vigil agent install --server …` is install's --server).
    .enablePositionalOptions()
    .showHelpAfterError();
  program.configureOutput({ writeErr: (s) => process.stderr.write(s) });

  program
    .command('server')
    .description('run the tenant server: HTTP API, ingestion, storage and the local admin socket')
    .addOption(dataOption())
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <n>', 'port to listen on', port, 8470)
    .option('--quiet', 'do not log requests')
    .option('--externaldata-dir <dir>', 'the only folder KQL externaldata may read')
    .action(async (o: { data: string; host: string; port: number; quiet?: boolean; externaldataDir?: string }) => {
      // Each command loads its own code: `vigil agent` on an endpoint never loads the server.
      const { startServer } = await import('@vigil/server');
      const server = await startServer({
        data: o.data,
        host: o.host,
        port: o.port,
        log: !o.quiet,
        ...(o.externaldataDir ? { externalDataDir: o.externaldataDir } : {}),
      });
      out(`vigil server listening on ${server.url} (data: ${resolve(o.data)})`);
      const shutdown = (signal: string) => {
        out(`${signal}: stopping after the queued batches are stored`);
        server.stop().then(
          () => process.exit(0),
          (e: unknown) => {
            process.stderr.write(`vigil: stop failed: ${String(e)}\n`);
            process.exit(1);
          },
        );
      };
      process.once('SIGINT', () => shutdown('SIGINT'));
      process.once('SIGTERM', () => shutdown('SIGTERM'));
    });

  const tenant = program.command('tenant').description('manage tenants');
  tenant
    .command('create <name>')
    .description('create a tenant with its own storage and print its first admin credential')
    .addOption(dataOption())
    .action((name: string, o: { data: string }) =>
      withAdmin(o.data, async (ops) => {
        const r = await ops.createTenant(name);
        out(`Created tenant "${r.name}". Its first admin (the password is shown only now, and stored hashed):`);
        out(`  user: ${r.admin.name}`);
        out(`  password: ${r.admin.password}`);
      }),
    );
  tenant
    .command('list')
    .description('list tenants')
    .addOption(dataOption())
    .action((o: { data: string }) =>
      withAdmin(o.data, async (ops) => {
        for (const t of await ops.listTenants()) out(`${t.name}\t${t.createdAt}`);
      }),
    );
  tenant
    .command('enroll-token <name>')
    .description('print a new device enrollment token of a tenant')
    .addOption(dataOption())
    .option('--expires-in-hours <n>', 'expire the token after this many hours', positiveInt)
    .option('--max-uses <n>', 'let at most this many devices enroll with it', positiveInt)
    .action((name: string, o: { data: string; expiresInHours?: number; maxUses?: number }) =>
      withAdmin(o.data, async (ops) => {
        const r = await ops.createEnrollToken(name, {
          ...(o.expiresInHours !== undefined ? { expiresInHours: o.expiresInHours } : {}),
          ...(o.maxUses !== undefined ? { maxUses: o.maxUses } : {}),
        });
        out(r.token);
      }),
    );
  tenant
    .command('retention <name> <days>')
    .description('set how many days of telemetry a tenant keeps (default 180)')
    .addOption(dataOption())
    .action((name: string, days: string, o: { data: string }) =>
      withAdmin(o.data, async (ops) =>
        out(`retention of ${name}: ${(await ops.setRetention(name, Number(days))).retentionDays} days`),
      ),
    );

  program
    .command('user')
    .description('manage users')
    .command('add <name>')
    .description('create or reset a user of a tenant; prints the password when none is given')
    .addOption(dataOption())
    .requiredOption('--tenant <name>', 'the tenant')
    .addOption(roleOption())
    .option('--password <password>', 'the password (at least 12 characters); generated when absent')
    .action((name: string, o: { data: string; tenant: string; role: Role; password?: string }) =>
      withAdmin(o.data, async (ops) => {
        const r = await ops.putUser(o.tenant, name, o.role, o.password);
        out(`user ${r.name} (${r.role}) saved in tenant ${o.tenant}`);
        if (o.password === undefined) out(`  password: ${r.password}`);
      }),
    );

  program
    .command('token')
    .description('manage API tokens')
    .command('create <name>')
    .description('print a new API token for scripts')
    .addOption(dataOption())
    .requiredOption('--tenant <name>', 'the tenant')
    .addOption(roleOption())
    .option('--expires-in-hours <n>', 'expire the token after this many hours', positiveInt)
    .action((name: string, o: { data: string; tenant: string; role: Role; expiresInHours?: number }) =>
      withAdmin(o.data, async (ops) => out((await ops.createApiToken(o.tenant, name, o.role, o.expiresInHours)).token)),
    );

  program
    .command('import <paths...>')
    .description(
      'import telemetry into a tenant: NDJSON rows {"Table": ...}, .evtx, evtx_dump .json, Security-Datasets .json/.zip, Sysmon for Linux XML, and folders of them',
    )
    .addOption(dataOption())
    .requiredOption('--tenant <name>', 'the tenant')
    .option('--dry-run', 'read, normalize and validate everything, print what would be stored, store nothing')
    .action((paths: string[], o: { data: string; tenant: string; dryRun?: boolean }) =>
      withAdmin(o.data, async (ops) => {
        const bar = progressBar();
        try {
          const summary = await ops.importFiles(
            o.tenant,
            paths.map((f) => resolve(f)),
            { dryRun: o.dryRun === true, onProgress: (p) => bar.update(p.bytesDone, p.bytesTotal, p.phase) },
          );
          bar.stop();
          out(formatImportSummary(summary, o.tenant));
        } finally {
          bar.stop();
        }
      }),
    );

  program
    .command('sql <statement>')
    .description('developer aid: run SQL on a tenant telemetry store and print the rows')
    .addOption(dataOption())
    .requiredOption('--tenant <name>', 'the tenant')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'ndjson']).default('table'))
    .action((statement: string, o: { data: string; tenant: string; format: RowFormat }) =>
      withAdmin(o.data, async (ops) => out(formatRows(await ops.sql(o.tenant, statement), o.format))),
    );
  program
    .command('attack')
    .description('MITRE ATT&CK technique names and tactics')
    .command('import <file>')
    .description('import an ATT&CK STIX bundle (enterprise-attack.json) to name the techniques of alerts')
    .option('--data <dir>', 'the server data folder', './data')
    .action((file: string, o: { data: string }) =>
      withAdmin(o.data, async (ops) => {
        const r = await ops.importAttack(resolve(file));
        out(`imported ATT&CK ${r.version}: ${r.techniques} techniques`);
      }),
    );
  addAgentCommands(program);
  addRulesCommands(program);
  addHuntCommand(program);
  addKqlCommands(program);
  return program;
}

/** Runs the CLI; errors print their code, location and hint. */
export async function main(argv: readonly string[]): Promise<void> {
  try {
    await buildProgram().parseAsync([...argv]);
  } catch (e) {
    if (isVigilError(e)) {
      process.stderr.write(`vigil: ${e.code}: ${e.message}\n`);
      for (const d of e.details) process.stderr.write(`  ${formatDiagnostic(d)}\n`);
      if (e.hint) process.stderr.write(`  hint: ${e.hint}\n`);
      process.exitCode = 1;
      return;
    }
    throw e;
  }
}
