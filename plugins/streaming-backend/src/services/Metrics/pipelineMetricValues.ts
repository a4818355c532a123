import { parseEntityRef } from '@backstage/catalog-model';
import { PIPELINE_METRICS } from '@internal/plugin-streaming-common';
import { OverviewEntry } from '../Overview/OverviewService';
import { batchEndedAt } from '../ProgressStore/batchEndedAt';

/** The pipeline gauges (the skipped-records counter is not per pipeline). */
export type PipelineGauge = Exclude<
  keyof typeof PIPELINE_METRICS,
  'skippedProgressRecords'
>;

/** One gauge reading with its labels. */
export interface PipelineMetricValue {
  metric: PipelineGauge;
  attributes: Record<string, string>;
  value: number;
}

const HOURS_PER_MONTH = 730;

/**
 * The gauge readings of evaluated pipelines. A figure that is unknown (lag
 * not computable, no batch yet, no cost) gives no reading rather than a
 * made-up zero.
 */
export function pipelineMetricValues(
  entries: Iterable<Pick<OverviewEntry, 'pipeline' | 'state' | 'row'>>,
): PipelineMetricValue[] {
  const values: PipelineMetricValue[] = [];
  for (const { pipeline, state, row } of entries) {
    // A pipeline with environments is evaluated in each of them: its series
    // say which, as each environment's alert rules select them (pipeline and
    // environment).
    const labels: Record<string, string> = {
      pipeline: pipeline.summary.name,
      ...(pipeline.summary.environment
        ? { environment: pipeline.summary.environment }
        : {}),
    };
    const add = (metric: PipelineGauge, value: number | null | undefined) => {
      if (typeof value === 'number' && Number.isFinite(value)) {
        values.push({ metric, attributes: labels, value });
      }
    };
    add('lagMessages', state.lag.known ? state.lag.totalMessages : null);
    add('lagSeconds', state.lag.maxLagSeconds);
    // When it ended, as the status counts a batch's age: the generated
    // staleness alert (time() minus this) agrees with the portal's health.
    const batchEnded = state.latestBatch
      ? batchEndedAt(state.latestBatch)
      : NaN;
    add('lastBatchTimestamp', batchEnded / 1000);
    add('inputRowsPerSecond', row.inputRowsPerSecond);
    // Reported only by jobs that observe their records (generated ones).
    add('lastBatchInputBytes', state.latestBatch?.inputBytes);
    add('lastBatchBadRecords', state.latestBatch?.badRecords);
    add('lastBatchDeadLetterRecords', state.latestBatch?.deadLetterRecords);
    add(
      'batchDurationSeconds',
      row.processingDelayMs === null ? null : row.processingDelayMs / 1000,
    );
    // An idle pipeline's cost is an estimate, not spending (as in the overview).
    add(
      'costPerHour',
      row.running && row.monthlyCost !== null
        ? row.monthlyCost / HOURS_PER_MONTH
        : null,
    );
    values.push({
      metric: 'health',
      attributes: { ...labels, health: row.health },
      value: 1,
    });
    values.push({
      metric: 'info',
      attributes: {
        ...labels,
        namespace: parseEntityRef(pipeline.entityRef).namespace,
        owner: row.owner ?? '',
        system: row.system ?? '',
      },
      value: 1,
    });
  }
  return values;
}
