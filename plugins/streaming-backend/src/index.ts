export { streamingPlugin as default } from './plugin';
export {
  prometheusExporterServiceFactory,
  prometheusExporterServiceRef,
} from './services/Metrics/prometheusExporterServiceFactory';
export type { PrometheusExporterService } from './services/Metrics/prometheusExporterServiceFactory';
