import { ObservedTopic } from '@internal/plugin-streaming-node';
import { Knex } from 'knex';
import { OffsetsRequest, OffsetsSnapshot } from './OffsetsSnapshot';

const SNAPSHOTS = 'kafka_offsets_snapshots';
const REQUESTED = 'kafka_offsets_requested';
/** Names recorded per insert statement, at most. */
const RECORD_CHUNK = 500;

/** The stored JSON of one snapshot: maps as entry lists, heads as pairs. */
interface StoredSnapshot {
  observedAt?: number;
  failure?: string;
  topics: ObservedTopic[];
  groups: Array<[string, Array<[string, Array<[number, string]>]>]>;
  groupErrors: Array<[string, string]>;
  /** topic, partition, [offset, time] oldest first. */
  heads: Array<[string, number, Array<[number, number]>]>;
}

/** A name a request asked for, and when (epoch ms). */
export interface AskedName {
  cluster: string;
  kind: 'topic' | 'group';
  name: string;
  askedAt: number;
}

/**
 * The offsets snapshots shared by the backend's replicas, in the plugin's
 * database (migration `kafka_offsets_snapshots`): one row per cluster,
 * replaced by each poll, so the table stays as large as the polled names
 * and their bounded head history. It also records the names requests asked
 * for on any replica, so that the replica that polls polls them too.
 */
export class OffsetsSnapshotStore {
  constructor(private readonly db: Knex) {}

  async write(offsets: OffsetsSnapshot, now = Date.now()): Promise<void> {
    const { snapshot } = offsets;
    const stored: StoredSnapshot = {
      observedAt: snapshot.observedAt?.getTime(),
      failure: offsets.failure,
      topics: [...snapshot.topics.values()],
      groups: [...snapshot.groups].map(([group, topics]) => [
        group,
        [...topics].map(([topic, partitions]) => [topic, [...partitions]]),
      ]),
      groupErrors: [...offsets.groupErrors],
      heads: [...offsets.heads].map(([key, history]) => {
        const split = key.lastIndexOf('\u0000');
        return [
          key.slice(0, split),
          Number(key.slice(split + 1)),
          history.map(o => [o.offset, o.time]),
        ];
      }),
    };
    await this.db(SNAPSHOTS)
      .insert({
        cluster: snapshot.cluster,
        observed_at: stored.observedAt ?? null,
        written_at: now,
        snapshot: JSON.stringify(stored),
      })
      .onConflict('cluster')
      .merge();
  }

  /**
   * When the latest snapshot of a cluster was written (epoch ms), or
   * undefined before its first poll: a read of one small column, to tell
   * whether the snapshot a replica holds is still the latest.
   */
  async writtenAt(cluster: string): Promise<number | undefined> {
    const row: { written_at: number | string } | undefined = await this.db(
      SNAPSHOTS,
    )
      .where({ cluster })
      .first('written_at');
    return row ? Number(row.written_at) : undefined;
  }

  /**
   * The latest snapshot of a cluster and when it was written, or undefined
   * before its first poll.
   */
  async read(
    cluster: string,
  ): Promise<(OffsetsSnapshot & { writtenAt: number }) | undefined> {
    const row: { snapshot: string; written_at: number | string } | undefined =
      await this.db(SNAPSHOTS)
        .where({ cluster })
        .first('snapshot', 'written_at');
    if (!row) return undefined;
    const stored: StoredSnapshot = JSON.parse(row.snapshot);
    return {
      writtenAt: Number(row.written_at),
      snapshot: {
        cluster,
        observedAt:
          stored.observedAt === undefined
            ? undefined
            : new Date(stored.observedAt),
        topics: new Map(stored.topics.map(t => [t.topic, t])),
        groups: new Map(
          stored.groups.map(([group, topics]) => [
            group,
            new Map(topics.map(([topic, parts]) => [topic, new Map(parts)])),
          ]),
        ),
      },
      failure: stored.failure,
      groupErrors: new Map(stored.groupErrors),
      heads: new Map(
        stored.heads.map(([topic, partition, history]) => [
          `${topic}\u0000${partition}`,
          history.map(([offset, time]) => ({ offset, time })),
        ]),
      ),
    };
  }

  /** Records that a request asked for these names at `now`. */
  async recordAsked(request: OffsetsRequest, now = Date.now()): Promise<void> {
    const rows = [
      ...request.topics.map(name => ({ kind: 'topic', name })),
      ...(request.groups ?? []).map(name => ({ kind: 'group', name })),
    ].map(r => ({ ...r, cluster: request.cluster, asked_at: now }));
    // Bounded statements, within every database's limit on bound values.
    for (let i = 0; i < rows.length; i += RECORD_CHUNK) {
      await this.db(REQUESTED)
        .insert(rows.slice(i, i + RECORD_CHUNK))
        .onConflict(['cluster', 'kind', 'name'])
        .merge(['asked_at']);
    }
  }

  /** Names asked for since `since` (epoch ms). */
  async askedSince(since: number): Promise<AskedName[]> {
    const rows: Array<{
      cluster: string;
      kind: 'topic' | 'group';
      name: string;
      asked_at: string | number;
    }> = await this.db(REQUESTED).where('asked_at', '>=', since);
    return rows.map(r => ({
      cluster: r.cluster,
      kind: r.kind,
      name: r.name,
      askedAt: Number(r.asked_at),
    }));
  }

  /**
   * Deletes the snapshots of clusters no longer configured and the names
   * not asked for since `askedBefore`; returns the rows deleted.
   */
  async prune(options: {
    clusters: string[];
    askedBefore: number;
  }): Promise<number> {
    const snapshots = await this.db(SNAPSHOTS)
      .whereNotIn('cluster', options.clusters)
      .delete();
    const asked = await this.db(REQUESTED)
      .where('asked_at', '<', options.askedBefore)
      .delete();
    return snapshots + asked;
  }
}
