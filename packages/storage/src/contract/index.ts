export { type StateStoreFixture, stateStoreContract } from './state-store-contract.js';
export { type TelemetryStoreFixture, telemetryStoreContract } from './telemetry-store-contract.js';
