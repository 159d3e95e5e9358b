import type { DataDir } from '@vigil/runtime';
import { Counter, Gauge, Registry } from 'prom-client';

/** Prometheus metrics, read from the tenants' own counters at scrape time. */
export function createMetrics(data: DataDir): Registry {
  const registry = new Registry();
  const tenants = () => data.openTenants();

  new Counter({
    name: 'vigil_rows_ingested_total',
    help: 'Rows stored, per tenant and table',
    labelNames: ['tenant', 'table'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const t of await tenants())
        for (const [table, n] of t.counters.rowsIngested) this.inc({ tenant: t.name, table }, n);
    },
  });
  new Counter({
    name: 'vigil_batches_stored_total',
    help: 'Batches stored, per tenant',
    labelNames: ['tenant'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const t of await tenants()) this.inc({ tenant: t.name }, t.counters.batchesStored);
    },
  });
  new Counter({
    name: 'vigil_batches_duplicate_total',
    help: 'Batches acknowledged again without storing them (seen before), per tenant',
    labelNames: ['tenant'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const t of await tenants()) this.inc({ tenant: t.name }, t.counters.batchesDuplicate);
    },
  });
  new Counter({
    name: 'vigil_batches_rejected_total',
    help: 'Batches rejected, per tenant and error code',
    labelNames: ['tenant', 'code'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const t of await tenants())
        for (const [code, n] of t.counters.batchesRejected) this.inc({ tenant: t.name, code }, n);
    },
  });
  new Gauge({
    name: 'vigil_ingest_queue_depth',
    help: 'Batches waiting to be written, per tenant',
    labelNames: ['tenant'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const t of await tenants()) this.set({ tenant: t.name }, t.queue.depth());
    },
  });
  new Gauge({
    name: 'vigil_store_size_bytes',
    help: 'Bytes of telemetry storage on disk, per tenant',
    labelNames: ['tenant'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const t of await tenants()) this.set({ tenant: t.name }, t.telemetry.sizeBytes());
    },
  });
  return registry;
}
