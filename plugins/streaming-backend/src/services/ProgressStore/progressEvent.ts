import {
  formatZodIssues,
  MicroBatch,
  PIPELINE_OBSERVATION,
} from '@internal/plugin-streaming-common';
import { z } from 'zod';

/**
 * Bounds of every field of a progress event. Query names and run ids are as
 * wide as their columns (`micro_batches.query_name`, `.run_id`), so that no
 * record that passes the parser can fail the insert; the others keep one
 * event's share of an answer small.
 */
const QUERY_NAME_MAX = 255;
const ID_MAX = 64;
const TEXT_MAX = 4096;
const LIST_MAX = 100;
const ENTRIES_MAX = 64;

/**
 * Limits from `streaming.progress` in app-config.
 *
 * @public
 */
export interface ProgressLimits {
  /** Events larger than this (UTF-8 bytes) are refused. */
  maxEventBytes: number;
  /** Events stamped further ahead of the backend clock are refused. */
  maxFutureSkewMs: number;
}

/** The defaults of {@link ProgressLimits}. */
export const defaultProgressLimits: ProgressLimits = {
  maxEventBytes: 1024 * 1024,
  maxFutureSkewMs: 300_000,
};

const finite = z.number().refine(Number.isFinite, 'expected a finite number');
const count = z.number().int().nonnegative();
/** Spark leaves NaN and infinite rates out of the JSON; 0 is their meaning. */
const rate = finite.nonnegative().optional().default(0);
const text = (max = TEXT_MAX) => z.string().max(max);
/** A JSON object of at most `max` entries with bounded keys. */
const entries = <V extends z.ZodType>(value: V, max = ENTRIES_MAX) =>
  z
    .record(text(QUERY_NAME_MAX), value)
    .refine(
      record => Object.keys(record).length <= max,
      `expected at most ${max} entries`,
    );
/** A printable name: a key of the progress topic or a query name. */
const printableName = z
  .string()
  .regex(
    new RegExp(`^[^\\u0000-\\u001f\\u007f]{1,${QUERY_NAME_MAX}}$`),
    `expected at most ${QUERY_NAME_MAX} characters without control characters`,
  );

/** Partition offsets per topic; their number is bounded by the event's size. */
const kafkaOffsets = z.record(
  text(QUERY_NAME_MAX),
  z.record(z.string().regex(/^\d{1,10}$/), z.number().int()),
);
/** Spark writes Kafka offsets as an object, other sources as any JSON value or a JSON string. */
const sourceOffset = z
  .unknown()
  .transform(value => {
    const candidate = typeof value === 'string' ? safeJsonParse(value) : value;
    const parsed = kafkaOffsets.safeParse(candidate);
    return parsed.success ? parsed.data : undefined;
  })
  .optional();

function safeJsonParse(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return undefined;
  }
}

/**
 * A `StreamingQueryProgress` as Spark serialises it (`query.lastProgress`
 * in PySpark, `StreamingQueryProgress.json` in Scala). Unknown fields are
 * ignored.
 */
export const streamingQueryProgressSchema = z.object({
  id: text(ID_MAX).optional(),
  runId: text(ID_MAX).optional(),
  name: printableName.nullish(),
  timestamp: z.iso.datetime({ offset: true }),
  batchId: count,
  numInputRows: count,
  inputRowsPerSecond: rate,
  processedRowsPerSecond: rate,
  durationMs: entries(finite).default({}),
  eventTime: entries(text(ID_MAX)).optional(),
  stateOperators: z
    .array(
      z.object({
        operatorName: text(QUERY_NAME_MAX).optional(),
        numRowsTotal: count,
        numRowsUpdated: count,
        memoryUsedBytes: count,
        numRowsDroppedByWatermark: count.optional(),
      }),
    )
    .max(LIST_MAX)
    .default([]),
  sources: z
    .array(
      z.object({
        description: text(),
        startOffset: sourceOffset,
        endOffset: sourceOffset,
        latestOffset: sourceOffset,
        numInputRows: count,
        inputRowsPerSecond: rate,
        processedRowsPerSecond: rate,
        metrics: entries(text()).optional(),
      }),
    )
    .max(LIST_MAX)
    .default([]),
  /** Named observations (`Dataset.observe`): name -> metric -> value. */
  observedMetrics: entries(entries(z.unknown())).optional(),
  /** What the driver runs, added by the generated job's publisher. */
  runtime: z
    .object({
      master: text(ID_MAX),
      defaultParallelism: count.max(1_000_000),
      executors: count.max(1_000_000).nullable().default(null),
    })
    .optional()
    .catch(undefined),
  sink: z
    .object({
      description: text().optional(),
      numOutputRows: z.number().int(),
    })
    .partial()
    .optional(),
});

