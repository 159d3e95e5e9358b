import { type TableSpec, tables } from '@vigil/schema';
import { useState } from 'react';

/** The hunting tables and their columns; a click inserts a name into the editor. */
export function SchemaBrowser({
  onInsert,
  rows,
  specs = tables,
}: {
  readonly onInsert: (text: string) => void;
  /** Rows per table, when the tenant's counts are known. */
  readonly rows?: ReadonlyMap<string, number> | undefined;
  readonly specs?: readonly TableSpec[];
}) {
  const [open, setOpen] = useState<string | null>(null);
  const [filter, setFilter] = useState('');
  const needle = filter.trim().toLowerCase();
  const shown = specs.filter(
    (t) =>
      !needle || t.name.toLowerCase().includes(needle) || t.columns.some((c) => c.name.toLowerCase().includes(needle)),
  );
  return (
    <aside className="schema" aria-label="Schema">
      <h2>Schema</h2>
      <input
        type="search"
        aria-label="Filter tables and columns"
        placeholder="Filter tables, columns"
        value={filter}
        onChange={(e) => setFilter(e.target.value)}
      />
      <ul className="tables">
        {shown.map((t) => (
          <li key={t.name}>
            <div className="table-row">
              <button
                type="button"
                className="toggle"
                aria-expanded={open === t.name || needle !== ''}
                onClick={() => setOpen(open === t.name ? null : t.name)}
              >
                {open === t.name || needle ? '▾' : '▸'}
              </button>
              <button type="button" className="name" title={t.description} onClick={() => onInsert(t.name)}>
                {t.name}
              </button>
              {rows?.has(t.name) ? <span className="rows">{rows.get(t.name)?.toLocaleString('en-US')}</span> : null}
            </div>
            {open === t.name || needle ? (
              <ul className="columns">
                {t.columns
                  .filter(
                    (c) =>
                      !needle ||
                      open === t.name ||
                      c.name.toLowerCase().includes(needle) ||
                      t.name.toLowerCase().includes(needle),
                  )
                  .map((c) => (
                    <li key={c.name}>
                      <button type="button" title={c.description} onClick={() => onInsert(c.name)}>
                        {c.name} <span className="type">{c.type}</span>
                      </button>
                    </li>
                  ))}
              </ul>
            ) : null}
          </li>
        ))}
      </ul>
    </aside>
  );
}
