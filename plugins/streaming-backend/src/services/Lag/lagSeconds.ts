import { OffsetObservation } from '@internal/plugin-streaming-node';

/**
 * How long ago the head of a partition passed `consumed`, in seconds: the age
 * of the oldest message not yet processed. Interpolated between the two head
 * observations around `consumed` (when the consumed offset was the head, the
 * time it stopped being the head); extrapolated at the observed rate when
 * `consumed` is older than every observation. 0 when nothing is behind;
 * null without observations.
 */
export function lagSeconds(
  history: ReadonlyArray<OffsetObservation>,
  consumed: number,
  latest: number,
  now: number,
): number | null {
  if (consumed >= latest) {
    return 0;
  }
  if (history.length === 0) {
    return null;
  }
  const after = history.findIndex(o => o.offset > consumed);
  let passedAt: number;
  if (after === -1) {
    // The head moved past `consumed` after the newest observation.
    passedAt = history[history.length - 1].time;
  } else if (after === 0) {
    const first = history[0];
    const last = history[history.length - 1];
    const rate =
      last.time > first.time
        ? (last.offset - first.offset) / (last.time - first.time)
        : 0;
    passedAt =
      rate > 0 ? first.time - (first.offset - consumed) / rate : first.time;
  } else {
    const before = history[after - 1];
    const next = history[after];
    const fraction =
      (consumed - before.offset + 1) / (next.offset - before.offset);
    passedAt = before.time + Math.min(1, fraction) * (next.time - before.time);
  }
  return Math.max(0, (now - passedAt) / 1000);
}
