import { LoggerService } from '@backstage/backend-plugin-api';
import {
  resolveKafkaCluster,
  StreamingConfig,
} from '../../config/StreamingConfig';
import { PipelineEntity } from '../Pipelines/PipelineCatalog';
import { BrokerRequests } from './brokerRequests';
import {
  KafkaClusterClient,
  PartitionMetadata,
  TopicSummary,
} from './KafkaClusterClient';
import { KafkaClusterClients } from './KafkaClusterClients';
import {
  ClusterOffsets,
  ObservedPartition,
  OffsetObservation,
  OffsetSource,
} from '@internal/plugin-streaming-node';
import {
  answerFromSnapshot,
  headKey,
  OffsetsRequest,
  OffsetsSnapshot,
  requestLimitErrors,
} from './OffsetsSnapshot';

interface ClusterState extends OffsetsSnapshot {
  client: KafkaClusterClient;
  /** Topics and groups of the catalog's pipelines (see `retain`). */
  used: { topics: Set<string>; groups: Set<string> };
  /** When each polled name was last asked for (epoch ms). */
  topics: Map<string, number>;
  groups: Map<string, number>;
  /** Every poll runs after the previous one. */
  tail: Promise<unknown>;
  queued?: Promise<PollReport>;
  queuedNames?: Promise<PollReport>;
  pending: { topics: Set<string>; groups: Set<string> };
}

/** Figures of one poll of one cluster (for logs and the benchmark). */
export interface PollReport {
  cluster: string;
  topics: number;
  groups: number;
  ok: boolean;
  /** Requests and sequential round trips per broker (`host:port`). */
  requests: Record<string, BrokerRequests>;
}

/** The topics and consumer groups one pipeline reads, on its cluster. */
export interface PipelineOffsetsUse {
  cluster: string;
  topics: string[];
  groups: string[];
}

/**
 * The default {@link OffsetSource}: one {@link KafkaClusterClient} per
 * configured cluster, polled at `streaming.lag.pollInterval`. A poll
 * is two waves of requests sent concurrently, so it takes two round trips
 * per broker: Metadata (and FindCoordinator for groups whose coordinator is
 * not known yet), then ListOffsets latest and earliest per leader and
 * OffsetFetch per coordinator.
 *
 * It polls the topics and groups of the catalog's pipelines (`retain`) and
 * the names requests asked for within `streaming.lag.expireAfter`; a
 * name not polled yet is read on its own before answering. Errors stay with
 * their partition or group, so an answer names only what it asked for.
 */
export class KafkaOffsetsPoller implements OffsetSource {
  private readonly clusters = new Map<string, ClusterState>();

  constructor(
    private readonly config: StreamingConfig,
    private readonly logger: LoggerService,
    private readonly clients = new KafkaClusterClients(config.kafka.clusters),
  ) {
    for (const cluster of config.kafka.clusters) {
      this.clusters.set(cluster.name, {
        client: clients.get(cluster.name),
        used: { topics: new Set(), groups: new Set() },
        topics: new Map(),
        groups: new Map(),
        snapshot: {
          cluster: cluster.name,
          topics: new Map(),
          groups: new Map(),
        },
        groupErrors: new Map(),
        heads: new Map(),
        tail: Promise.resolve(),
        pending: { topics: new Set(), groups: new Set() },
      });
    }
  }

  private state(cluster: string): ClusterState {
    const state = this.clusters.get(cluster);
    if (!state) {
      const known = [...this.clusters.keys()].join(', ') || 'none';
      throw new Error(
        `No Kafka cluster named ${cluster}; configured: ${known}`,
      );
    }
    return state;
  }

  /**
   * The topics and groups of the catalog's current pipelines: polled from now
   * on; names no pipeline uses any more expire unless requests ask for them.
   * Each pipeline counts with at most `maxTopicsPerPipeline` topics and
   * `maxGroupsPerPipeline` groups; unknown clusters are ignored.
   */
  retain(uses: PipelineOffsetsUse[]): void {
    const { maxTopicsPerPipeline, maxGroupsPerPipeline } = this.config.lag;
    const now = Date.now();
    for (const state of this.clusters.values()) {
      state.used = { topics: new Set(), groups: new Set() };
    }
    for (const use of uses) {
      const state = this.clusters.get(use.cluster);
      if (!state) continue;
      for (const topic of use.topics.slice(0, maxTopicsPerPipeline)) {
        state.used.topics.add(topic);
        if (!state.topics.has(topic)) state.topics.set(topic, now);
      }
      for (const group of use.groups.slice(0, maxGroupsPerPipeline)) {
        state.used.groups.add(group);
        if (!state.groups.has(group)) state.groups.set(group, now);
      }
    }
  }

