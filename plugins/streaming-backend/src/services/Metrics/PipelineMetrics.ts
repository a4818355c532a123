import { metrics, ObservableGauge } from '@opentelemetry/api';
import { PIPELINE_METRICS } from '@internal/plugin-streaming-codegen';
import { PipelineEntity } from '../Pipelines/PipelineCatalog';
import { PipelineState } from '../Status/StatusService';
import {
  PipelineMetricValue,
  pipelineMetricValues,
} from './pipelineMetricValues';

const descriptions: Record<keyof typeof PIPELINE_METRICS, string> = {
  lagMessages: 'Consumer lag of the pipeline, in messages (all partitions).',
  lagSeconds: 'Largest per-partition consumer lag of the pipeline, in seconds.',
  lastBatchTimestamp: 'When the newest micro-batch of the pipeline ran.',
};

/**
 * Publishes the figures of the last alerts evaluation as OpenTelemetry
 * observable gauges, for whichever exporter the deployment configures.
 */
export class PipelineMetrics {
  private values: PipelineMetricValue[] = [];

  constructor(meter = metrics.getMeter('backstage-plugin-streaming-backend')) {
    const gauges = new Map<keyof typeof PIPELINE_METRICS, ObservableGauge>(
      (
        Object.keys(PIPELINE_METRICS) as Array<keyof typeof PIPELINE_METRICS>
      ).map(key => [
        key,
        meter.createObservableGauge(PIPELINE_METRICS[key], {
          description: descriptions[key],
          unit: key === 'lagMessages' ? '{message}' : 's',
        }),
      ]),
    );
    meter.addBatchObservableCallback(
      result => {
        for (const { metric, pipeline, value } of this.values) {
          result.observe(gauges.get(metric)!, value, { pipeline });
        }
      },
      [...gauges.values()],
    );
  }

  /** Replaces the readings with those of an evaluation. */
  update(
    items: Iterable<{ pipeline: PipelineEntity; state: PipelineState }>,
  ): void {
    this.values = pipelineMetricValues(items);
  }
}
