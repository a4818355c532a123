import {
  CostRatesResponse,
  MicroBatch,
  PipelineCostResponse,
} from '@internal/plugin-streaming-common';
import { StreamingConfig } from '../../config/StreamingConfig';
import { PipelineEntity } from '../Pipelines/PipelineCatalog';
import { ProgressStore } from '../ProgressStore/ProgressStore';
import {
  CostSource,
  SparkApplicationInfo,
} from '@internal/plugin-streaming-node';

const HOURS_PER_MONTH = 730;
const DAY_MS = 86_400_000;
const HISTORY_DAYS = 7;

const round = (value: number) => Math.round(value * 10_000) / 10_000;

/**
 * Hours of activity per UTC day, from batch times: a gap between two batches
 * counts when it is shorter than `maxGapMs` (the pipeline was running).
 */
export function activeHoursPerDay(
  times: number[],
  maxGapMs: number,
): Map<string, number> {
  const hours = new Map<string, number>();
  for (let i = 1; i < times.length; i++) {
    const gap = times[i] - times[i - 1];
    if (gap <= 0 || gap > maxGapMs) continue;
    const day = new Date(times[i]).toISOString().slice(0, 10);
    hours.set(day, (hours.get(day) ?? 0) + gap / 3_600_000);
  }
  return hours;
}

/** Start of the current run: walking back from the newest batch until a gap longer than `maxGapMs`. */
export function currentRunStart(
  times: number[],
  maxGapMs: number,
): number | undefined {
  if (times.length === 0) return undefined;
  let start = times[times.length - 1];
  for (let i = times.length - 1; i > 0; i--) {
    if (times[i] - times[i - 1] > maxGapMs) break;
    start = times[i - 1];
  }
  return start;
}

/** Cost of a pipeline per hour, day, month and million records, and its recent history. */
export class CostService {
  constructor(
    private readonly config: StreamingConfig,
    private readonly source: CostSource,
    private readonly store: ProgressStore,
  ) {}

  /** The configured rates, for estimates of pipelines not created yet. */
  rates(): CostRatesResponse {
    return {
      currency: this.config.cost.currency,
      rates: this.config.cost.rates,
    };
  }

  /** Monthly cost only (overview). */
  async monthly(
    pipeline: PipelineEntity,
    application?: SparkApplicationInfo,
  ): Promise<number> {
    const estimate = await this.source.estimate(pipeline, application);
    return round(
      (estimate.driverPerHour + estimate.executorsPerHour) * HOURS_PER_MONTH,
    );
  }

  /**
   * @param running - whether the pipeline runs now (the status service's
   *   verdict); when not, the figures are labelled an estimate
   */
  async getCost(
    pipeline: PipelineEntity,
    application: SparkApplicationInfo | undefined,
    latestBatch: MicroBatch | null,
    running: boolean,
  ): Promise<PipelineCostResponse> {
    const now = Date.now();
    const estimate = await this.source.estimate(pipeline, application);
    const perHour = estimate.driverPerHour + estimate.executorsPerHour;
    const maxGap = this.config.status.staleAfterMs;
    const times = await this.store.batchTimes(
      pipeline.summary.queryName,
      new Date(now - HISTORY_DAYS * DAY_MS),
    );
    let startedAt: number | undefined;
    if (application?.state === 'RUNNING' && application.lastSubmittedAt) {
      startedAt = Date.parse(application.lastSubmittedAt);
    } else if (
      latestBatch &&
      now - Date.parse(latestBatch.timestamp) <= maxGap
    ) {
      startedAt = currentRunStart(times, maxGap);
    }
    const uptimeHours =
      startedAt !== undefined
        ? Math.max(0, (now - startedAt) / 3_600_000)
        : null;
    const rowsPerSecond = latestBatch?.inputRowsPerSecond ?? 0;
    const activity = activeHoursPerDay(times, maxGap);
    const history = Array.from({ length: HISTORY_DAYS }, (_, i) => {
      const date = new Date(now - (HISTORY_DAYS - 1 - i) * DAY_MS)
        .toISOString()
        .slice(0, 10);
      return { date, cost: round((activity.get(date) ?? 0) * perHour) };
    });
    return {
      entityRef: pipeline.entityRef,
      currency: this.config.cost.currency,
      source: estimate.source,
      running,
      perHour: round(perHour),
      perDay: round(perHour * 24),
      perMonth: round(perHour * HOURS_PER_MONTH),
      perMillionRecords:
        rowsPerSecond > 0
          ? round((perHour / (rowsPerSecond * 3600)) * 1_000_000)
          : null,
      breakdown: {
        driverPerHour: round(estimate.driverPerHour),
        executorsPerHour: round(estimate.executorsPerHour),
      },
      resources: estimate.resources,
      uptimeHours: uptimeHours === null ? null : round(uptimeHours),
      costSinceStart:
        uptimeHours === null ? null : round(uptimeHours * perHour),
      history,
      errors: estimate.errors,
    };
  }
}
