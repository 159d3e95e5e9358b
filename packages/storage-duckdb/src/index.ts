export { DuckdbStateStore } from './duckdb-state-store.js';
export { type DuckdbTelemetryOptions, DuckdbTelemetryStore } from './duckdb-telemetry-store.js';
export { duckdbTypes, quoteIdent } from './duckdb-types.js';
