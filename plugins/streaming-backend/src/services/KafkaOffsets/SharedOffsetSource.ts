import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ClusterOffsets,
  OffsetObservation,
  OffsetSource,
} from '@internal/plugin-streaming-node';
import { LRUCache } from 'lru-cache';
import { StreamingConfig } from '../../config/StreamingConfig';
import { PipelineEntity } from '../Pipelines/PipelineCatalog';
import { KafkaOffsetsPoller, PollReport } from './KafkaOffsetsPoller';
import {
  answerFromSnapshot,
  headKey,
  OffsetsRequest,
  OffsetsSnapshot,
  requestLimitErrors,
} from './OffsetsSnapshot';
import { OffsetsSnapshotStore } from './OffsetsSnapshotStore';

/**
 * How long a snapshot read from the database answers every request of this
 * replica: a poll shows within this time on every replica.
 */
const SNAPSHOT_REUSE_MS = 1000;
/** Names whose last ask is recorded, per replica, at most. */
const MAX_RECORDED_NAMES = 100_000;

/** A stored snapshot and when its poll wrote it. */
type StoredOffsets = OffsetsSnapshot & { writtenAt: number };

/** A cluster's stored snapshot as this replica last read or checked it. */
interface LoadedSnapshot {
  /** When it was last read or checked (epoch ms). */
  at: number;
  snapshot: Promise<StoredOffsets | undefined>;
  value?: StoredOffsets;
}

/**
 * The {@link OffsetSource} of a backend with several replicas on one
 * database. The offsets poll is a global scheduled task: the replica that
 * runs it polls with its {@link KafkaOffsetsPoller} and writes the snapshot
 * to the {@link OffsetsSnapshotStore}; every replica answers from the stored
 * snapshot, so all of them answer the same lag and the broker is polled once
 * per interval whatever the number of replicas.
 *
 * A name the stored snapshot does not hold yet (a pipeline that just entered
 * the catalog, a topic a request asked for) is read by this replica's own
 * poller before answering, as with one replica, and recorded in the
 * database so that the polling replica polls it from its next poll on,
 * until it expires (`streaming.lag.expireAfter`).
 */
export class SharedOffsetSource implements OffsetSource {
  private readonly loaded = new Map<string, LoadedSnapshot>();
  /** The names asked for in this turn, written together at its end. */
  private asking?: AskedBatch;
  /** Names recorded lately; recorded again once their entry expires. */
  private readonly recorded: LRUCache<string, true>;
  private readonly clusters: Set<string>;

  constructor(
    private readonly config: StreamingConfig,
    private readonly poller: KafkaOffsetsPoller,
    private readonly store: OffsetsSnapshotStore,
    private readonly logger: LoggerService,
  ) {
    this.clusters = new Set(config.kafka.clusters.map(c => c.name));
    this.recorded = new LRUCache({
      max: MAX_RECORDED_NAMES,
      ttl: config.lag.expireAfterMs / 4,
    });
  }

  async getOffsets(request: OffsetsRequest): Promise<ClusterOffsets> {
    const names = {
      topics: request.topics.slice(0, this.config.lag.maxTopicsPerPipeline),
      groups: (request.groups ?? []).slice(
        0,
        this.config.lag.maxGroupsPerPipeline,
      ),
    };
    if (!this.clusters.has(request.cluster)) {
      // The poller names the configured clusters.
      return this.poller.getOffsets(request);
    }
    await this.recordAsked({ cluster: request.cluster, ...names });
    const shared = await this.load(request.cluster);
    const complete =
      shared &&
      names.topics.every(t => shared.snapshot.topics.has(t)) &&
      names.groups.every(
        g => shared.snapshot.groups.has(g) || shared.groupErrors.has(g),
      );
    if (!complete) {
      return this.poller.getOffsets(request);
    }
    return answerFromSnapshot(
      shared,
      request,
      requestLimitErrors(this.config.lag, {
        topics: request.topics,
        groups: request.groups ?? [],
      }),
    );
  }

  headHistory(
    cluster: string,
    topic: string,
    partition: number,
  ): ReadonlyArray<OffsetObservation> {
    const shared = this.loaded.get(cluster)?.value;
    if (shared?.snapshot.topics.has(topic)) {
      return shared.heads.get(headKey(topic, partition)) ?? [];
    }
    return this.poller.headHistory(cluster, topic, partition);
  }

  listTopics(cluster: string) {
    return this.poller.listTopics(cluster);
  }

