import {
  NotFoundError,
  NotImplementedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  TopicDetailsResponse,
  TopicListResponse,
} from '@internal/plugin-streaming-common';
import {
  resolveKafkaCluster,
  StreamingConfig,
} from '../../config/StreamingConfig';
import { TtlCache } from '../../lib/TtlCache';
import { OffsetSource } from '@internal/plugin-streaming-node';

/** Observations within this window give a topic's rate. */
const RATE_WINDOW_MS = 15 * 60_000;

/**
 * The topics of a cluster (reused for `streaming.topics.listCacheTtl`)
 * and partitions, offsets and rate of one topic, from the offsets cache.
 */
export class TopicService {
  private readonly lists: TtlCache<TopicListResponse>;

  constructor(
    private readonly config: StreamingConfig,
    private readonly offsets: OffsetSource,
  ) {
    this.lists = new TtlCache(config.topics.listCacheTtlMs);
  }

  /**
   * The topics of a configured cluster by name, sorted, without Kafka's
   * internal ones (`__consumer_offsets`, ...). One answer per cluster is
   * shared by every caller for `streaming.topics.listCacheTtl`.
   */
  async listTopics(cluster: string): Promise<TopicListResponse> {
    const known = this.config.kafka.clusters.map(c => c.name);
    if (!known.includes(cluster)) {
      throw new NotFoundError(
        `No Kafka cluster named ${cluster}; configured: ${
          known.join(', ') || 'none'
        }`,
      );
    }
    if (!this.offsets.listTopics) {
      throw new NotImplementedError(
        'The configured offset source cannot list topics',
      );
    }
    const listTopics = this.offsets.listTopics.bind(this.offsets);
    return this.lists.get(cluster, async () => ({
      cluster,
      topics: (
        await listTopics(cluster).catch(() => {
          throw new ServiceUnavailableError(
            `Kafka cluster ${cluster} did not answer`,
          );
        })
      )
        .filter(t => !t.name.startsWith('__'))
        .map(({ name, partitions }) => ({ name, partitions }))
        .sort((a, b) => Number(a.name > b.name) - Number(a.name < b.name)),
    }));
  }

  async getTopic(
    entityRef: string,
    topic: string,
    clusterName: string | undefined,
  ): Promise<TopicDetailsResponse> {
    const now = Date.now();
    const resolved = resolveKafkaCluster(this.config, clusterName);
    const base: TopicDetailsResponse = {
      entityRef,
      cluster: resolved.cluster ?? '',
      topic,
      partitions: [],
      messagesPerSecond: null,
      totalMessages: 0,
      errors: [],
    };
    if (resolved.error) {
      base.errors.push(resolved.error);
      return base;
    }
    const cluster = resolved.cluster;
    const snapshot = await this.offsets.getOffsets({
      cluster,
      topics: [topic],
    });
    const observed = snapshot.topics.get(topic);
    if (snapshot.error) {
      base.errors.push({ source: `kafka:${cluster}`, message: snapshot.error });
    }
    if (!observed?.exists) {
      base.errors.push({
        source: `kafka:${cluster}`,
        message: `Topic ${topic} does not exist`,
      });
    }
    let rate: number | null = null;
    for (const p of observed?.partitions ?? []) {
      const history = this.offsets
        .headHistory(cluster, topic, p.partition)
        .filter(o => o.time >= now - RATE_WINDOW_MS);
      if (history.length >= 2) {
        const first = history[0];
        const last = history[history.length - 1];
        if (last.time > first.time) {
          rate =
            (rate ?? 0) +
            ((last.offset - first.offset) / (last.time - first.time)) * 1000;
        }
      }
    }
    const partitions = (observed?.partitions ?? []).map(p => ({
      partition: p.partition,
      leader: p.leader,
      replicas: p.replicas,
      isr: p.isr,
      earliestOffset: p.earliest ?? '-1',
      latestOffset: p.latest ?? '-1',
    }));
    return {
      ...base,
      partitions,
      messagesPerSecond: rate === null ? null : Math.round(rate * 100) / 100,
      totalMessages: (observed?.partitions ?? []).reduce(
        (sum, p) =>
          p.latest !== undefined && p.earliest !== undefined
            ? sum + Number(p.latest) - Number(p.earliest)
            : sum,
        0,
      ),
      observedAt: snapshot.observedAt?.toISOString(),
      ageSeconds: snapshot.observedAt
        ? Math.max(0, (now - snapshot.observedAt.getTime()) / 1000)
        : undefined,
    };
  }
}
