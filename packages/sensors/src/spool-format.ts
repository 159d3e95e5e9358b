/** A sealed batch file of the spool: `b-<seq, 12 digits>-<batch id>-<rows>.ndjson.gz`. */
export interface BatchName {
  readonly seq: number;
  readonly batchId: string;
  readonly rows: number;
}

const BATCH_FILE = /^b-(\d{12})-([A-Za-z0-9._:]+)-(\d+)\.ndjson\.gz$/;

/** The file name of a sealed batch; names sort in the order batches were sealed. */
export function batchFileName(b: BatchName): string {
  return `b-${String(b.seq).padStart(12, '0')}-${b.batchId}-${b.rows}.ndjson.gz`;
}

/** Reads a batch file name back; undefined for other files (the open segment, temporaries). */
export function parseBatchFileName(name: string): BatchName | undefined {
  const m = BATCH_FILE.exec(name);
  return m ? { seq: Number(m[1]), batchId: m[2] as string, rows: Number(m[3]) } : undefined;
}

/** A batch id unique to this device: the agent instance and the batch's sequence number. */
export function makeBatchId(instance: string, seq: number): string {
  return `${instance}.${seq}`;
}

/** Splits the text of an open segment into complete rows; a torn last line (a crash mid-append) is dropped. */
export function segmentRows(text: string): { rows: string[]; torn: boolean } {
  const lines = text.split('\n');
  const last = lines.pop() ?? '';
  const rows = lines.filter((l) => l.length > 0);
  return { rows, torn: last.length > 0 };
}
