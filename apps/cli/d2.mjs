import { loadKusto, KqlCompiler, duckdbDialect } from '@vigil/hunting';
import { tables } from '@vigil/schema';
const c = new KqlCompiler(await loadKusto(tables), tables, duckdbDialect);
for (const q of process.argv.slice(2)) { const r = c.compile(q); console.log(JSON.stringify(q), '=>', 'stage' in r ? JSON.stringify(r) : r.sql + '\n' + JSON.stringify(r.params) + '\n' + r.columns.map(c=>c.name+':'+c.type).join(',')); }
