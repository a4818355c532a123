import { Config } from '@backstage/config';
import { InputError, NotAllowedError } from '@backstage/errors';

/** The bounds a `kafka:topic:create` step must stay within on one cluster. */
export interface TopicLimitValues {
  /** Topics one step may create. */
  maxTopicsPerStep: number;
  /** Partitions of one topic. */
  maxPartitions: number;
  /** Replication factor of one topic. */
  maxReplicationFactor: number;
  /** `retention.ms`; -1 (unlimited) is refused as exceeding it. */
  maxRetentionMs: number;
  /** `max.message.bytes`. */
  maxMessageBytes: number;
}

/** What each cluster allows: the limits and, when set, the templates. */
export interface ClusterTopicLimits extends TopicLimitValues {
  /** Entity refs of the templates that may create topics; undefined: any. */
  allowedTemplates?: string[];
}

const CONFIG_KEY = 'streaming.scaffolder.kafkaTopics';

/** Defaults of `streaming.scaffolder.kafkaTopics` (see config.d.ts). */
export const DEFAULT_TOPIC_LIMITS: TopicLimitValues = {
  maxTopicsPerStep: 10,
  maxPartitions: 100,
  maxReplicationFactor: 3,
  maxRetentionMs: 30 * 24 * 3600 * 1000,
  maxMessageBytes: 8 * 1024 * 1024,
};

const LIMIT_KEYS = Object.keys(DEFAULT_TOPIC_LIMITS) as Array<
  keyof TopicLimitValues
>;

function readValues(
  config: Config | undefined,
  fallback: TopicLimitValues,
  where: string,
): TopicLimitValues {
  const values = { ...fallback };
  for (const key of LIMIT_KEYS) {
    const value = config?.getOptionalNumber(key);
    if (value !== undefined) {
      if (!Number.isInteger(value) || value < 1) {
        throw new Error(
          `${where}.${key} must be a whole number of 1 or more, got ${value}`,
        );
      }
      values[key] = value;
    }
  }
  return values;
}

/**
 * The limits of `kafka:topic:create`, from `streaming.scaffolder.kafkaTopics`:
 * defaults for every cluster, overridden per cluster, and per cluster the
 * templates allowed to create topics on it.
 */
export class TopicLimits {
  readonly #defaults: TopicLimitValues;
  readonly #clusters: Map<string, ClusterTopicLimits>;

  static fromConfig(config: Config): TopicLimits {
    const section = config.getOptionalConfig(CONFIG_KEY);
    const defaults = readValues(section, DEFAULT_TOPIC_LIMITS, CONFIG_KEY);
    const clusters = new Map<string, ClusterTopicLimits>();
    for (const cluster of section?.getOptionalConfigArray('clusters') ?? []) {
      const name = cluster.getString('name');
      clusters.set(name, {
        ...readValues(cluster, defaults, `${CONFIG_KEY}.clusters[${name}]`),
        allowedTemplates: cluster.getOptionalStringArray('allowedTemplates'),
      });
    }
    return new TopicLimits(defaults, clusters);
  }

  private constructor(
    defaults: TopicLimitValues,
    clusters: Map<string, ClusterTopicLimits>,
  ) {
    this.#defaults = defaults;
    this.#clusters = clusters;
  }

  /** The limits of the named cluster. */
  forCluster(cluster: string): ClusterTopicLimits {
    return this.#clusters.get(cluster) ?? this.#defaults;
  }

  /**
   * Throws a `NotAllowedError` when the cluster has an allow-list of
   * templates and the running template is not on it.
   */
  assertTemplateAllowed(cluster: string, templateRef: string | undefined) {
    const { allowedTemplates } = this.forCluster(cluster);
    if (allowedTemplates && !allowedTemplates.includes(templateRef ?? '')) {
      throw new NotAllowedError(
        `Template ${
          templateRef ?? '(unknown)'
        } may not create topics on Kafka cluster "${cluster}" (${CONFIG_KEY}.clusters[].allowedTemplates: ${
          allowedTemplates.join(', ') || 'none'
        })`,
      );
    }
  }

  /**
   * Throws an `InputError` naming every topic setting beyond the cluster's
   * limits, and the limit's config key.
   */
  assertWithin(
    cluster: string,
    topics: ReadonlyArray<{
      name: string;
      partitions?: number;
      replicationFactor?: number;
      configs?: Record<string, string>;
    }>,
  ) {
    const limits = this.forCluster(cluster);
    const problems: string[] = [];
    const exceeds = (
      what: string,
      value: number,
      key: keyof TopicLimitValues,
    ) => {
      if (value > limits[key]) {
        problems.push(
          `${what} ${value} exceeds the limit of ${limits[key]} on cluster "${cluster}" (${CONFIG_KEY}.${key})`,
        );
      }
    };
    exceeds(`${topics.length} topics:`, topics.length, 'maxTopicsPerStep');
    for (const topic of topics) {
      const label = `topic ${JSON.stringify(topic.name)}:`;
      if (topic.partitions !== undefined) {
        exceeds(`${label} partitions`, topic.partitions, 'maxPartitions');
      }
      if (topic.replicationFactor !== undefined) {
        exceeds(
          `${label} replication factor`,
          topic.replicationFactor,
          'maxReplicationFactor',
        );
      }
      const retention = topic.configs?.['retention.ms'];
      if (retention === '-1') {
        problems.push(
          `${label} retention.ms -1 (unlimited) exceeds the limit of ${limits.maxRetentionMs} on cluster "${cluster}" (${CONFIG_KEY}.maxRetentionMs)`,
        );
      } else if (retention !== undefined) {
        exceeds(`${label} retention.ms`, Number(retention), 'maxRetentionMs');
      }
      const messageBytes = topic.configs?.['max.message.bytes'];
      if (messageBytes !== undefined) {
        exceeds(
          `${label} max.message.bytes`,
          Number(messageBytes),
          'maxMessageBytes',
        );
      }
    }
    if (problems.length > 0) {
      throw new InputError(`Topic limits exceeded: ${problems.join('; ')}`);
    }
  }
}
