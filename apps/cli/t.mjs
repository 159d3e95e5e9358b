import { loadKusto } from '@vigil/hunting';
import { tables } from '@vigil/schema';
const k = await loadKusto(tables);
const { toCheckedTree } = await import('../../packages/hunting/dist/checked-tree.js');
const dump = (n, d=0) => { if (n.isToken) { console.log(' '.repeat(d)+'T '+JSON.stringify(n.text)); return; } console.log(' '.repeat(d)+n.kind+(n.type?' :'+n.type:'')+(n.columns?' cols['+n.columns.map(c=>c.name+':'+c.type).join(',')+']':'')); n.children.forEach(c=>dump(c,d+1)); };
for (const q of process.argv.slice(2)) { const r = k.analyze(q); console.log(r.problems); const t = toCheckedTree(r.root, k); dump(t); }
