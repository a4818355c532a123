/**
 * Node.js parts shared by the streaming backend plugin and its modules: the
 * source interfaces and the extension point that replaces them, cluster
 * configuration and Kafka client options.
 *
 * @packageDocumentation
 */

export * from './extensions';
export * from './sources/CostSource';
export * from './sources/OffsetSource';
export * from './sources/PipelineEntity';
export * from './sources/StatusSource';
export * from './config/clusterConfigSchemas';
export * from './config/parseConfigSection';
export * from './config/readClusterConfigs';
export * from './config/readOptionalDuration';
export * from './config/SparkApplicationNamespaces';
export * from './kafka/kafkaClientConfig';
export * from './kafkaConnect/KafkaConnectClient';
export * from './kafkaConnect/KafkaConnectClusters';
export * from './kafkaConnect/debeziumCapture';
export * from './kubernetes/kubeConfigForCluster';
export * from './kubernetes/readKubernetesClusters';
export * from './lib/redactCredentials';
export * from './schemaRegistry';
export * from './search/SearchClient';
export * from './search/SearchClusters';
