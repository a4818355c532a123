import { MicroBatch } from '@internal/plugin-streaming-common';

/**
 * When a micro-batch ended and its progress was reported (epoch ms). Spark's
 * `timestamp` is when the trigger started; the batch ran `triggerExecution`
 * more. How long ago a pipeline last did work is measured from here: from the
 * start, a batch of 90 s would look 90 s old the moment it is reported.
 */
export function batchEndedAt(
  batch: Pick<MicroBatch, 'timestamp' | 'durationMs'>,
): number {
  return Date.parse(batch.timestamp) + (batch.durationMs.triggerExecution ?? 0);
}
