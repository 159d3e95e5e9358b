// Entry of the Sigma detection worker thread (see detect-offload.ts): evaluates stored batches, sent as NDJSON text
// per table, with the ruleset of the data dir, and answers with the detections to raise. Correlation state lives
// here, so one worker serves one tenant and sees its batches in commit order.
import { isAscii } from 'node:buffer';
import { parentPort, workerData } from 'node:worker_threads';
import type { CorrelationState, Ruleset } from '@vigil/detection';
import type { SigmaRequest, SigmaResponse } from './detect-offload.js';
import { sigmaFindings } from './detect-sigma.js';
import { RuleLibrary } from './sigma-rules.js';

const port = parentPort;
if (!port) throw new Error('detect-worker.js runs as a worker thread');
const library = new RuleLibrary((workerData as { rulesRoot: string }).rulesRoot);
let current: { ruleset: Ruleset; state: CorrelationState } | undefined;

/** The parsed rows of one table's NDJSON, without the `Table` key senders may add (it is not a column). */
function rowsOf(ndjson: Uint8Array | string): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  const lines = typeof ndjson === 'string' ? ndjson.split('\n') : bytesLines(ndjson);
  for (const line of lines) {
    if (line === '') continue;
    const row = JSON.parse(line) as Record<string, unknown>;
    if (row.Table !== undefined) delete row.Table;
    rows.push(row);
  }
  return rows;
}

/** The lines of UTF-8 NDJSON; ASCII lines decode as Latin-1 (cheaper, one-byte strings). */
function bytesLines(bytes: Uint8Array): string[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lines: string[] = [];
  let start = 0;
  while (start < buf.length) {
    let end = buf.indexOf(0x0a, start);
    if (end < 0) end = buf.length;
    lines.push(buf.toString(isAscii(buf.subarray(start, end)) ? 'latin1' : 'utf8', start, end));
    start = end + 1;
  }
  return lines;
}

function evaluate(req: SigmaRequest): SigmaResponse {
  const ruleset = library.ruleset();
  if (current?.ruleset !== ruleset) current = { ruleset, state: ruleset.createState() };
  const found = [];
  for (const [table, text] of req.tables) {
    if (ruleset.rules.length === 0) break;
    found.push(...sigmaFindings(table, rowsOf(text), ruleset, current.state));
  }
  return { id: req.id, found };
}

port.on('message', (req: SigmaRequest) => {
  try {
    port.postMessage(evaluate(req));
  } catch (e) {
    port.postMessage({ id: req.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
});
