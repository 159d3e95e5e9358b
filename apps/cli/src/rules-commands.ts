import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatDiagnostic } from '@vigil/base';
import type { AttackCatalog } from '@vigil/incidents';
import type { Command } from 'commander';
import { withAdmin } from './with-admin.js';

const out = (s: string): void => {
  process.stdout.write(s.endsWith('\n') ? s : `${s}\n`);
};

const collect = (value: string, previous: string[]) => [...previous, value];

/** `vigil rules check|add|list` and the offline `vigil detect`. */
export function addRulesCommands(program: Command): void {
  const rules = program.command('rules').description('Sigma rules');
  rules
    .command('check <paths...>')
    .description(
      'load every Sigma rule under the paths and print each one\'s status as a JSON line, then "N passed, M failed"',
    )
    .option('--pipelines <dir>', 'field-mapping pipelines (default: the bundled content/pipelines)')
    .action(async (paths: string[], o: { pipelines?: string }) => {
      const { loadPipelines, ruleFiles } = await import('@vigil/runtime');
      const { checkRules } = await import('@vigil/detection');
      const pipelines = loadPipelines(...(o.pipelines ? [resolve(o.pipelines)] : []));
      const results = checkRules(ruleFiles(paths.map((p) => resolve(p))), pipelines);
      let passed = 0;
      for (const r of results) {
        if (r.ok) passed++;
        out(
          JSON.stringify({
            path: r.path,
            ruleId: r.ruleId ?? null,
            title: r.title ?? null,
            ok: r.ok,
            diagnostics: r.diagnostics.map((d) => ({
              code: d.code,
              severity: d.severity,
              message: formatDiagnostic(d),
            })),
          }),
        );
      }
      out(`${passed} passed, ${results.length - passed} failed`);
      if (passed < results.length) process.exitCode = 1;
    });
  rules
    .command('add <dir>')
    .description('evaluate the Sigma rules of a folder (for example SigmaHQ rules/) at ingest, in every tenant')
    .option('--data <dir>', 'the server data folder', './data')
    .action((dir: string, o: { data: string }) =>
      withAdmin(o.data, async (ops) => {
        const r = await ops.addRules(resolve(dir));
        out(
          `added ${r.folder} (${r.files} rule files); ${r.rules} rules now run at ingest${r.problems ? `, ${r.problems} could not be loaded (see vigil rules check)` : ''}`,
        );
      }),
    );
  rules
    .command('list')
    .description('list the rule folders evaluated at ingest')
    .option('--data <dir>', 'the server data folder', './data')
    .action((o: { data: string }) =>
      withAdmin(o.data, async (ops) => {
        const r = await ops.listRules();
        for (const f of r.folders) out(f);
        out(`${r.rules} rules (with the bundled ones)`);
      }),
    );
  program
    .command('detect <inputs...>')
    .description('offline detection: run Sigma rules over EVTX/JSON/NDJSON files and print one JSON line per alert')
    .requiredOption('--rules <dir>', 'a folder of Sigma rules (repeatable)', collect, [])
    .option('--attack <file>', 'an ATT&CK STIX bundle to name the techniques')
    .action(async (inputs: string[], o: { rules: string[]; attack?: string }) => detect(inputs, o));
}

async function detect(inputs: string[], o: { rules: string[]; attack?: string }): Promise<void> {
  const { loadPipelines, ruleFiles } = await import('@vigil/runtime');
  const { compileRuleset } = await import('@vigil/detection');
  const { listInputs, readTelemetry } = await import('@vigil/importers');
  const { parseAttackBundle, resolveTechniques } = await import('@vigil/incidents');
  const ruleset = compileRuleset(ruleFiles(o.rules.map((r) => resolve(r))), loadPipelines());
  for (const d of ruleset.diagnostics.filter((x) => x.severity === 'error').slice(0, 20)) {
    process.stderr.write(`vigil: rule not loaded: ${formatDiagnostic(d)}\n`);
  }
  const catalog: AttackCatalog | undefined = o.attack
    ? parseAttackBundle(JSON.parse(readFileSync(o.attack, 'utf8')))
    : undefined;
  const state = ruleset.createState();
  const byRule = new Map<string, number>();
  let events = 0;
  let alerts = 0;
  let problems = 0;
  for (const file of listInputs(inputs.map((i) => resolve(i)))) {
    for await (const item of readTelemetry(file)) {
      if (item.kind === 'problem') {
        problems++;
        continue;
      }
      events++;
      const row = item.row;
      for (const m of ruleset.evaluate(
        { table: item.table, row, ...(item.original ? { original: item.original } : {}) },
        state,
      )) {
        if (m.correlationOnly) continue;
        alerts++;
        byRule.set(`${m.ruleId} ${m.title}`, (byRule.get(`${m.ruleId} ${m.title}`) ?? 0) + 1);
        out(
          JSON.stringify({
            rule_id: m.ruleId,
            rule_title: m.title,
            level: m.level,
            techniques: m.techniques,
            ...(catalog ? { technique_names: resolveTechniques(m.techniques, catalog).map((t) => t.name) } : {}),
            source: item.source,
            event: { Table: item.table, ...row },
            ...(m.correlation ? { correlation: m.correlation } : {}),
          }),
        );
      }
    }
  }
  process.stderr.write(
    `\n${alerts} alert(s) from ${events} event(s), ${ruleset.rules.length} rules, ${problems} unreadable record(s)\n`,
  );
  for (const [rule, n] of [...byRule].sort((a, b) => b[1] - a[1])) process.stderr.write(`  ${n}\t${rule}\n`);
}
