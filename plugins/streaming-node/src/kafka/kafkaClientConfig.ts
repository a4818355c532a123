import { KafkaConfig, SASLOptions } from 'kafkajs';
import { KafkaClusterConfig } from '../config/clusterConfigSchemas';

/**
 * kafkajs client options of a configured cluster: brokers, TLS, SASL and
 * timeouts. `defaults` fills what the cluster leaves open (the client id) and
 * sets the retry policy of the caller.
 *
 * @public
 */
export function kafkaClientConfig(
  cluster: KafkaClusterConfig,
  defaults: { clientId: string; retry?: KafkaConfig['retry'] },
): KafkaConfig {
  const config: KafkaConfig = {
    clientId: cluster.clientId ?? defaults.clientId,
    brokers: cluster.brokers,
    connectionTimeout: cluster.connectionTimeoutMs,
    requestTimeout: cluster.requestTimeoutMs,
    retry: defaults.retry,
  };
  if (cluster.ssl !== undefined) {
    config.ssl = cluster.ssl;
  }
  if (cluster.sasl) {
    const { mechanism, username, password } = cluster.sasl;
    config.sasl = { mechanism, username, password } as SASLOptions;
  }
  return config;
}
