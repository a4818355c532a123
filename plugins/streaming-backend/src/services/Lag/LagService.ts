import { LRUCache } from 'lru-cache';
import {
  MicroBatch,
  PartitionLag,
  PipelineLagResponse,
  SourceError,
} from '@internal/plugin-streaming-common';
import {
  resolveKafkaCluster,
  StreamingConfig,
} from '../../config/StreamingConfig';
import { ClusterOffsets, OffsetSource } from '@internal/plugin-streaming-node';
import { PipelineEntity } from '../Pipelines/PipelineCatalog';
import { ProgressStore } from '../ProgressStore/ProgressStore';
import { batchEndedAt } from '../ProgressStore/batchEndedAt';
import { computePartitionLag, ConsumedOffsets } from './computePartitionLag';
import { lagSeconds } from './lagSeconds';

/** Points of lag history kept in memory per consumer-group pipeline. */
const GROUP_HISTORY_SIZE = 240;
/** Batches read for a Spark pipeline's lag history. */
const SPARK_HISTORY_BATCHES = 240;
/**
 * How long one pipeline's lag answer is shared by every caller: offsets
 * polled since show within this time, and so does a newer micro-batch
 * ingested by another replica (this one's own are shown at once).
 */
const ANSWER_REUSE_MS = 1000;

/**
 * The offsets of a batch on the given topics: its end offsets (what it
 * consumed) or its latest offsets (the heads Spark saw when planning it).
 */
export function sparkConsumedOffsets(
  batch: MicroBatch,
  topics: string[],
  field: 'endOffset' | 'latestOffset' = 'endOffset',
): ConsumedOffsets | undefined {
  const consumed: ConsumedOffsets = {};
  for (const source of batch.sources) {
    for (const [topic, partitions] of Object.entries(source[field] ?? {})) {
      if (topics.includes(topic)) {
        consumed[topic] = { ...consumed[topic], ...partitions };
      }
    }
  }
  return Object.keys(consumed).length > 0 ? consumed : undefined;
}

/** The committed offsets of consumer groups; the furthest behind wins per partition. */
function groupConsumedOffsets(
  offsets: ClusterOffsets,
  groups: string[],
): ConsumedOffsets | undefined {
  const found = groups
    .map(g => offsets.groups.get(g))
    .filter((g): g is NonNullable<typeof g> => g !== undefined);
  if (found.length === 0) {
    return undefined;
  }
  const consumed: ConsumedOffsets = {};
  for (const group of found) {
    for (const [topic, partitions] of group) {
      const byPartition = (consumed[topic] ??= {});
      for (const [partition, offset] of partitions) {
        const current = byPartition[String(partition)];
        if (current === undefined || Number(offset) < Number(current)) {
          byPartition[String(partition)] = Number(offset);
        }
      }
    }
  }
  return consumed;
}

/** Why no partition's lag is known, from the partitions' issues and the errors. */
function unknownReasonOf(
  partitions: PartitionLag[],
  errors: SourceError[],
  method: PipelineLagResponse['method'],
): string {
  const issues = new Set(partitions.map(p => p.issue));
  if (partitions.length === 0) {
    return errors[0]?.message ?? 'the pipeline reads no Kafka topic';
  }
  if (issues.has('no-progress')) {
    return 'no micro-batch yet';
  }
  if (issues.has('no-commit')) {
    return 'no committed offsets of its consumer groups yet';
  }
  if (issues.has('leaderless')) {
    return 'no partition has a leader';
  }
  return method === 'spark-progress'
    ? 'the topic offsets were not read yet'
    : errors[0]?.message ?? 'the topic offsets were not read yet';
}

/** Lag of one pipeline in short: for the overview and the alerts. */
export interface LagFigures {
  /** Whether any partition's lag could be computed. */
  known: boolean;
  /** Summed over the partitions with a known lag; 0 when `known` is false. */
  totalMessages: number;
  /** Why the lag is unknown, when it is. */
  unknownReason?: string;
  maxLagSeconds: number | null;
  errors: SourceError[];
}

/**
 * Consumer lag of pipelines: Spark queries from their newest progress,
 * other consumers from their committed group offsets.
 */
export class LagService {
  /** Spark pipelines' lag histories, at most `lag.maxCachedPipelines`. */
  private readonly sparkHistoryCache: LRUCache<
    string,
    { key: string; history: PipelineLagResponse['history'] }
  >;
  private readonly groupHistory = new Map<
    string,
    PipelineLagResponse['history']
  >();

  /** Answers shared within {@link ANSWER_REUSE_MS}, at most `lag.maxCachedPipelines`. */
  private readonly answers: LRUCache<
    string,
    {
      revision: string;
      queryName: string;
      answer: Promise<PipelineLagResponse>;
    }
  >;

