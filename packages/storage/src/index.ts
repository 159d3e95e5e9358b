export {
  type CredentialKind,
  type CredentialPatch,
  type CredentialRecord,
  type DevicePatch,
  type DeviceRecord,
  type DocumentQuery,
  type Role,
  roles,
  type StateStore,
  type UserRecord,
} from './state-store.js';
export type {
  BatchWrite,
  QueryOptions,
  QueryResult,
  Row,
  RowValue,
  TableCount,
  TelemetryStore,
  WriteOutcome,
} from './telemetry-store.js';
