import { LoggerService } from '@backstage/backend-plugin-api';
import { StreamingConfig } from '../../config/StreamingConfig';
import { BrokerRequests } from './brokerRequests';
import {
  KafkaClusterClient,
  PartitionMetadata,
  TopicSummary,
} from './KafkaClusterClient';
import {
  ClusterOffsets,
  ObservedPartition,
  ObservedTopic,
  OffsetObservation,
  OffsetSource,
} from './OffsetSource';

interface ClusterState {
  client: KafkaClusterClient;
  topics: Set<string>;
  groups: Set<string>;
  snapshot: ClusterOffsets;
  heads: Map<string, OffsetObservation[]>;
  inFlight?: Promise<PollReport>;
  queued?: Promise<PollReport>;
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

const headKey = (topic: string, partition: number) =>
  `${topic}\u0000${partition}`;

/**
 * The default {@link OffsetSource}: one {@link KafkaClusterClient} per
 * configured cluster, polled at `streaming.lag.pollIntervalSeconds`. A poll
 * is two waves of requests sent concurrently, so it takes two round trips
 * per broker: Metadata (and FindCoordinator for groups whose coordinator is
 * not known yet), then ListOffsets latest and earliest per leader and
 * OffsetFetch per coordinator.
 */
export class KafkaOffsetsPoller implements OffsetSource {
  private readonly clusters = new Map<string, ClusterState>();

  constructor(
    private readonly config: StreamingConfig,
    private readonly logger: LoggerService,
  ) {
    for (const cluster of config.kafka.clusters) {
      this.clusters.set(cluster.name, {
        client: new KafkaClusterClient(cluster),
        topics: new Set(),
        groups: new Set(),
        snapshot: {
          cluster: cluster.name,
          topics: new Map(),
          groups: new Map(),
        },
        heads: new Map(),
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

  /** Adds topics and groups to what every poll reads. Returns whether any was new. */
  register(cluster: string, topics: string[], groups: string[] = []): boolean {
    const state = this.state(cluster);
    const before = state.topics.size + state.groups.size;
    topics.forEach(t => state.topics.add(t));
    groups.forEach(g => state.groups.add(g));
    return state.topics.size + state.groups.size !== before;
  }

  async getOffsets(request: {
    cluster: string;
    topics: string[];
    groups?: string[];
  }): Promise<ClusterOffsets> {
    const state = this.state(request.cluster);
    const missing =
      this.register(request.cluster, request.topics, request.groups) ||
      request.topics.some(t => !state.snapshot.topics.has(t)) ||
      (request.groups ?? []).some(g => !state.snapshot.groups.has(g));
    if (missing && !state.snapshot.error) {
      await this.pollCluster(request.cluster);
    }
    const snapshot = state.snapshot;
    return {
      ...snapshot,
      topics: new Map(
        request.topics.flatMap(t => {
          const topic = snapshot.topics.get(t);
          return topic ? [[t, topic] as const] : [];
        }),
      ),
      groups: new Map(
        (request.groups ?? []).flatMap(g => {
          const group = snapshot.groups.get(g);
          return group ? [[g, group] as const] : [];
        }),
      ),
    };
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
      const previous = state.inFlight ?? Promise.resolve();
      state.queued = previous.then(() => {
        state.queued = undefined;
        state.inFlight = this.poll(state).finally(() => {
          state.inFlight = undefined;
        });
        return state.inFlight;
      });
    }
    return state.queued;
  }

  private async poll(state: ClusterState): Promise<PollReport> {
    const cluster = state.snapshot.cluster;
    const topics = [...state.topics].sort();
    const groups = [...state.groups].sort();
    const now = Date.now();
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
      const errors: string[] = [];
      const observed = new Map<string, ObservedTopic>();
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
          if (o.error) {
            errors.push(`${topic}[${p.partition}]: ${o.error}`);
          }
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
        if (result.error) errors.push(`group ${group}: ${result.error}`);
      }
      state.snapshot = {
        cluster,
        topics: observed,
        groups: groupMap,
        observedAt: new Date(now),
        error: errors.length ? errors.slice(0, 5).join('; ') : undefined,
      };
      return {
        cluster,
        topics: topics.length,
        groups: groups.length,
        ok: errors.length === 0,
        requests: state.client.takeRequests(),
      };
    } catch (error) {
      const message = (error as Error).message;
      this.logger.warn(`Polling Kafka cluster ${cluster} failed`, {
        cluster,
        error: message,
      });
      state.snapshot = { ...state.snapshot, error: message };
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

  async close(): Promise<void> {
    await Promise.all([...this.clusters.values()].map(s => s.client.close()));
  }
}
