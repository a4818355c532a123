export { streamingApiRef } from './StreamingApi';
export type { MetricsRange, StreamingApi } from './StreamingApi';
export { StreamingClient } from './StreamingClient';
