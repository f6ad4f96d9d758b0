/**
 * A small in-process LRU whose entries also expire `ttlMs` after they were set. A Map keeps
 * insertion order, so the first key is the least recently used one: a hit is re-inserted at the end,
 * and a set over `maxEntries` drops from the front. `now` is injectable for tests.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();

  constructor(
    private readonly maxEntries: number,
    private readonly ttlMs: number,
    private readonly now: () => number = () => Date.now(),
  ) {}

  get size() {
    return this.entries.size;
  }

  /** The live value of `key`, or undefined (missing or expired; an expired entry is dropped). */
  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expiresAt <= this.now()) return undefined;
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V) {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: this.now() + this.ttlMs });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  /** Drops every entry whose value matches (a linear pass: the cache is small and this is rare). */
  deleteWhere(matches: (value: V) => boolean) {
    for (const [key, entry] of this.entries) if (matches(entry.value)) this.entries.delete(key);
  }

  clear() {
    this.entries.clear();
  }
}
