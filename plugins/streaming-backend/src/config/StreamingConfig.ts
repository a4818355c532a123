import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { HumanDuration } from '@backstage/types';
import { SourceError } from '@internal/plugin-streaming-common';
import {
  KubernetesClusterConfig,
  readKubernetesClusterConfigs,
  readOptionalDuration,
  ReplacedDurationKey,
  readStreamingConfigSection,
  streamingKafkaConfigSchema,
  streamingKubernetesSettingsSchema,
} from '@internal/plugin-streaming-node';
import { z } from 'zod';

export type {
  KafkaClusterConfig,
  KubernetesClusterConfig,
} from '@internal/plugin-streaming-node';

const rateSchema = z.object({
  coreHour: z.coerce.number().nonnegative(),
  gbHour: z.coerce.number().nonnegative(),
});

const positiveInt = (value: number) =>
  z.coerce.number().int().positive().default(value);

const streamingConfigSchema = streamingKafkaConfigSchema.extend({
  progressTopic: z.string().min(1).default('streaming.progress'),
  progressConsumerGroup: z
    .string()
    .min(1)
    .default('backstage-streaming-progress'),
  // The clusters' settings; the clusters are kubernetes.clusterLocatorMethods.
  kubernetes: z
    .object({ clusters: streamingKubernetesSettingsSchema })
    .default({ clusters: [] }),
  progress: z
    .object({
      maxEventBytes: positiveInt(1024 * 1024),
    })
    .prefault({}),
  lag: z
    .object({
      historySize: z.coerce.number().int().min(2).default(240),
      maxTopicsPerPipeline: positiveInt(50),
      maxGroupsPerPipeline: positiveInt(20),
      maxExtraNamesPerCluster: positiveInt(200),
      maxCachedPipelines: positiveInt(1000),
    })
    .prefault({}),
  metrics: z.object({ maxOffsetsPerAnswer: positiveInt(50_000) }).prefault({}),
  retention: z
    .object({
      maxBatchesPerPipeline: z.coerce.number().int().positive().default(20000),
    })
    .prefault({}),
  catalog: z.object({ pageSize: positiveInt(500) }).prefault({}),
  overview: z
    .object({
      maxPageSize: z.coerce.number().int().positive().default(500),
      maxErrors: z.coerce.number().int().positive().default(50),
      pipelinesPerTurn: z.coerce.number().int().positive().default(100),
    })
    .prefault({}),
  cost: z
    .object({
      currency: z.string().min(1).default('USD'),
      rates: z.record(z.string(), rateSchema).default({}),
      opencost: z
        .object({
          url: z.url({ protocol: /^https?$/ }),
          window: z.string().min(1).default('7d'),
        })
        .optional(),
    })
    .default({ currency: 'USD', rates: {} }),
  alerts: z.object({ notify: z.boolean().default(false) }).prefault({}),
  operations: z
    .object({
      restartPropagation: z
        .enum(['Foreground', 'Background'])
        .default('Foreground'),
    })
    .prefault({}),
  delta: z
    .object({
      allowedRoots: z.array(z.string().min(1)).default([]),
      pathMappings: z
        .array(z.object({ from: z.string().min(1), to: z.string().min(1) }))
        .default([]),
      maxCommits: positiveInt(2000),
      maxCommitBytes: positiveInt(16 * 1024 * 1024),
      maxLogBytes: positiveInt(64 * 1024 * 1024),
    })
    .prefault({}),
});

/**
 * The zod-validated keys and the durations (in milliseconds, read with
 * `readOptionalDuration`; each replaced a number-of-units key, still read
 * with a deprecation warning).
 */
