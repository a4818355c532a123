/**
 * Node.js parts shared by the streaming backend plugin and its modules:
 * cluster configuration and Kafka client options.
 *
 * @packageDocumentation
 */

export * from './config/clusterConfigSchemas';
export * from './config/readClusterConfigs';
export * from './config/SparkApplicationNamespaces';
export * from './kafka/kafkaClientConfig';
export * from './schemaRegistry';