/** @public */
export type StreamingQueryProgress = z.infer<
  typeof streamingQueryProgressSchema
>;

/** The outcome of reading one record of the progress topic. */
export type ParsedProgress =
  | { kind: 'ok'; queryName: string; batch: MicroBatch }
  | { kind: 'malformed'; reason: string }
  | { kind: 'unknown'; reason: string };

/**
 * Parses one progress record: the key names the query (falling back to the
 * event's `name`, which must match the key when both are set: an event speaks
 * only for its own pipeline); the value is the progress JSON. Every field is
 * bounded; events larger than `limits.maxEventBytes` or stamped more than
 * `limits.maxFutureSkewMs` after `now` are refused.
 */
export function parseProgressRecord(
  key: string | undefined,
  value: string | undefined,
  options: { now?: number; limits?: ProgressLimits } = {},
): ParsedProgress {
  const { now = Date.now(), limits = defaultProgressLimits } = options;
  if (!value) {
    return { kind: 'malformed', reason: 'empty value' };
  }
  const bytes = Buffer.byteLength(value);
  if (bytes > limits.maxEventBytes) {
    return {
      kind: 'malformed',
      reason: `value: ${bytes} bytes, more than ${limits.maxEventBytes} (streaming.progress.maxEventBytes)`,
    };
  }
  if (key && !printableName.safeParse(key).success) {
    return {
      kind: 'malformed',
      reason: `key: expected at most ${QUERY_NAME_MAX} characters without control characters`,
    };
  }
  const json = safeJsonParse(value);
  if (json === undefined) {
    return { kind: 'malformed', reason: 'value is not JSON' };
  }
  const parsed = streamingQueryProgressSchema.safeParse(json);
  if (!parsed.success) {
    return {
      kind: 'malformed',
      reason: formatZodIssues(parsed.error.issues.slice(0, 1)),
    };
  }
  const progress = parsed.data;
  const keyName = key?.trim();
  const eventName = progress.name?.trim();
  if (keyName && eventName && keyName !== eventName) {
    return {
      kind: 'malformed',
      reason: `name ${eventName} does not match the key ${keyName}`,
    };
  }
  const queryName = keyName || eventName;
  if (!queryName) {
    return { kind: 'unknown', reason: 'neither a key nor a query name' };
  }
  const time = Date.parse(progress.timestamp);
  if (time > now + limits.maxFutureSkewMs) {
    return {
      kind: 'malformed',
      reason: `timestamp: ${new Date(time).toISOString()} is more than ${
        limits.maxFutureSkewMs / 1000
      } s ahead of the backend clock (streaming.progress.maxFutureSkew)`,
    };
  }
  return { kind: 'ok', queryName, batch: toMicroBatch(progress) };
}

/** A count the generated job's observation reports, when it is one. */
function observedCount(
  progress: StreamingQueryProgress,
  metric: string,
): number | undefined {
  const parsed = count.safeParse(
    progress.observedMetrics?.[PIPELINE_OBSERVATION.name]?.[metric],
  );
  return parsed.success ? parsed.data : undefined;
}

/** Keeps what the API serves from a progress event. */
export function toMicroBatch(progress: StreamingQueryProgress): MicroBatch {
  return {
    batchId: progress.batchId,
    timestamp: new Date(progress.timestamp).toISOString(),
    runId: progress.runId,
    numInputRows: progress.numInputRows,
    inputRowsPerSecond: progress.inputRowsPerSecond,
    processedRowsPerSecond: progress.processedRowsPerSecond,
    durationMs: progress.durationMs,
    watermark: progress.eventTime?.watermark,
    stateOperators: progress.stateOperators,
    sources: progress.sources.map(source => ({
      description: source.description,
      startOffset: source.startOffset,
      endOffset: source.endOffset,
      latestOffset: source.latestOffset,
      numInputRows: source.numInputRows,
      inputRowsPerSecond: source.inputRowsPerSecond,
      processedRowsPerSecond: source.processedRowsPerSecond,
      metrics: source.metrics,
    })),
    sinkNumOutputRows: progress.sink?.numOutputRows,
    inputBytes: observedCount(progress, PIPELINE_OBSERVATION.inputBytes),
    badRecords: observedCount(progress, PIPELINE_OBSERVATION.badRecords),
    deadLetterRecords: observedCount(
      progress,
      PIPELINE_OBSERVATION.deadLetterRecords,
    ),
    runtime: progress.runtime,
  };
}
