import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderTablesMarkdown } from './render-tables-markdown.js';
import { tables } from './tables.js';

const docPath = new URL('../../../docs/reference/tables.md', import.meta.url);

describe('docs/reference/tables.md', () => {
  it('matches the table specs', () => {
    let onDisk = '';
    try {
      onDisk = readFileSync(docPath, 'utf8');
    } catch (error) {
      expect.fail(`cannot read docs/reference/tables.md (${String(error)}): run \`npm run docs\``);
    }
    expect(onDisk, 'docs/reference/tables.md is out of date: run `npm run docs`').toBe(renderTablesMarkdown(tables));
  });

  it('renders deterministically, with a contents entry and a section per table', () => {
    const markdown = renderTablesMarkdown(tables);
    expect(renderTablesMarkdown(tables)).toBe(markdown);
    for (const table of tables) {
      expect(markdown).toContain(`](#${table.name.toLowerCase()})`);
      expect(markdown).toContain(`\n### ${table.name}\n`);
    }
  });
});
