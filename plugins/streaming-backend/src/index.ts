export { streamingPlugin as default } from './plugin';
export * from './extensions';
export type {
  OffsetSource,
  ClusterOffsets,
  ObservedTopic,
  ObservedPartition,
  OffsetObservation,
} from './services/KafkaOffsets/OffsetSource';
export type {
  StatusSource,
  SparkApplicationInfo,
  SparkApplicationTarget,
} from './services/Status/StatusSource';
export type { CostSource, CostEstimate } from './services/Cost/CostSource';
export {
  prometheusExporterServiceFactory,
  prometheusExporterServiceRef,
} from './services/Metrics/prometheusExporterServiceFactory';
export type { PrometheusExporterService } from './services/Metrics/prometheusExporterServiceFactory';
