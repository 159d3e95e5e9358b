/**
 * A row of an agent's batch may stand in for its InitiatingProcess* columns with one key, `"@InitiatingProcess": ID`:
 * they are those of the last earlier row of the same batch whose InitiatingProcessUniqueId is ID (that row carries
 * them in full), and the row itself has none. A process that writes 5,000 files sends its command line, image path
 * and hashes once per batch instead of 5,000 times. Every batch stands alone: a reference never reaches into another
 * batch.
 */
export const INITIATING_REFERENCE = '@InitiatingProcess';

const PREFIX = 'InitiatingProcess';

/**
 * The rows of one batch that carry InitiatingProcess* columns in full, by InitiatingProcessUniqueId, to resolve the
 * references of the rows after them. Feed it every row of the batch, in order.
 */
export class InitiatingReferences {
  private readonly byId = new Map<string, Record<string, unknown>>();

  /**
   * Resolves the row's reference in place (the key replaced by the columns it stands for), or notes the row as the
   * last one of its InitiatingProcessUniqueId. Returns what is wrong with the reference, if anything.
   */
  resolve(row: Record<string, unknown>): string | undefined {
    const ref = row[INITIATING_REFERENCE];
    if (ref === undefined) {
      const id = row.InitiatingProcessUniqueId;
      if (typeof id === 'string') this.byId.set(id, row);
      return undefined;
    }
    if (typeof ref !== 'string') return `${INITIATING_REFERENCE} must be a string (an InitiatingProcessUniqueId)`;
    for (const k in row)
      if (k.startsWith(PREFIX))
        return `a row with ${INITIATING_REFERENCE} has no InitiatingProcess* column of its own (${k} is there)`;
    const from = this.byId.get(ref);
    if (from === undefined)
      return `${INITIATING_REFERENCE} "${ref}" names no earlier row of the batch with that InitiatingProcessUniqueId`;
    delete row[INITIATING_REFERENCE];
    for (const k in from) if (k.startsWith(PREFIX)) row[k] = from[k];
    return undefined;
  }

  /** True when an earlier row of the batch carries the columns of this InitiatingProcessUniqueId in full. */
  has(id: string): boolean {
    return this.byId.has(id);
  }
}
