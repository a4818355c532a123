import { PIPELINE_METRICS } from '@internal/plugin-streaming-codegen';
import { PipelineEntity } from '../Pipelines/PipelineCatalog';
import { PipelineState } from '../Status/StatusService';

/** One gauge reading. */
export interface PipelineMetricValue {
  metric: keyof typeof PIPELINE_METRICS;
  pipeline: string;
  value: number;
}

/**
 * The gauge readings of evaluated pipelines. A figure that is unknown (lag
 * not computable, no batch yet) gives no reading rather than a made-up zero.
 */
export function pipelineMetricValues(
  items: Iterable<{ pipeline: PipelineEntity; state: PipelineState }>,
): PipelineMetricValue[] {
  const values: PipelineMetricValue[] = [];
  for (const { pipeline, state } of items) {
    const name = pipeline.summary.name;
    if (state.lag.known) {
      values.push({
        metric: 'lagMessages',
        pipeline: name,
        value: state.lag.totalMessages,
      });
    }
    if (state.lag.maxLagSeconds !== null) {
      values.push({
        metric: 'lagSeconds',
        pipeline: name,
        value: state.lag.maxLagSeconds,
      });
    }
    const batchAt = state.latestBatch
      ? Date.parse(state.latestBatch.timestamp)
      : NaN;
    if (Number.isFinite(batchAt)) {
      values.push({
        metric: 'lastBatchTimestamp',
        pipeline: name,
        value: batchAt / 1000,
      });
    }
  }
  return values;
}
