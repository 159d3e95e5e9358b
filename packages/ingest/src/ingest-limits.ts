/** Size limits of ingestion; every one is enforced with a clear error. */
export interface IngestLimits {
  /** Largest request body as sent (compressed), in bytes. */
  readonly maxBodyBytes: number;
  /** Largest batch after decompression, in bytes. */
  readonly maxDecodedBytes: number;
  /** Most rows in one batch. */
  readonly maxRows: number;
  /** Largest string or dynamic value, in bytes. */
  readonly maxFieldBytes: number;
  /** Most batches waiting to be written per tenant before new ones get 429. */
  readonly maxQueuedBatches: number;
  /** Most rows waiting to be written per tenant before new batches get 429. */
  readonly maxQueuedRows: number;
}

/** The defaults: 16 MiB bodies, 64 MiB decoded, 100,000 rows, 1 MiB fields, 64 batches or 500,000 rows queued. */
export const defaultIngestLimits: IngestLimits = {
  maxBodyBytes: 16 * 1024 * 1024,
  maxDecodedBytes: 64 * 1024 * 1024,
  maxRows: 100_000,
  maxFieldBytes: 1024 * 1024,
  maxQueuedBatches: 64,
  maxQueuedRows: 500_000,
};
