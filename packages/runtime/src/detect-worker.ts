// Entry of the Sigma detection worker thread (see detect-offload.ts): evaluates stored batches, sent as NDJSON text
// per table, with the ruleset of the data dir, and answers with the detections to raise. Correlation state lives
// here, so one worker serves one tenant and sees its batches in commit order.
import { parentPort, workerData } from 'node:worker_threads';
import type { CorrelationState, Ruleset } from '@vigil/detection';
import { lineText } from '@vigil/ingest';
import type { SigmaRequest, SigmaResponse } from './detect-offload.js';
import { type Finding, sigmaFindings } from './detect-sigma.js';
import { RuleLibrary } from './sigma-rules.js';

const port = parentPort;
if (!port) throw new Error('detect-worker.js runs as a worker thread');
const library = new RuleLibrary((workerData as { rulesRoot: string }).rulesRoot);
let current: { ruleset: Ruleset; state: CorrelationState } | undefined;

/**
 * Calls `fn` with each row of one table's NDJSON that `keep` lets through, parsed and without the `Table` key
 * senders may add (it is not a column). One row at a time, so that rows die young instead of a batch of them
 * surviving into the old generation. With a `finder` (see RuleIndex.lineFinder), only the lines it touches are
 * looked at: one regex pass over the whole text instead of a look at every line.
 */
function eachRow(
  ndjson: Uint8Array | string,
  keep: (line: string) => boolean,
  finder: RegExp | undefined,
  fn: (row: Record<string, unknown>) => void,
): void {
  const parse = (line: string) => {
    if (line === '' || !keep(line)) return;
    const row = JSON.parse(line) as Record<string, unknown>;
    if (row.Table !== undefined) delete row.Table;
    fn(row);
  };
  if (finder) {
    // Bytes are searched as Latin-1 (see lineFinder): a character per byte, so a line's place in the text is its
    // place in the bytes, and only the lines found are decoded as what they are.
    const buf = typeof ndjson === 'string' ? undefined : bytesOf(ndjson);
    const text = buf ? buf.toString('latin1') : (ndjson as string);
    finder.lastIndex = 0;
    for (let m = finder.exec(text); m !== null; m = finder.exec(text)) {
      const start = text.lastIndexOf('\n', m.index) + 1;
      let end = text.indexOf('\n', m.index);
      if (end < 0) end = text.length;
      parse(buf ? lineText(buf, start, end) : text.slice(start, end));
      finder.lastIndex = end + 1;
    }
    return;
  }
  if (typeof ndjson === 'string') {
    for (const line of ndjson.split('\n')) parse(line);
    return;
  }
  const buf = bytesOf(ndjson);
  let start = 0;
  while (start < buf.length) {
    let end = buf.indexOf(0x0a, start);
    if (end < 0) end = buf.length;
    parse(lineText(buf, start, end));
    start = end + 1;
  }
}

function bytesOf(ndjson: Uint8Array): Buffer {
  return Buffer.from(ndjson.buffer, ndjson.byteOffset, ndjson.byteLength);
}

function evaluate(req: SigmaRequest): SigmaResponse {
  const ruleset = library.ruleset();
  if (current?.ruleset !== ruleset) current = { ruleset, state: ruleset.createState() };
  const found: Finding[] = [];
  const state = current.state;
  for (const [table, ndjson] of req.tables) {
    if (ruleset.rules.length === 0) break;
    // Lines no rule can match are not parsed.
    const keep = (line: string) => ruleset.mayMatchLine(table, line);
    eachRow(ndjson, keep, ruleset.lineFinder(table), (row) => {
      for (const f of sigmaFindings(table, [row], ruleset, state)) found.push(f);
    });
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