  /**
   * The scheduled poll, on the one replica that holds the task: polls the
   * catalog's pipelines and the names any replica asked for, then shares
   * the snapshots and prunes what no configured cluster or request needs.
   *
   * It returns as soon as `signal` aborts (the task's timeout, the backend
   * shutting down), so that the scheduler releases the task to another
   * replica at once; a poll still running then writes nothing.
   */
  async poll(
    pipelines: PipelineEntity[] | undefined,
    signal?: AbortSignal,
  ): Promise<PollReport[]> {
    if (!signal) return this.pollAndShare(pipelines);
    signal.throwIfAborted();
    let onAbort = () => {};
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([
        this.pollAndShare(pipelines, signal),
        aborted,
      ]);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  private async pollAndShare(
    pipelines: PipelineEntity[] | undefined,
    signal?: AbortSignal,
  ): Promise<PollReport[]> {
    const now = Date.now();
    const since = now - this.config.lag.expireAfterMs;
    for (const asked of await this.store.askedSince(since)) {
      this.poller.ask(
        {
          cluster: asked.cluster,
          topics: asked.kind === 'topic' ? [asked.name] : [],
          groups: asked.kind === 'group' ? [asked.name] : [],
        },
        asked.askedAt,
      );
    }
    if (pipelines) this.poller.retainPipelines(pipelines);
    for (const cluster of this.clusters) {
      // The previous poll may have run on another replica.
      const shared = await this.store.read(cluster);
      if (shared) this.poller.adopt(shared);
    }
    const reports = await this.poller.pollAll();
    if (signal?.aborted) return reports;
    for (const cluster of this.clusters) {
      await this.store.write(this.poller.snapshot(cluster));
      this.loaded.delete(cluster);
    }
    await this.store.prune({
      clusters: [...this.clusters],
      askedBefore: since,
    });
    return reports;
  }

  /**
   * The stored snapshot of a cluster, checked at most once per
   * SNAPSHOT_REUSE_MS: the check reads when it was written, and the snapshot
   * itself (the offsets and head history of every polled name, megabytes at
   * thousands of topics) is read again only once a poll has written a new one.
   */
  private load(cluster: string): Promise<OffsetsSnapshot | undefined> {
    const now = Date.now();
    const cached = this.loaded.get(cluster);
    if (cached && now - cached.at < SNAPSHOT_REUSE_MS) {
      return cached.snapshot;
    }
    const entry: LoadedSnapshot = {
      at: now,
      snapshot: this.readNewer(cluster, cached?.value).then(value => {
        entry.value = value;
        return value;
      }),
      // Until the new one is read, heads come from the previous snapshot.
      value: cached?.value,
    };
    this.loaded.set(cluster, entry);
    entry.snapshot.catch(() => {
      if (this.loaded.get(cluster) === entry) this.loaded.delete(cluster);
    });
    return entry.snapshot;
  }

  private async readNewer(
    cluster: string,
    held: StoredOffsets | undefined,
  ): Promise<StoredOffsets | undefined> {
    if (held && (await this.store.writtenAt(cluster)) === held.writtenAt) {
      return held;
    }
    return this.store.read(cluster);
  }

  /**
   * Records the names a request asked for, in the database, for the polling
   * replica. The names asked for within one turn of the event loop (the
   * overview's refresh asks for a hundred pipelines at once) are written
   * together, one insert per cluster, where a write per request cost a
   * synchronous commit each on SQLite. Resolves once written or failed.
   */
  private recordAsked(request: Required<OffsetsRequest>): Promise<void> {
    const key = (kind: string, name: string) =>
      `${request.cluster}\u0000${kind}\u0000${name}`;
    const names = [
      ...request.topics.map(name => ({ kind: 't', name })),
      ...request.groups.map(name => ({ kind: 'g', name })),
    ].filter(({ kind, name }) => !this.recorded.has(key(kind, name)));
    if (names.length === 0) return Promise.resolve();
    this.asking ??= this.writeAskedNextTurn();
    const asked = this.asking.names;
    const cluster = asked.get(request.cluster) ?? new Map<string, Asked>();
    asked.set(request.cluster, cluster);
    for (const { kind, name } of names) {
      cluster.set(key(kind, name), { kind, name });
    }
    return this.asking.written;
  }

  private writeAskedNextTurn(): AskedBatch {
    const names = new Map<string, Map<string, Asked>>();
    const written = new Promise<void>(resolve => setImmediate(resolve)).then(
      async () => {
        // Names asked from now on go to the next batch.
        this.asking = undefined;
        for (const [cluster, asked] of names) {
          const entries = [...asked];
          const pick = (kind: string) =>
            entries.filter(([, a]) => a.kind === kind).map(([, a]) => a.name);
          try {
            await this.store.recordAsked({
              cluster,
              topics: pick('t'),
              groups: pick('g'),
            });
            entries.forEach(([key]) => this.recorded.set(key, true));
          } catch (error) {
            // The answer does not depend on it: the next request records again.
            this.logger.warn('Could not record the Kafka names asked for', {
              cluster,
              error: (error as Error).message,
            });
          }
        }
      },
    );
    return { names, written };
  }
}

/** A Kafka name asked for: `t` a topic, `g` a consumer group. */
interface Asked {
  kind: string;
  name: string;
}

/** Names asked for in this turn, per cluster and key, and their write. */
interface AskedBatch {
  names: Map<string, Map<string, Asked>>;
  written: Promise<void>;
}
