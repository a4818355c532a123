import { ANNOTATION_KAFKA_CONSUMER_GROUPS } from './annotations';

/**
 * One consumer group named by {@link ANNOTATION_KAFKA_CONSUMER_GROUPS}.
 *
 * @public
 */
export interface ConsumerGroupRef {
  /**
   * The Kafka cluster, by its name in app-config. Undefined for an entry in
   * the deprecated form without a cluster, which means the pipeline's own.
   */
  cluster?: string;
  group: string;
}

/**
 * Reads `kafka.apache.org/consumer-groups` the way the community Kafka
 * plugin does: a comma-separated list of `clusterId/consumerGroup`. An entry
 * without a cluster (`consumerGroup`, this platform's earlier form) is still
 * read, as a group on the pipeline's own cluster, but is deprecated: write
 * `cluster/group`.
 *
 * @public
 */
export function parseConsumerGroups(
  value: string | undefined,
): ConsumerGroupRef[] {
  return (value ?? '')
    .split(',')
    .map(entry => entry.trim())
    .filter(Boolean)
    .map(entry => {
      const slash = entry.indexOf('/');
      return slash < 0
        ? { group: entry }
        : { cluster: entry.slice(0, slash), group: entry.slice(slash + 1) };
    });
}
