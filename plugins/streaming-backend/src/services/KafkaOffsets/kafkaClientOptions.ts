import { KafkaConfig, SASLOptions } from 'kafkajs';
import { KafkaClusterConfig } from '../../config/StreamingConfig';

/** kafkajs client options of a configured cluster (TLS, SASL, timeouts). */
export function kafkaClientOptions(cluster: KafkaClusterConfig): KafkaConfig {
  const sasl: SASLOptions | undefined = cluster.sasl
    ? ({
        mechanism: cluster.sasl.mechanism,
        username: cluster.sasl.username,
        password: cluster.sasl.password,
      } as SASLOptions)
    : undefined;
  return {
    clientId: cluster.clientId,
    brokers: cluster.brokers,
    ssl: cluster.ssl,
    sasl,
    connectionTimeout: cluster.connectionTimeoutMs,
    requestTimeout: cluster.requestTimeoutMs,
    retry: { retries: 1, initialRetryTime: 200, maxRetryTime: 1000 },
  };
}
