// `npm test`: build, lint and format check, dependency rules, then every test; ends with "N passed, M failed".
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const run = (cmd, args) => {
  process.stdout.write(`\n> ${cmd} ${args.join(' ')}\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    process.stdout.write(`\n${cmd} ${args.join(' ')} failed (exit ${r.status})\n0 passed, 1 failed\n`);
    process.exit(1);
  }
};

run('npx', ['tsc', '-b']);
// Cross-package tests (tests/) are type-checked on their own: no package builds them.
run('npx', ['tsc', '-p', 'tests']);
run('npm', ['run', 'typecheck', '-w', '@vigil/portal']);
run('npm', ['run', 'build', '-w', '@vigil/portal']);
run('npx', ['biome', 'check', '--error-on-warnings', '.']);
run('npx', ['depcruise', 'packages/*/src', 'apps/*/src', '--config', '.dependency-cruiser.cjs']);

// The tests' temporary files, and those of the servers, agents and browsers they start, go under one folder
// (TMPDIR), removed after the run: a run leaves nothing in /tmp. It is open to all as /tmp is, since some tests run
// processes as other users.
const dir = mkdtempSync(join(tmpdir(), 'vigil-test-'));
chmodSync(dir, 0o1777);
const report = join(dir, 'vitest.json');
const extra = process.argv.slice(2);
const r = spawnSync(
  'npx',
  ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...extra],
  {
    stdio: 'inherit',
    env: { ...process.env, TMPDIR: dir },
  },
);
let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const json = JSON.parse(readFileSync(report, 'utf8'));
  passed = json.numPassedTests;
  failed = json.numFailedTests + (json.numFailedTestSuites ?? 0);
  skipped = json.numPendingTests + (json.numTodoTests ?? 0);
} catch {
  failed = Math.max(1, failed);
}
try {
  rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
} catch (e) {
  // A process a test left running may still be writing there: the results stand, the folder is named.
  process.stdout.write(`\ncould not remove the tests' temporary folder ${dir}: ${e.message}\n`);
}
if (r.status !== 0 && failed === 0) failed = 1;
process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exit(failed > 0 ? 1 : 0);
