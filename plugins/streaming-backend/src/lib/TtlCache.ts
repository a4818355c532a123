interface Entry<V> {
  expiresAt: number;
  value: Promise<V>;
}

/**
 * Answers reused for `ttlMs` by key. Concurrent requests for one key share
 * one load; a failed load is not kept; beyond `maxEntries` the least recently
 * used entries go first. A TTL of 0 turns the reuse off.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, Entry<V>>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  /** The kept answer for `key`, else `load()`'s (then kept). */
  get(key: string, load: () => Promise<V>): Promise<V> {
    if (this.ttlMs <= 0) {
      return load();
    }
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.expiresAt > now) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.value;
    }
    const entry: Entry<V> = { expiresAt: now + this.ttlMs, value: load() };
    this.entries.set(key, entry);
    entry.value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    while (this.entries.size > this.maxEntries) {
      this.entries.delete(this.entries.keys().next().value!);
    }
    return entry.value;
  }
}
