import { MicroBatch } from '@internal/plugin-streaming-common';
import { z } from 'zod';

const finite = z.number().refine(Number.isFinite, 'expected a finite number');
const count = z.number().int().nonnegative();
/** Spark leaves NaN and infinite rates out of the JSON; 0 is their meaning. */
const rate = finite.nonnegative().optional().default(0);

const kafkaOffsets = z.record(
  z.string(),
  z.record(z.string().regex(/^\d+$/), z.number().int()),
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

function safeJsonParse(text: string): unknown {
  try {
    return JSON.parse(text);
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
  id: z.string().optional(),
  runId: z.string().optional(),
  name: z.string().nullish(),
  timestamp: z.iso.datetime({ offset: true }),
  batchId: count,
  numInputRows: count,
  inputRowsPerSecond: rate,
  processedRowsPerSecond: rate,
  durationMs: z.record(z.string(), finite).default({}),
  eventTime: z.record(z.string(), z.string()).optional(),
  stateOperators: z
    .array(
      z.object({
        operatorName: z.string().optional(),
        numRowsTotal: count,
        numRowsUpdated: count,
        memoryUsedBytes: count,
        numRowsDroppedByWatermark: count.optional(),
      }),
    )
    .default([]),
  sources: z
    .array(
      z.object({
        description: z.string(),
        startOffset: sourceOffset,
        endOffset: sourceOffset,
        latestOffset: sourceOffset,
        numInputRows: count,
        inputRowsPerSecond: rate,
        processedRowsPerSecond: rate,
        metrics: z.record(z.string(), z.string()).optional(),
      }),
    )
    .default([]),
  sink: z
    .object({
      description: z.string().optional(),
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
 * event's `name`); the value is the progress JSON.
 */
export function parseProgressRecord(
  key: string | undefined,
  value: string | undefined,
): ParsedProgress {
  if (!value) {
    return { kind: 'malformed', reason: 'empty value' };
  }
  const json = safeJsonParse(value);
  if (json === undefined) {
    return { kind: 'malformed', reason: 'value is not JSON' };
  }
  const parsed = streamingQueryProgressSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      kind: 'malformed',
      reason: `${issue.path.join('.') || 'value'}: ${issue.message}`,
    };
  }
  const queryName = key?.trim() || parsed.data.name?.trim();
  if (!queryName) {
    return { kind: 'unknown', reason: 'neither a key nor a query name' };
  }
  return { kind: 'ok', queryName, batch: toMicroBatch(parsed.data) };
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
  };
}
