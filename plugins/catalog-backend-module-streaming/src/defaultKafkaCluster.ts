import { RootConfigService } from '@backstage/backend-plugin-api';
import { readKafkaClusterConfigs } from '@internal/plugin-streaming-node';

/** Cluster of topics whose spec names none, when app-config lists no cluster. */
const FALLBACK_CLUSTER = 'default';

/**
 * The Kafka cluster of topics whose spec (or Kafka Connect cluster) names
 * none: the first of `streaming.kafka.clusters`, `default` when app-config
 * lists none. Topic entity names include it, so every emitter of topic refs
 * must agree on it.
 */
export function defaultKafkaCluster(config: RootConfigService): string {
  return readKafkaClusterConfigs(config)[0]?.name ?? FALLBACK_CLUSTER;
}