  /** {@link KafkaOffsetsPoller.retain} for the catalog's pipelines. */
  retainPipelines(pipelines: PipelineEntity[]): void {
    this.retain(
      pipelines.flatMap(pipeline => {
        const { cluster } = resolveKafkaCluster(
          this.config,
          pipeline.kafkaCluster,
        );
        return cluster
          ? [
              {
                cluster,
                topics: pipeline.summary.source.topics,
                groups: pipeline.consumerGroups,
              },
            ]
          : [];
      }),
    );
  }

  /**
   * Adds the names of a request to the polled set, within the limits.
   * Returns the names not polled yet and why some were refused.
   */
  private admit(
    state: ClusterState,
    request: { topics: string[]; groups: string[] },
    now = Date.now(),
  ): { topics: string[]; groups: string[]; errors: string[] } {
    const {
      maxTopicsPerPipeline,
      maxGroupsPerPipeline,
      maxExtraNamesPerCluster,
    } = this.config.lag;
    const errors = requestLimitErrors(this.config.lag, request);
    let extra =
      [...state.topics.keys()].filter(t => !state.used.topics.has(t)).length +
      [...state.groups.keys()].filter(g => !state.used.groups.has(g)).length;
    let refused = 0;
    const added = { topics: [] as string[], groups: [] as string[] };
    const take = (
      names: string[],
      polled: Map<string, number>,
      into: string[],
    ) => {
      for (const name of names) {
        if (polled.has(name)) {
          polled.set(name, Math.max(now, polled.get(name)!));
        } else if (extra < maxExtraNamesPerCluster) {
          polled.set(name, now);
          into.push(name);
          extra += 1;
        } else {
          refused += 1;
        }
      }
    };
    take(
      request.topics.slice(0, maxTopicsPerPipeline),
      state.topics,
      added.topics,
    );
    take(
      request.groups.slice(0, maxGroupsPerPipeline),
      state.groups,
      added.groups,
    );
    if (refused > 0) {
      errors.push(
        `Not polled: ${refused} topics and groups beyond those of catalog pipelines (streaming.lag.maxExtraNamesPerCluster is ${maxExtraNamesPerCluster})`,
      );
    }
    return { ...added, errors };
  }

  /**
   * Names requests asked for on another replica (at `askedAt`, epoch ms):
   * polled from now on, within the same limits, until they expire.
   */
  ask(request: Required<OffsetsRequest>, askedAt: number): void {
    const state = this.clusters.get(request.cluster);
    if (state) this.admit(state, request, askedAt);
  }

  /**
   * Continues from another replica's newer snapshot (the last poll ran
   * there): its offsets, errors and head history of the names this poller
   * polls, so that head history and recreated-topic detection carry over.
   */
  adopt(shared: OffsetsSnapshot): void {
    const state = this.clusters.get(shared.snapshot.cluster);
    const theirs = shared.snapshot.observedAt?.getTime();
    const ours = state?.snapshot.observedAt?.getTime();
    if (
      !state ||
      theirs === undefined ||
      (ours !== undefined && ours >= theirs)
    ) {
      return;
    }
    const keep = <V>(entries: Map<string, V>, names: Map<string, number>) =>
      new Map([...entries].filter(([name]) => names.has(name)));
    state.snapshot = {
      cluster: state.snapshot.cluster,
      observedAt: shared.snapshot.observedAt,
      topics: keep(shared.snapshot.topics, state.topics),
      groups: keep(shared.snapshot.groups, state.groups),
    };
    state.groupErrors = keep(shared.groupErrors, state.groups);
    state.failure = shared.failure;
    state.heads = new Map(
      [...shared.heads].filter(([key]) =>
        state.topics.has(key.slice(0, key.lastIndexOf('\u0000'))),
      ),
    );
  }

