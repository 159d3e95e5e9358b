// Dependency rules of DESIGN.md §3, checked by `npm test`.
// Layers point down this list; a package may import only packages of a lower rank.
const rank = [
  'base',
  'schema',
  'protocol',
  'sensors',
  'evtx',
  'windows',
  'hunting',
  'detection',
  'indicators',
  'storage',
  'storage-duckdb',
  'tenants',
  'incidents',
  'response',
  'importers',
  'ingest',
  'runtime',
];
const pure = ['base', 'schema', 'protocol', 'sensors', 'evtx', 'windows', 'hunting', 'detection', 'indicators'];
const apps = ['server', 'agent', 'portal', 'cli'];

const forbidden = [
  {
    name: 'no-circular',
    severity: 'error',
    from: {},
    to: { circular: true },
  },
  {
    name: 'no-relative-sibling-imports',
    comment: 'import a sibling package by its name only',
    severity: 'error',
    from: { path: '^(packages|apps)/([^/]+)/' },
    to: { path: '^(packages|apps)/', pathNot: '^$1/$2/', dependencyTypesNot: ['aliased-workspace'] },
  },
  {
    name: 'declared-dependencies-only',
    comment: 'every npm import must be declared in the package.json of the importing package',
    severity: 'error',
    from: { path: '^(packages|apps)/', pathNot: '\\.test\\.ts$' },
    to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
  },
  {
    name: 'pure-packages',
    comment: 'base, schema, protocol, hunting and detection take data and return data: no node builtins, no drivers',
    severity: 'error',
    from: { path: `^packages/(${pure.join('|')})/src/`, pathNot: '\\.test\\.ts$' },
    to: { dependencyTypes: ['core'] },
  },
  {
    name: 'pure-packages-no-drivers',
    severity: 'error',
    from: { path: `^packages/(${pure.join('|')})/src/`, pathNot: '\\.test\\.ts$' },
    to: { path: 'node_modules/(@duckdb|better-sqlite3|fastify|@clickhouse|nats)' },
  },
  {
    name: 'apps-never-import-apps',
    comment: 'except that cli, the one vigil binary, starts the server and the agent',
    severity: 'error',
    from: { path: `^apps/(${apps.join('|')})/` },
    to: { path: `^apps/(${apps.join('|')})/`, pathNot: ['^apps/$1/', '^apps/(server|agent)/'] },
  },
  {
    name: 'apps-never-import-apps-strict',
    severity: 'error',
    from: { path: '^apps/(server|agent|portal)/' },
    to: { path: '^apps/', pathNot: '^apps/$1/' },
  },
];

// Rank rules: packages/X may not import packages/Y when Y ranks at or above X (other than itself).
rank.forEach((name, i) => {
  const higher = rank.slice(i + 1);
  if (higher.length === 0) return;
  forbidden.push({
    name: `rank-${name}`,
    comment: `${name} may only import packages below it: ${rank.slice(0, i).join(', ') || 'none'}`,
    severity: 'error',
    from: { path: `^packages/${name}/` },
    to: { path: `^(packages/(${higher.join('|')})|apps)/` },
  });
});
forbidden.push({
  name: 'packages-never-import-apps',
  severity: 'error',
  from: { path: '^packages/' },
  to: { path: '^apps/' },
});

module.exports = {
  forbidden,
  options: {
    // Sibling packages resolve to their dist/ (package exports); those files are leaves, not cruised.
    doNotFollow: { path: ['node_modules', '/dist/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    combinedDependencies: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'types', 'default'],
      extensions: ['.ts', '.js'],
    },
    preserveSymlinks: false,
  },
};
