import { KafkaConfig } from 'kafkajs';
import {
  KafkaClusterConfig,
  kafkaClientConfig,
} from '@internal/plugin-streaming-node';

/**
 * kafkajs client options of a configured cluster with the backend's defaults:
 * client id `backstage-streaming` unless the cluster sets one, and few, quick
 * retries so a down broker shows as an error instead of a hung page.
 */
export function kafkaClientOptions(cluster: KafkaClusterConfig): KafkaConfig {
  return kafkaClientConfig(cluster, {
    clientId: 'backstage-streaming',
    retry: { retries: 1, initialRetryTime: 200, maxRetryTime: 1000 },
  });
}
