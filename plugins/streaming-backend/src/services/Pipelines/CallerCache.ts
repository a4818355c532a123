import { BackstageCredentials } from '@backstage/backend-plugin-api';

/**
 * Who the catalog and the permission framework answer for: a user by entity
 * reference, a service by subject. Undefined for anonymous callers, whose
 * answers are never cached.
 */
export function callerKey(
  credentials: BackstageCredentials,
): string | undefined {
  const principal = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (principal.type === 'user' && principal.userEntityRef) {
    return `user:${principal.userEntityRef}`;
  }
  if (principal.type === 'service' && principal.subject) {
    return `service:${principal.subject}`;
  }
  return undefined;
}

interface Entry<V> {
  expiresAt: number;
  value: Promise<V>;
}

/**
 * Answers that depend on who asks (what the catalog lets a caller read, the
 * caller's permission decisions), reused for a few seconds per caller.
 * Concurrent requests of one caller share one load; a failed load is not
 * kept; the least recently used entries go first beyond `maxEntries`.
 */
export class CallerCache<V> {
  private readonly entries = new Map<string, Entry<V>>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  /**
   * The cached answer for this caller and key, else `load()`'s. Callers
   * without a {@link callerKey}, and a TTL of 0, always load.
   */
  get(
    credentials: BackstageCredentials,
    key: string,
    load: () => Promise<V>,
  ): Promise<V> {
    const caller = callerKey(credentials);
    if (caller === undefined || this.ttlMs <= 0) {
      return load();
    }
    const id = `${caller}\u0000${key}`;
    const now = Date.now();
    const hit = this.entries.get(id);
    if (hit && hit.expiresAt > now) {
      this.entries.delete(id);
      this.entries.set(id, hit);
      return hit.value;
    }
    const entry: Entry<V> = { expiresAt: now + this.ttlMs, value: load() };
    this.entries.set(id, entry);
    entry.value.catch(() => {
      if (this.entries.get(id) === entry) this.entries.delete(id);
    });
    while (this.entries.size > this.maxEntries) {
      this.entries.delete(this.entries.keys().next().value!);
    }
    return entry.value;
  }
}
