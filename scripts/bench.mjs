// `npm run bench -- [name...]`: runs the named benchmarks, or all of them (see DESIGN §7). Each prints
// human-readable lines, then one JSON line per figure: {"bench","metric","value","unit","baseline","ratio"}.

/** Every benchmark, in the order `npm run bench` runs them; add new ones here. */
const benchmarks = [
  { name: 'ingest', load: () => import('../bench/ingest.mjs') },
  { name: 'evtx', load: () => import('../bench/evtx.mjs') },
  { name: 'hunt', load: () => import('../bench/hunt.mjs') },
  { name: 'agent', load: () => import('../bench/agent.mjs') },
  { name: 'agent-replay', load: () => import('../bench/agent-replay.mjs') },
];

function usage() {
  const lines = ['benchmarks:', ...benchmarks.map((b) => `  ${b.name}`), 'usage: npm run bench -- [name...]'];
  return `${lines.join('\n')}\n`;
}

const names = process.argv.slice(2);
const unknown = names.filter((n) => !benchmarks.some((b) => b.name === n));
if (unknown.length > 0) {
  process.stderr.write(`unknown benchmark: ${unknown.join(', ')}\n${usage()}`);
  process.exit(1);
}
const selected = names.length === 0 ? benchmarks : benchmarks.filter((b) => names.includes(b.name));

let failed = 0;
for (const bench of selected) {
  const mod = await bench.load();
  process.stdout.write(`\n== ${bench.name}: ${mod.description}\n`);
  try {
    const figures = await mod.run((line) => process.stdout.write(`${line}\n`));
    for (const f of figures) {
      const { metric, value, unit, baseline, ratio } = f;
      process.stdout.write(`${JSON.stringify({ bench: bench.name, metric, value, unit, baseline, ratio })}\n`);
    }
  } catch (e) {
    failed++;
    process.stderr.write(
      `benchmark ${bench.name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
  }
}
process.exit(failed > 0 ? 1 : 0);
