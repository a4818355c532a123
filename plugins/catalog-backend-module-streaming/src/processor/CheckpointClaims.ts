import { CacheService } from '@backstage/backend-plugin-api';
import { createHash } from 'node:crypto';

/** Entity refs claiming one checkpoint, each with when its claim lapses (ms). */
type Claims = Record<string, number>;

/**
 * Which pipelines write which checkpoint, across the whole catalog: every
 * processing of a valid pipeline renews its claim on its checkpoint, and a
 * claim lapses after `claimTtlMs` without one (a deleted pipeline, or one
 * that moved its checkpoint). Kept in the catalog's cache service, so that
 * catalog replicas that share a cache store (`backend.cache`) see each
 * other's pipelines; the claim of a pipeline whose processing fails stays,
 * so both ends of a conflict see it.
 */
export class CheckpointClaims {
  constructor(
    private readonly cache: CacheService,
    private readonly claimTtlMs: number,
  ) {}

  /**
   * Renews the claim of `entityRef` on `checkpoint` (and drops its claim on
   * `previous`, the checkpoint it claimed before, if another); returns the
   * other pipelines that claim it.
   */
  async claim(
    checkpoint: string,
    entityRef: string,
    previous?: string,
  ): Promise<string[]> {
    const now = Date.now();
    if (previous !== undefined && key(previous) !== key(checkpoint)) {
      const { [entityRef]: _dropped, ...rest } = await this.read(previous, now);
      await this.write(previous, rest);
    }
    const claims = await this.read(checkpoint, now);
    claims[entityRef] = now + this.claimTtlMs;
    await this.write(checkpoint, claims);
    return Object.keys(claims)
      .filter(ref => ref !== entityRef)
      .sort();
  }

  private async read(checkpoint: string, now: number): Promise<Claims> {
    const claims = (await this.cache.get<Claims>(key(checkpoint))) ?? {};
    return Object.fromEntries(
      Object.entries(claims).filter(([, lapses]) => lapses > now),
    );
  }

  private async write(checkpoint: string, claims: Claims): Promise<void> {
    if (Object.keys(claims).length === 0) {
      await this.cache.delete(key(checkpoint));
      return;
    }
    await this.cache.set(key(checkpoint), claims, {
      ttl: this.claimTtlMs,
    });
  }
}

/** One key per checkpoint, however many slashes end it. */
function key(checkpoint: string): string {
  const normalized = checkpoint.replace(/\/+$/, '');
  return `streaming-checkpoint:${createHash('sha256')
    .update(normalized)
    .digest('hex')}`;
}