function readSections(config: Config, logger: LoggerService) {
  const parsed = readStreamingConfigSection(config, streamingConfigSchema);
  const duration = (
    key: string,
    defaultValue: HumanDuration,
    replaces: ReplacedDurationKey,
    allowZero = false,
  ) =>
    readOptionalDuration(config, `streaming.${key}`, {
      defaultValue,
      allowZero,
      replaces: { ...replaces, key: `streaming.${replaces.key}` },
      logger,
    });
  const seconds = (key: string): ReplacedDurationKey => ({
    key,
    unit: 'seconds',
  });
  return {
    ...parsed,
    progress: {
      ...parsed.progress,
      maxFutureSkewMs: duration(
        'progress.maxFutureSkew',
        { minutes: 5 },
        seconds('progress.maxFutureSkewSeconds'),
        true,
      ),
      restartInitialMs: duration(
        'progress.restartInitial',
        { seconds: 1 },
        seconds('progress.restartInitialSeconds'),
      ),
      restartMaxMs: duration(
        'progress.restartMax',
        { minutes: 5 },
        seconds('progress.restartMaxSeconds'),
      ),
    },
    lag: {
      ...parsed.lag,
      pollIntervalMs: duration(
        'lag.pollInterval',
        { seconds: 30 },
        seconds('lag.pollIntervalSeconds'),
      ),
      expireAfterMs: duration(
        'lag.expireAfter',
        { minutes: 10 },
        seconds('lag.expireAfterSeconds'),
      ),
    },
    topics: {
      listCacheTtlMs: duration(
        'topics.listCacheTtl',
        { minutes: 1 },
        seconds('topics.listCacheSeconds'),
        true,
      ),
    },
    retention: {
      ...parsed.retention,
      maxAgeMs: duration(
        'retention.maxAge',
        { days: 7 },
        { key: 'retention.maxAgeDays', unit: 'days' },
      ),
    },
    catalog: {
      ...parsed.catalog,
      cacheTtlMs: duration(
        'catalog.cacheTtl',
        { seconds: 10 },
        seconds('catalog.cacheSeconds'),
        true,
      ),
    },
    status: {
      staleAfterMs: duration(
        'status.staleAfter',
        { minutes: 5 },
        seconds('status.staleAfterSeconds'),
      ),
      cacheTtlMs: duration(
        'status.cacheTtl',
        { seconds: 15 },
        seconds('status.cacheSeconds'),
      ),
    },
    alerts: {
      ...parsed.alerts,
      evaluateIntervalMs: duration(
        'alerts.evaluateInterval',
        { minutes: 1 },
        seconds('alerts.evaluateIntervalSeconds'),
      ),
    },
    operations: {
      ...parsed.operations,
      restartTimeoutMs: duration(
        'operations.restartTimeout',
        { minutes: 2 },
        seconds('operations.restartTimeoutSeconds'),
      ),
      deletePollIntervalMs: duration(
        'operations.deletePollInterval',
        { milliseconds: 500 },
        { key: 'operations.deletePollMilliseconds', unit: 'milliseconds' },
      ),
    },
    delta: {
      ...parsed.delta,
      cacheTtlMs: duration(
        'delta.cacheTtl',
        { seconds: 30 },
        seconds('delta.cacheSeconds'),
        true,
      ),
    },
  };
}

/**
 * The validated `streaming` block of app-config, with every default applied;
 * durations in milliseconds (`*Ms`).
 *
 * @public
 */
export type StreamingConfig = Omit<
  ReturnType<typeof readSections>,
  'kubernetes'
> & {
  /** The Kubernetes clusters of `kubernetes.clusterLocatorMethods`, with their settings. */
  kubernetes: { clusters: KubernetesClusterConfig[] };
};

/** @public */
export type CostRate = z.infer<typeof rateSchema>;

/**
 * Reads and validates `streaming` from app-config, `kafka.clusters` the way
 * every streaming package reads it (`readStreamingConfigSection`). Throws one
 * error naming every wrong key (`streaming.kafka.clusters[0].brokers[0]:
 * expected host:port`), or the first wrong duration. A renamed
 * number-of-units key (`streaming.lag.pollIntervalSeconds`) is still read,
 * and `logger` warns that it is deprecated, naming its replacement.
 *
 * @public
 */
export function readStreamingConfig(
  config: Config,
  logger: LoggerService,
): StreamingConfig {
  return {
    ...readSections(config, logger),
    kubernetes: { clusters: readKubernetesClusterConfigs(config) },
  };
}

/**
 * The Kafka cluster a pipeline or topic names (the only configured one when
 * it names none), or the error to show instead.
 */
export function resolveKafkaCluster(
  config: StreamingConfig,
  name: string | undefined,
):
  | { cluster: string; error?: undefined }
  | { cluster?: undefined; error: SourceError } {
  const clusters = config.kafka.clusters;
  if (name && clusters.some(c => c.name === name)) {
    return { cluster: name };
  }
  if (!name && clusters.length === 1) {
    return { cluster: clusters[0].name };
  }
  const known = clusters.map(c => c.name).join(', ') || 'none';
  return {
    error: {
      source: `kafka:${name ?? '?'}`,
      message: name
        ? `No Kafka cluster named ${name}; configured: ${known}`
        : `No Kafka cluster named, and the configured ones are: ${known}`,
    },
  };
}
