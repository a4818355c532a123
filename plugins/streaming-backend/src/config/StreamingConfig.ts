import { Config } from '@backstage/config';
import { SourceError } from '@internal/plugin-streaming-common';
import {
  KubernetesClusterConfig,
  readKubernetesClusterConfigs,
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

const positive = (value: number) => z.coerce.number().positive().default(value);
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
      maxFutureSkewSeconds: z.coerce.number().nonnegative().default(300),
      restartInitialSeconds: positive(1),
      restartMaxSeconds: positive(300),
    })
    .prefault({}),
  lag: z
    .object({
      pollIntervalSeconds: positive(30),
      historySize: z.coerce.number().int().min(2).default(240),
      maxTopicsPerPipeline: positiveInt(50),
      maxGroupsPerPipeline: positiveInt(20),
      maxExtraNamesPerCluster: positiveInt(200),
      expireAfterSeconds: positive(600),
    })
    .prefault({}),
  topics: z
    .object({ listCacheSeconds: z.coerce.number().nonnegative().default(60) })
    .prefault({}),
  metrics: z.object({ maxOffsetsPerAnswer: positiveInt(50_000) }).prefault({}),
  retention: z
    .object({
      maxAgeDays: positive(7),
      maxBatchesPerPipeline: z.coerce.number().int().positive().default(20000),
      cleanupIntervalMinutes: positive(10),
    })
    .default({
      maxAgeDays: 7,
      maxBatchesPerPipeline: 20000,
      cleanupIntervalMinutes: 10,
    }),
  catalog: z
    .object({ cacheSeconds: z.coerce.number().nonnegative().default(10) })
    .default({ cacheSeconds: 10 }),
  overview: z
    .object({ maxPageSize: z.coerce.number().int().positive().default(500) })
    .default({ maxPageSize: 500 }),
  status: z
    .object({ staleAfterSeconds: positive(300), cacheSeconds: positive(15) })
    .default({ staleAfterSeconds: 300, cacheSeconds: 15 }),
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
  alerts: z
    .object({
      notify: z.boolean().default(false),
      evaluateIntervalSeconds: positive(60),
    })
    .default({ notify: false, evaluateIntervalSeconds: 60 }),
  operations: z
    .object({
      restartTimeoutSeconds: positive(120),
      deletePollMilliseconds: positiveInt(500),
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
      cacheSeconds: z.coerce.number().nonnegative().default(30),
    })
    .prefault({}),
});

/**
 * The validated `streaming` block of app-config, with every default applied.
 *
 * @public
 */
export type StreamingConfig = Omit<
  z.infer<typeof streamingConfigSchema>,
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
 * expected host:port`).
 *
 * @public
 */
export function readStreamingConfig(config: Config): StreamingConfig {
  return {
    ...readStreamingConfigSection(config, streamingConfigSchema),
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