  constructor(
    private readonly config: StreamingConfig,
    private readonly offsets: OffsetSource,
    private readonly store: ProgressStore,
  ) {
    const max = config.lag.maxCachedPipelines;
    this.sparkHistoryCache = new LRUCache({ max });
    this.answers = new LRUCache({ max, ttl: ANSWER_REUSE_MS });
  }

  /**
   * The full lag answer of a pipeline, with its history. Requests within
   * {@link ANSWER_REUSE_MS} of each other share one answer (the same object).
   */
  getLag(pipeline: PipelineEntity): Promise<PipelineLagResponse> {
    const cached = this.answers.get(pipeline.entityRef);
    if (cached?.revision === pipeline.revision) {
      return cached.answer;
    }
    const entry = {
      revision: pipeline.revision,
      queryName: pipeline.summary.queryName,
      answer: this.computeLag(pipeline),
    };
    this.answers.set(pipeline.entityRef, entry);
    entry.answer.catch(() => {
      if (this.answers.peek(pipeline.entityRef) === entry) {
        this.answers.delete(pipeline.entityRef);
      }
    });
    return entry.answer;
  }

  /**
   * Keeps what is held per pipeline (answers, lag histories) only for the
   * given ones: the catalog's current pipelines.
   */
  retainPipelines(entityRefs: string[]): void {
    const keep = new Set(entityRefs);
    for (const perPipeline of [
      this.answers,
      this.sparkHistoryCache,
      this.groupHistory,
    ]) {
      for (const entityRef of [...perPipeline.keys()]) {
        if (!keep.has(entityRef)) perPipeline.delete(entityRef);
      }
    }
  }

  /** Drops the shared answers of queries with new micro-batches. */
  forgetAnswers(queryNames: string[]): void {
    const changed = new Set(queryNames);
    for (const [entityRef, entry] of [...this.answers.entries()]) {
      if (changed.has(entry.queryName)) this.answers.delete(entityRef);
    }
  }

  private async computeLag(
    pipeline: PipelineEntity,
    options: {
      /** The newest batch when the caller has it already; null: none. */
      latestBatch?: MicroBatch | null;
      withHistory?: boolean;
    } = {},
  ): Promise<PipelineLagResponse> {
    const { latestBatch, withHistory = true } = options;
    const now = Date.now();
    const { summary } = pipeline;
    const method = pipeline.consumerGroups.length
      ? 'consumer-group'
      : 'spark-progress';
    const resolved = resolveKafkaCluster(this.config, pipeline.kafkaCluster);
    const base: PipelineLagResponse = {
      entityRef: pipeline.entityRef,
      cluster: resolved.cluster ?? '',
      method,
      consumerGroups:
        method === 'consumer-group' ? pipeline.consumerGroups : undefined,
      totalMessages: null,
      maxLagSeconds: null,
      partitions: [],
      history: [],
      thresholds: {
        lagSeconds: summary.thresholds.lagSeconds,
        lagMessages: summary.thresholds.lagMessages,
      },
      errors: [],
    };
    const topics = summary.source.topics;
    if (topics.length === 0) {
      return { ...base, unknownReason: 'the pipeline reads no Kafka topic' };
    }
    if (resolved.error) {
      base.errors.push(resolved.error);
      return { ...base, unknownReason: resolved.error.message };
    }
    const cluster = resolved.cluster;
    const offsets = await this.offsets.getOffsets({
      cluster,
      topics,
      groups: pipeline.consumerGroups,
    });
    const batch =
      latestBatch === undefined
        ? (await this.store.latestBatches([summary.queryName])).get(
            summary.queryName,
          )
        : latestBatch ?? undefined;
    const consumed =
      method === 'spark-progress'
        ? batch && sparkConsumedOffsets(batch, topics)
        : groupConsumedOffsets(offsets, pipeline.consumerGroups);
    const observed = topics.flatMap(t => {
      const topic = offsets.topics.get(t);
      if (!topic || !topic.exists) {
        base.errors.push({
          source: `kafka:${cluster}`,
          message: `Topic ${t} does not exist`,
        });
        return [];
      }
      return [topic];
    });
    const batchAt =
      method === 'spark-progress' && batch
        ? Date.parse(batch.timestamp)
        : undefined;
    const partitions = computePartitionLag({
      topics: observed,
      consumed,
      consumedLatest:
        method === 'spark-progress' && batch
          ? sparkConsumedOffsets(batch, topics, 'latestOffset')
          : undefined,
      consumedAt: batchAt,
      consumedReportedAt:
        batchAt === undefined || !batch ? undefined : batchEndedAt(batch),
      observedAt: offsets.observedAt?.getTime(),
      missingIssue: method === 'spark-progress' ? 'no-progress' : 'no-commit',
      headHistory: (t, p) => this.offsets.headHistory(cluster, t, p),
      now,
    });
    const totals = totalsOf(partitions);
    if (offsets.error) {
      base.errors.push({ source: `kafka:${cluster}`, message: offsets.error });
    }
    const response: PipelineLagResponse = {
      ...base,
      ...totals,
      unknownReason:
        totals.totalMessages === null
          ? unknownReasonOf(partitions, base.errors, method)
          : undefined,
      partitions,
      observedAt: offsets.observedAt?.toISOString(),
      ageSeconds: offsets.observedAt
        ? Math.max(0, (now - offsets.observedAt.getTime()) / 1000)
        : undefined,
    };
    if (method === 'consumer-group') {
      response.history = this.recordGroupHistory(pipeline.entityRef, response);
    } else if (withHistory) {
      // Reused until a new batch arrives or the offsets are polled again.
      const key = `${batch?.timestamp}|${response.observedAt}`;
      const cached = this.sparkHistoryCache.get(pipeline.entityRef);
      if (cached?.key === key) {
        response.history = cached.history;
      } else {
        response.history = await this.sparkHistory(pipeline, cluster);
        this.sparkHistoryCache.set(pipeline.entityRef, {
          key,
          history: response.history,
        });
      }
    }
    return response;
  }

