// Writes the generated reference docs from the built packages. Run it with `npm run docs`, which builds first;
// a test in each package fails when its checked-in document differs from a fresh rendering.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderTablesMarkdown, tables } from '@vigil/schema';

const outputs = [{ path: new URL('../docs/reference/tables.md', import.meta.url), text: renderTablesMarkdown(tables) }];

for (const { path, text } of outputs) {
  const file = fileURLToPath(path);
  let current;
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    current = undefined;
  }
  if (current === text) {
    console.log(`unchanged ${file}`);
    continue;
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  console.log(`wrote     ${file}`);
}