  /** What the last polls of a cluster know, to share with other replicas. */
  snapshot(cluster: string): OffsetsSnapshot {
    const { snapshot, groupErrors, failure, heads } = this.state(cluster);
    return { snapshot, groupErrors, failure, heads };
  }

  async getOffsets(request: OffsetsRequest): Promise<ClusterOffsets> {
    const state = this.state(request.cluster);
    const admitted = this.admit(state, {
      topics: request.topics,
      groups: request.groups ?? [],
    });
    const unread = {
      topics: [...new Set(request.topics)].filter(
        t => state.topics.has(t) && !state.snapshot.topics.has(t),
      ),
      groups: [...new Set(request.groups ?? [])].filter(
        g => state.groups.has(g) && !state.snapshot.groups.has(g),
      ),
    };
    if ((unread.topics.length || unread.groups.length) && !state.failure) {
      await this.pollNames(state, unread);
    }
    return answerFromSnapshot(state, request, admitted.errors);
  }

  headHistory(
    cluster: string,
    topic: string,
    partition: number,
  ): ReadonlyArray<OffsetObservation> {
    return (
      this.clusters.get(cluster)?.heads.get(headKey(topic, partition)) ?? []
    );
  }

  /** Every topic of a cluster, through the cluster's admin client. */
  async listTopics(cluster: string): Promise<TopicSummary[]> {
    return this.state(cluster).client.listTopics();
  }

  /** Polls every cluster once (the scheduled task). */
  async pollAll(): Promise<PollReport[]> {
    return Promise.all([...this.clusters.keys()].map(c => this.pollCluster(c)));
  }

  /**
   * Polls one cluster once, after any poll already running: callers that
   * arrive while a poll runs share the next one.
   */
  pollCluster(cluster: string): Promise<PollReport> {
    const state = this.state(cluster);
    if (!state.queued) {
      state.queued = state.tail.then(() => {
        state.queued = undefined;
        return this.poll(state);
      });
      state.tail = state.queued.catch(() => undefined);
    }
    return state.queued;
  }

  /**
   * Reads names not polled yet, on their own (not a full poll), after any
   * poll already running; callers that arrive meanwhile share the read.
   */
  private pollNames(
    state: ClusterState,
    names: { topics: string[]; groups: string[] },
  ): Promise<PollReport> {
    if (state.queued) return state.queued;
    names.topics.forEach(t => state.pending.topics.add(t));
    names.groups.forEach(g => state.pending.groups.add(g));
    if (!state.queuedNames) {
      state.queuedNames = state.tail.then(() => {
        state.queuedNames = undefined;
        const only = {
          topics: [...state.pending.topics],
          groups: [...state.pending.groups],
        };
        state.pending = { topics: new Set(), groups: new Set() };
        return this.poll(state, only);
      });
      state.tail = state.queuedNames.catch(() => undefined);
    }
    return state.queuedNames;
  }

  /** Forgets names no pipeline uses that no request asked for lately. */
  private expire(state: ClusterState, now: number) {
    const cutoff = now - this.config.lag.expireAfterMs;
    for (const [topic, askedAt] of state.topics) {
      if (state.used.topics.has(topic) || askedAt >= cutoff) continue;
      state.topics.delete(topic);
      state.snapshot.topics.delete(topic);
      for (const key of state.heads.keys()) {
        if (key.startsWith(headKey(topic, 0).slice(0, -1))) {
          state.heads.delete(key);
        }
      }
    }
    const gone: string[] = [];
    for (const [group, askedAt] of state.groups) {
      if (state.used.groups.has(group) || askedAt >= cutoff) continue;
      state.groups.delete(group);
      state.snapshot.groups.delete(group);
      state.groupErrors.delete(group);
      gone.push(group);
    }
    state.client.forgetGroups(gone);
  }

