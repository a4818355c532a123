export { streamingPlugin as default } from './plugin';
export { streamingApiRef, StreamingClient } from './api';
export type { MetricsRange, MetricsWindow, StreamingApi } from './api';
export { formatValue } from './lib/formatValue';
export type { FormatValueOptions, ValueUnit } from './lib/formatValue';
