import { LRUCache } from 'lru-cache';

/**
 * Answers reused for `ttlMs` by key, on `lru-cache`: concurrent requests for
 * one key share one load, a failed load is not kept, and beyond `maxEntries`
 * the least recently used entries go first. A TTL of 0 turns the reuse off.
 * What this adds to `LRUCache` is the loader given per call (the answer of
 * one key depends on arguments that are not part of it, such as credentials).
 */
export class TtlCache<V extends {}> {
  private readonly entries?: LRUCache<string, V, () => Promise<V>>;

  constructor(ttlMs: number, maxEntries = 10_000) {
    if (ttlMs > 0) {
      this.entries = new LRUCache({
        max: maxEntries,
        ttl: ttlMs,
        // A load whose entry was pushed out still answers its callers.
        ignoreFetchAbort: true,
        fetchMethod: (_key, _stale, { context }) => context(),
      });
    }
  }

  /** The kept answer for `key`, else `load()`'s (then kept). */
  async get(key: string, load: () => Promise<V>): Promise<V> {
    if (!this.entries) {
      return load();
    }
    // Resolves to undefined only when the fetch method does, which `load` cannot.
    return (await this.entries.fetch(key, { context: load }))!;
  }

  /** Forgets the kept answer for `key` (the next `get` loads again). */
  delete(key: string): void {
    this.entries?.delete(key);
  }
}
