import { MicroBatch, SourceError } from '@internal/plugin-streaming-common';

type Offsets = MicroBatch['sources'][number]['endOffset'];

const countOffsets = (offsets: Offsets) =>
  Object.values(offsets ?? {}).reduce(
    (sum, partitions) => sum + Object.keys(partitions).length,
    0,
  );

/**
 * Keeps at most `maxOffsets` partition offsets (`startOffset`, `endOffset`,
 * `latestOffset` entries) in an answer of batches, oldest first: the newest
 * batches keep theirs, older ones lose them (their other figures stay). An
 * answer then grows with the number of batches, not with partitions times
 * batches.
 */
export function capBatchOffsets(
  batches: MicroBatch[],
  maxOffsets: number,
): { batches: MicroBatch[]; error?: SourceError } {
  let kept = 0;
  let stripped = 0;
  const capped = [...batches];
  for (let i = capped.length - 1; i >= 0; i--) {
    const batch = capped[i];
    const count = batch.sources.reduce(
      (sum, s) =>
        sum +
        countOffsets(s.startOffset) +
        countOffsets(s.endOffset) +
        countOffsets(s.latestOffset),
      0,
    );
    if (count === 0) continue;
    if (stripped === 0 && kept + count <= maxOffsets) {
      kept += count;
      continue;
    }
    stripped += 1;
    capped[i] = {
      ...batch,
      sources: batch.sources.map(s => ({
        ...s,
        startOffset: undefined,
        endOffset: undefined,
        latestOffset: undefined,
      })),
    };
  }
  return stripped === 0
    ? { batches: capped }
    : {
        batches: capped,
        error: {
          source: 'metrics',
          message: `Offsets of the ${stripped} oldest batches are left out: at most ${maxOffsets} partition offsets per answer (streaming.metrics.maxOffsetsPerAnswer)`,
        },
      };
}
