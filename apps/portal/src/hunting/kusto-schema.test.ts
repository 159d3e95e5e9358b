import { tables } from '@vigil/schema';
import { describe, expect, it } from 'vitest';
import { kustoEngineSchema } from './kusto-schema';

describe('kustoEngineSchema', () => {
  it('gives the editor every hunting table and column with its CLR type', () => {
    const schema = kustoEngineSchema();
    expect(schema.database.tables.map((t) => t.name)).toEqual(tables.map((t) => t.name));
    const process = schema.database.tables.find((t) => t.name === 'DeviceProcessEvents');
    expect(process?.columns.find((c) => c.name === 'Timestamp')?.type).toBe('System.DateTime');
    expect(process?.columns.find((c) => c.name === 'ProcessId')?.type).toBe('System.Int64');
    expect(schema.cluster.databases[0]).toBe(schema.database);
  });
});
