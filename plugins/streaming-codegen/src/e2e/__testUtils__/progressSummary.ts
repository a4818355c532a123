import { PIPELINE_OBSERVATION } from '@internal/plugin-streaming-common';
import type { TopicRecord } from '@internal/plugin-streaming-node/testUtils';

/** The fields of a published `StreamingQueryProgress` the end-to-end tests check. */
export interface QueryProgress {
  runId: string;
  eventTime?: { watermark?: string };
  batchId: number;
  numInputRows: number;
  sources: { description: string; endOffset: unknown; numInputRows: number }[];
  sink: { numOutputRows?: number };
  observedMetrics?: Record<string, Record<string, number>>;
  /** What the driver runs, added by the generated job's publisher. */
  runtime?: {
    master: string;
    defaultParallelism: number;
    executors: number | null;
  };
}

/** What a pipeline's progress events say, in publication order. */
export interface ProgressSummary {
  events: number;
  batchIds: number[];
  /** Sum of numInputRows over all events. */
  inputRows: number;
  /** Whether every event's batch id is greater than the one before. */
  batchIdsIncrease: boolean;
  /** The source end offsets of the newest event, per partition of `topic`. */
  lastEndOffsets: Record<string, number>;
  runIds: string[];
  /** Sums over all events of the pipeline's observation (`observedMetrics`). */
  inputBytes: number;
  badRecords: number;
  /** Of those, the records sent to the dead-letter target. */
  deadLetterRecords: number;
  /** The newest event. */
  last?: QueryProgress;
}

function offsetsOf(endOffset: unknown, topic: string): Record<string, number> {
  const parsed =
    typeof endOffset === 'string' ? JSON.parse(endOffset) : endOffset;
  const perPartition =
    (parsed as Record<string, Record<string, number>> | null)?.[topic] ?? {};
  return Object.fromEntries(
    Object.entries(perPartition).map(([p, o]) => [p, Number(o)]),
  );
}

/** The progress events of one pipeline (records keyed by its name) on the progress topic. */
export function progressSummary(
  records: TopicRecord[],
  pipeline: string,
  topic: string,
): ProgressSummary {
  const events = records
    .filter(r => r.key === pipeline && r.value !== null)
    .map(r => JSON.parse(r.value!) as QueryProgress);
  const batchIds = events.map(e => e.batchId);
  const batchIdsIncrease = batchIds.every(
    (id, i) => i === 0 || id > batchIds[i - 1],
  );
  const last = events[events.length - 1];
  const observed = (metric: string) =>
    events.reduce(
      (sum, e) =>
        sum + (e.observedMetrics?.[PIPELINE_OBSERVATION.name]?.[metric] ?? 0),
      0,
    );
  return {
    events: events.length,
    batchIds,
    inputRows: events.reduce((sum, e) => sum + e.numInputRows, 0),
    batchIdsIncrease,
    lastEndOffsets: last ? offsetsOf(last.sources[0]?.endOffset, topic) : {},
    runIds: [...new Set(events.map(e => e.runId))],
    inputBytes: observed(PIPELINE_OBSERVATION.inputBytes),
    badRecords: observed(PIPELINE_OBSERVATION.badRecords),
    deadLetterRecords: observed(PIPELINE_OBSERVATION.deadLetterRecords),
    last,
  };
}
