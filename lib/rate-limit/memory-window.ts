/**
 * A per-process sliding-window counter: the current fixed window plus the previous one weighted by
 * how much of it still overlaps, the same approximation as @upstash/ratelimit's slidingWindow.
 */
export class MemoryWindow {
  private readonly entries = new Map<string, { window: number; current: number; previous: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxEntries = 100_000,
  ) {}

  /** Identifiers currently tracked. */
  get size() {
    return this.entries.size;
  }

  /** The weighted count of `identifier` at `now`, without counting a hit; 0 when it is not tracked. */
  count(identifier: string, now = Date.now()): number {
    const entry = this.entries.get(identifier);
    const window = Math.floor(now / this.windowMs);
    if (!entry || entry.window < window - 1) return 0;
    const [current, previous] = entry.window === window ? [entry.current, entry.previous] : [0, entry.current];
    return Math.floor((1 - (now % this.windowMs) / this.windowMs) * previous) + current;
  }

  hit(identifier: string, now = Date.now()): { success: boolean; reset: number } {
    const window = Math.floor(now / this.windowMs);
    const reset = (window + 1) * this.windowMs;
    let entry = this.entries.get(identifier);
    if (!entry || entry.window < window - 1) entry = { window, current: 0, previous: 0 };
    else if (entry.window === window - 1) entry = { window, current: 0, previous: entry.current };
    const elapsed = (now % this.windowMs) / this.windowMs;
    const weighted = Math.floor((1 - elapsed) * entry.previous) + entry.current;
    if (weighted >= this.limit) {
      this.entries.set(identifier, entry);
      return { success: false, reset };
    }
    entry.current += 1;
    this.entries.set(identifier, entry);
    if (this.entries.size > this.maxEntries) this.sweep(window);
    return { success: true, reset };
  }

  /** Drops identifiers idle for two windows; memory stays bounded by the active identifiers. */
  private sweep(window: number) {
    for (const [identifier, entry] of this.entries) {
      if (entry.window < window - 1) this.entries.delete(identifier);
    }
  }
}
