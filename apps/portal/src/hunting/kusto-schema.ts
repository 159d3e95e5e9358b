import { type TableSpec, tables } from '@vigil/schema';

/** The database name our hunting tables live in, for the editor's language service. */
export const databaseName = 'Vigil';

const clrTypes: Readonly<Record<string, string>> = {
  string: 'System.String',
  datetime: 'System.DateTime',
  long: 'System.Int64',
  int: 'System.Int32',
  bool: 'System.Boolean',
  real: 'System.Double',
  dynamic: 'System.Object',
};

/** The hunting tables as a monaco-kusto `EngineSchema`, so the editor completes our tables and columns. */
export function kustoEngineSchema(specs: readonly TableSpec[] = tables) {
  const database = {
    name: databaseName,
    tables: specs.map((t) => ({
      name: t.name,
      docstring: t.description,
      columns: t.columns.map((c) => ({
        name: c.name,
        type: clrTypes[c.type] ?? 'System.Object',
        docstring: c.description,
      })),
    })),
    functions: [],
    entityGroups: [],
    majorVersion: 1,
    minorVersion: 0,
  };
  return {
    clusterType: 'Engine' as const,
    cluster: { connectionString: 'https://vigil.local', databases: [database] },
    database,
  };
}
