export { METRICS_WINDOWS, streamingApiRef } from './StreamingApi';
export type { MetricsRange, MetricsWindow, StreamingApi } from './StreamingApi';
export { StreamingClient } from './StreamingClient';