  /** Totals only (overview, alerts): no history. */
  async getFigures(
    pipeline: PipelineEntity,
    latestBatch: MicroBatch | null,
  ): Promise<LagFigures> {
    const lag = await this.computeLag(pipeline, {
      latestBatch,
      withHistory: false,
    });
    return {
      known: lag.totalMessages !== null,
      totalMessages: lag.totalMessages ?? 0,
      unknownReason: lag.unknownReason,
      maxLagSeconds: lag.maxLagSeconds,
      errors: lag.errors,
    };
  }

  /** Lag at each stored batch: the batch's own `latestOffset` minus its `endOffset`. */
  private async sparkHistory(
    pipeline: PipelineEntity,
    cluster: string,
  ): Promise<PipelineLagResponse['history']> {
    const batches = await this.store.listBatches(pipeline.summary.queryName, {
      limit: SPARK_HISTORY_BATCHES,
    });
    const topics = pipeline.summary.source.topics;
    return batches.map(batch => {
      const time = Date.parse(batch.timestamp);
      let lagMessages = 0;
      let maxSeconds: number | null = null;
      for (const source of batch.sources) {
        for (const [topic, partitions] of Object.entries(
          source.endOffset ?? {},
        )) {
          if (!topics.includes(topic)) continue;
          for (const [partition, end] of Object.entries(partitions)) {
            const latest = source.latestOffset?.[topic]?.[partition];
            if (latest === undefined || latest < end) continue;
            lagMessages += latest - end;
            const seconds = lagSeconds(
              this.offsets.headHistory(cluster, topic, Number(partition)),
              end,
              latest,
              time,
            );
            if (seconds !== null)
              maxSeconds = Math.max(maxSeconds ?? 0, seconds);
          }
        }
      }
      return { time: batch.timestamp, lagMessages, lagSeconds: maxSeconds };
    });
  }

  private recordGroupHistory(
    entityRef: string,
    response: PipelineLagResponse,
  ): PipelineLagResponse['history'] {
    const history = this.groupHistory.get(entityRef) ?? [];
    if (
      response.observedAt &&
      response.totalMessages !== null &&
      history[history.length - 1]?.time !== response.observedAt
    ) {
      history.push({
        time: response.observedAt,
        lagMessages: response.totalMessages,
        lagSeconds: response.maxLagSeconds,
      });
      history.splice(0, Math.max(0, history.length - GROUP_HISTORY_SIZE));
      this.groupHistory.set(entityRef, history);
    }
    return [...history];
  }
}

/** Sums over the partitions with a known lag; null when none is known. */
function totalsOf(partitions: PartitionLag[]) {
  let totalMessages: number | null = null;
  let maxLagSeconds: number | null = null;
  for (const p of partitions) {
    if (p.lagMessages !== null) {
      totalMessages = (totalMessages ?? 0) + p.lagMessages;
    }
    if (p.lagSeconds !== null) {
      maxLagSeconds = Math.max(maxLagSeconds ?? 0, p.lagSeconds);
    }
  }
  return { totalMessages, maxLagSeconds };
}
