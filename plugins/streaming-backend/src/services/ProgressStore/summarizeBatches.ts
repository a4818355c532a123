import {
  MicroBatch,
  PipelineMetricsResponse,
} from '@internal/plugin-streaming-common';
import { batchEndedAt } from './batchEndedAt';

const mean = (values: number[]) =>
  values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;

/** The summary of a range of batches, oldest first. */
export function summarizeBatches(
  batches: MicroBatch[],
  now: number,
): PipelineMetricsResponse['summary'] {
  const durations = batches
    .map(b => b.durationMs.triggerExecution)
    .filter((d): d is number => d !== undefined)
    .sort((a, b) => a - b);
  const last = batches[batches.length - 1];
  const p95 = durations.length
    ? durations[
        Math.min(durations.length - 1, Math.ceil(durations.length * 0.95) - 1)
      ]
    : 0;
  return {
    inputRowsPerSecond: mean(batches.map(b => b.inputRowsPerSecond)),
    processedRowsPerSecond: mean(batches.map(b => b.processedRowsPerSecond)),
    avgBatchDurationMs: mean(durations),
    p95BatchDurationMs: p95,
    totalInputRows: batches.reduce((sum, b) => sum + b.numInputRows, 0),
    watermark: [...batches].reverse().find(b => b.watermark)?.watermark,
    lastBatchAt: last?.timestamp,
    lastBatchAgeSeconds: last
      ? Math.max(0, (now - batchEndedAt(last)) / 1000)
      : undefined,
  };
}
