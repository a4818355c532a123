import { MetricsService } from '@backstage/backend-plugin-api/alpha';
import { PIPELINE_METRICS } from '@internal/plugin-streaming-common';
import { OverviewEntry } from '../Overview/OverviewService';
import { IngestionStats } from '../ProgressIngestor/ProgressIngestor';
import {
  PipelineGauge,
  PipelineMetricValue,
  pipelineMetricValues,
} from './pipelineMetricValues';

const gauges: Record<PipelineGauge, { description: string; unit: string }> = {
  lagMessages: {
    description: 'Consumer lag of the pipeline, in messages (all partitions).',
    unit: '{message}',
  },
  lagSeconds: {
    description:
      'Largest per-partition consumer lag of the pipeline, in seconds.',
    unit: 's',
  },
  lastBatchTimestamp: {
    description:
      'When the newest micro-batch of the pipeline ended (Unix seconds): its trigger time plus its triggerExecution.',
    unit: 's',
  },
  inputRowsPerSecond: {
    description:
      'Input rate of the newest micro-batch, while the pipeline runs.',
    unit: '{row}/s',
  },
  batchDurationSeconds: {
    description: 'Duration (triggerExecution) of the newest micro-batch.',
    unit: 's',
  },
  lastBatchInputBytes: {
    description:
      'Bytes of the Kafka records (keys and values) of the newest micro-batch, as the generated job observes them.',
    unit: 'By',
  },
  lastBatchBadRecords: {
    description:
      'Records of the newest micro-batch that did not parse, as the generated job observes them.',
    unit: '{record}',
  },
  lastBatchDeadLetterRecords: {
    description:
      "Records of the newest micro-batch sent to the pipeline's dead-letter target, as the generated job observes them.",
    unit: '{record}',
  },
  health: {
    description:
      'The pipeline health (label health: ok, warning, critical, stale, unknown); 1 for the current one.',
    unit: '1',
  },
  costPerHour: {
    description:
      'Estimated cost of the pipeline per hour, in the configured currency.',
    unit: '{currency}/h',
  },
  info: {
    description:
      'Catalog facts of the pipeline (labels namespace, owner, system); always 1.',
    unit: '1',
  },
};

/**
 * Publishes the figures of the last alerts evaluation, and the progress
 * records the ingestion skipped, through the backend's metrics service (the
 * OpenTelemetry API), for whichever exporter the deployment configures (see
 * {@link prometheusExporterServiceFactory}).
 */
export class PipelineMetrics {
  private values: PipelineMetricValue[] = [];
  private updatedAt = 0;
  /** Label sets ever reported, per gauge. */
  private readonly reported = new Map<
    PipelineGauge,
    Map<string, Record<string, string>>
  >();

  /**
   * @param maxAgeMs - readings older than this are no longer reported (on a
   *   backend instance that has not run the evaluation for that long, another
   *   one has).
   */
  constructor(
    metrics: MetricsService,
    private readonly maxAgeMs: number,
    ingestion?: () => IngestionStats,
  ) {
    for (const key of Object.keys(gauges) as PipelineGauge[]) {
      const reported = new Map<string, Record<string, string>>();
      this.reported.set(key, reported);
      metrics
        .createObservableGauge(PIPELINE_METRICS[key], gauges[key])
        .addCallback(result => {
          const current = new Set<string>();
          const values =
            Date.now() - this.updatedAt > this.maxAgeMs ? [] : this.values;
          for (const { metric, attributes, value } of values) {
            if (metric !== key) continue;
            const id = JSON.stringify(attributes);
            current.add(id);
            reported.set(id, attributes);
            result.observe(value, attributes);
          }
          // The OpenTelemetry SDK repeats the last value of a label set that
          // is no longer observed (an old health, a pipeline that left the
          // catalog, a lag that became unknown): report NaN instead, which
          // PromQL comparisons never match, so its alerts resolve.
          for (const [id, attributes] of reported) {
            if (!current.has(id)) result.observe(NaN, attributes);
          }
        });
    }
    if (ingestion) {
      metrics
        .createObservableCounter(
          // The exporter appends `_total` to counters.
          PIPELINE_METRICS.skippedProgressRecords.replace(/_total$/, ''),
          {
            description:
              'Progress records the backend skipped since start (label reason: malformed, unknown, rejected).',
            unit: '{record}',
          },
        )
        .addCallback(result => {
          for (const [reason, count] of Object.entries(ingestion())) {
            if (reason !== 'stored' && reason !== 'duplicates') {
              result.observe(count, { reason });
            }
          }
        });
    }
  }

  /** Replaces the readings with those of an evaluation. */
  update(
    entries: Iterable<Pick<OverviewEntry, 'pipeline' | 'state' | 'row'>>,
  ): void {
    this.values = pipelineMetricValues(entries);
    this.updatedAt = Date.now();
  }
}
