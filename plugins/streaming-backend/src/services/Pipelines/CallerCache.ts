import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { TtlCache } from '../../lib/TtlCache';

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

/**
 * Answers that depend on who asks (what the catalog lets a caller read, the
 * caller's permission decisions), reused for a few seconds per caller, with
 * the rules of {@link TtlCache}.
 */
export class CallerCache<V extends {}> {
  private readonly cache: TtlCache<V>;

  constructor(ttlMs: number, maxEntries?: number) {
    this.cache = new TtlCache(ttlMs, maxEntries);
  }

  /**
   * The cached answer for this caller and key, else `load()`'s. Callers
   * without a {@link callerKey} always load.
   */
  get(
    credentials: BackstageCredentials,
    key: string,
    load: () => Promise<V>,
  ): Promise<V> {
    const caller = callerKey(credentials);
    if (caller === undefined) {
      return load();
    }
    return this.cache.get(`${caller}\u0000${key}`, load);
  }
}
