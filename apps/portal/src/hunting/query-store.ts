/** A query the user ran or saved. */
export interface StoredQuery {
  readonly id: string;
  readonly name: string;
  readonly query: string;
  readonly at: string;
}

const HISTORY = 'vigil.hunting.history';
const SAVED = 'vigil.hunting.saved';
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

function firstLine(query: string): string {
  return (query.split('\n').find((l) => l.trim()) ?? '').trim().slice(0, 80);
}

/** Query history and saved queries in localStorage (shared queries come with a server API). */
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

  /** Saved queries, by name. */
  saved(): StoredQuery[] {
    return read(this.storage, SAVED).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Saves a query under a name, replacing a saved query of the same name. */
  save(name: string, query: string): StoredQuery[] {
    const n = name.trim() || firstLine(query);
    const entry: StoredQuery = { id: crypto.randomUUID(), name: n, query, at: this.now().toISOString() };
    const list = [...this.saved().filter((q) => q.name !== n), entry];
    this.storage.setItem(SAVED, JSON.stringify(list));
    return this.saved();
  }

  /** Deletes a saved query. */
  remove(id: string): StoredQuery[] {
    this.storage.setItem(SAVED, JSON.stringify(this.saved().filter((q) => q.id !== id)));
    return this.saved();
  }
}
