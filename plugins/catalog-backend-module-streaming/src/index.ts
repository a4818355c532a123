/**
 * The streaming backend module for the catalog plugin: pipelines, Kafka
 * topics, Delta tables, Elasticsearch indexes, CDC source tables, schemas and
 * Kafka Connect connectors as entities with lineage.
 *
 * @packageDocumentation
 */

export { catalogModuleStreaming as default } from './module';
export { StreamingPipelineProcessor } from './processor/StreamingPipelineProcessor';
export type { StreamingPipelineProcessorOptions } from './processor/StreamingPipelineProcessor';
export { KafkaConnectEntityProvider } from './providers/KafkaConnectEntityProvider';
export { SchemaRegistryEntityProvider } from './providers/SchemaRegistryEntityProvider';
export { SchemaSubjectProcessor } from './providers/SchemaSubjectProcessor';
