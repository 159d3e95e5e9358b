export {
  type DecodedBatch,
  type DecodeOptions,
  type DeviceIdentity,
  decodeBatch,
  inflate,
  lineText,
} from './decode-batch.js';
export { defaultIngestLimits, type IngestLimits } from './ingest-limits.js';
export { IngestQueue, type QueueLimits, type SubmitOutcome } from './ingest-queue.js';
