export { METRICS_WINDOWS, streamingApiRef } from './StreamingApi';
export type {
  MetricsRange,
  MetricsWindow,
  PipelineEnvironmentStatus,
  PipelineEnvironmentsResponse,
  StreamingApi,
} from './StreamingApi';
export { StreamingClient } from './StreamingClient';