  /** A full poll, or with `only` a read of those names merged into the snapshot. */
  private async poll(
    state: ClusterState,
    only?: { topics: string[]; groups: string[] },
  ): Promise<PollReport> {
    const cluster = state.snapshot.cluster;
    const now = Date.now();
    if (!only) this.expire(state, now);
    const topics = only?.topics ?? [...state.topics.keys()].sort();
    const groups = only?.groups ?? [...state.groups.keys()].sort();
    try {
      const [metadata, routes] = await Promise.all([
        topics.length
          ? state.client.metadata(topics)
          : new Map<string, PartitionMetadata[]>(),
        state.client.findCoordinators(groups),
      ]);
      const [offsets, groupOffsets] = await Promise.all([
        state.client.offsets(metadata),
        state.client.groupOffsets(routes),
      ]);
      let failed = 0;
      const observed = new Map(only ? state.snapshot.topics : undefined);
      for (const topic of topics) {
        const previous = state.snapshot.topics.get(topic);
        const partitions = metadata.get(topic);
        if (!partitions) {
          observed.set(topic, { topic, exists: false, partitions: [] });
          continue;
        }
        const merged: ObservedPartition[] = partitions.map(p => {
          const o = offsets.get(topic)?.get(p.partition) ?? {};
          const before = previous?.partitions.find(
            x => x.partition === p.partition,
          );
          return {
            partition: p.partition,
            leader: p.leader,
            replicas: p.replicas,
            isr: p.isr,
            earliest: o.earliest ?? before?.earliest,
            latest: o.latest ?? before?.latest,
            error: o.error,
          };
        });
        const regressed = merged.some(p => {
          const before = previous?.partitions.find(
            x => x.partition === p.partition,
          );
          return (
            !p.error &&
            before?.latest !== undefined &&
            p.latest !== undefined &&
            BigInt(p.latest) < BigInt(before.latest)
          );
        });
        // Deleted, then created again: its old head observations are void.
        const reappeared =
          previous?.exists === false && state.heads.has(headKey(topic, 0));
        const recreated = regressed || reappeared;
        if (recreated) {
          for (const p of merged)
            state.heads.delete(headKey(topic, p.partition));
        }
        for (const p of merged) {
          if (!p.error && p.latest !== undefined) {
            this.observe(state, topic, p.partition, Number(p.latest), now);
          }
        }
        failed += merged.filter(p => p.error).length;
        observed.set(topic, {
          topic,
          exists: true,
          partitions: merged,
          recreatedAt: recreated
            ? new Date(now).toISOString()
            : previous?.recreatedAt,
        });
      }
      const groupMap = new Map(state.snapshot.groups);
      for (const [group, result] of groupOffsets) {
        if (result.offsets) groupMap.set(group, result.offsets);
        if (result.error) {
          state.groupErrors.set(group, result.error);
          failed += 1;
        } else {
          state.groupErrors.delete(group);
        }
      }
      state.snapshot = {
        cluster,
        topics: observed,
        groups: groupMap,
        observedAt: only
          ? state.snapshot.observedAt ?? new Date(now)
          : new Date(now),
      };
      if (!only) state.failure = undefined;
      return {
        cluster,
        topics: topics.length,
        groups: groups.length,
        ok: failed === 0,
        requests: state.client.takeRequests(),
      };
    } catch (error) {
      const message = (error as Error).message;
      this.logger.warn(`Polling Kafka cluster ${cluster} failed`, {
        cluster,
        error: message,
      });
      state.failure = `Polling the cluster failed: ${message}`;
      return {
        cluster,
        topics: topics.length,
        groups: groups.length,
        ok: false,
        requests: state.client.takeRequests(),
      };
    }
  }

  private observe(
    state: ClusterState,
    topic: string,
    partition: number,
    offset: number,
    time: number,
  ) {
    const key = headKey(topic, partition);
    const history = state.heads.get(key) ?? [];
    const last = history[history.length - 1];
    if (
      last &&
      last.offset === offset &&
      history.length >= 2 &&
      history[history.length - 2].offset === offset
    ) {
      // A flat head: move the newest point forward instead of adding one.
      last.time = time;
    } else {
      history.push({ offset, time });
    }
    if (history.length > this.config.lag.historySize) {
      history.splice(0, history.length - this.config.lag.historySize);
    }
    state.heads.set(key, history);
  }

  /** Closes its cluster clients. */
  async close(): Promise<void> {
    await this.clients.close();
  }
}
