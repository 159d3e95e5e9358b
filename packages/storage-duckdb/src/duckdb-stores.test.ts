import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tables } from '@vigil/schema';
import { stateStoreContract, telemetryStoreContract } from '@vigil/storage/contract';
import { DuckdbStateStore } from './duckdb-state-store.js';
import { DuckdbTelemetryStore } from './duckdb-telemetry-store.js';

telemetryStoreContract('DuckDB file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-duck-'));
  const store = await DuckdbTelemetryStore.open({
    file: join(dir, 't.duckdb'),
    journalDir: join(dir, 'journal'),
    tables,
  });
  return {
    store,
    async dispose() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

stateStoreContract('DuckDB file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-duck-'));
  const store = await DuckdbStateStore.open(join(dir, 's.duckdb'));
  return {
    store,
    async dispose() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
