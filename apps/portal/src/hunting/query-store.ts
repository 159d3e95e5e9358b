/** A query the user ran. */
export interface StoredQuery {
  readonly id: string;
  readonly name: string;
  readonly query: string;
  readonly at: string;
}

const HISTORY = 'vigil.hunting.history';
/** How many runs the history keeps. */
export const historyLimit = 50;

function read(storage: Storage, key: string): StoredQuery[] {
  try {
    const v = JSON.parse(storage.getItem(key) ?? '[]') as unknown;
    return Array.isArray(v) ? (v.filter((q) => typeof q?.query === 'string') as StoredQuery[]) : [];
  } catch {
    return [];
  }
}

/** The first non-empty line of a query, shortened: the name of a run or an unnamed saved query. */
export function firstLine(query: string): string {
  return (query.split('\n').find((l) => l.trim()) ?? '').trim().slice(0, 80);
}

/** The query history, kept in this browser's localStorage (saved queries live on the server). */
export class QueryStore {
  constructor(
    private readonly storage: Storage = localStorage,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Runs, newest first. */
  history(): StoredQuery[] {
    return read(this.storage, HISTORY);
  }

  /** Records a run; running the same text again moves it to the top instead of repeating it. */
  addHistory(query: string): StoredQuery[] {
    const text = query.trim();
    if (!text) return this.history();
    const entry: StoredQuery = {
      id: crypto.randomUUID(),
      name: firstLine(text),
      query: text,
      at: this.now().toISOString(),
    };
    const list = [entry, ...this.history().filter((q) => q.query !== text)].slice(0, historyLimit);
    this.storage.setItem(HISTORY, JSON.stringify(list));
    return list;
  }

  /** Empties the history. */
  clearHistory(): void {
    this.storage.removeItem(HISTORY);
  }
}
