export { type Clock, ManualClock, systemClock } from './clock.js';
export { type Diagnostic, formatDiagnostic, type SourceLocation } from './diagnostic.js';
export { ipv6Text } from './ip.js';
export { isValidBatchId, isValidTenantName } from './names.js';
export { err, ok, type Result } from './result.js';
export { isVigilError, VigilError, type VigilErrorOptions } from './vigil-error.js';
