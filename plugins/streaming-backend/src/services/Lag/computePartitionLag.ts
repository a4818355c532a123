import { PartitionLag } from '@internal/plugin-streaming-common';
import {
  ObservedTopic,
  OffsetObservation,
} from '@internal/plugin-streaming-node';
import { lagSeconds } from './lagSeconds';

/** What a consumer has processed: topic -> partition -> next offset to read. */
export type ConsumedOffsets = Record<string, Record<string, number | string>>;

/** `history` with `point` in time order, when the offsets stay non-decreasing. */
function withObservation(
  history: ReadonlyArray<OffsetObservation>,
  point: OffsetObservation,
): ReadonlyArray<OffsetObservation> {
  const at = history.findIndex(o => o.time > point.time);
  const before = at === -1 ? history : history.slice(0, at);
  const after = at === -1 ? [] : history.slice(at);
  if (
    (before.length && before[before.length - 1].offset > point.offset) ||
    (after.length && after[0].offset < point.offset)
  ) {
    return history;
  }
  return [...before, point, ...after];
}

/**
 * Per-partition lag of one consumer (a Spark query or a consumer group) on the
 * observed topics, with every edge case named in `issue`.
 *
 * A consumed offset is compared only with latest offsets observed at or after
 * it: the consumer's own (`consumedLatest`, what Spark saw when it planned the
 * batch) and the snapshot's when it was taken after the consumer reported. A
 * consumed offset above an older snapshot is caught up; a topic is called
 * recreated only when an observation made after the report shows its head
 * below the consumed offset, or the poller saw the head go backwards since.
 *
 * @param consumed - undefined when the consumer has reported nothing yet
 * @param missingIssue - the issue of a partition without a consumed offset
 */
export function computePartitionLag(options: {
  topics: ObservedTopic[];
  consumed: ConsumedOffsets | undefined;
  /** Latest offsets the consumer saw when it read `consumed` (Spark's `sources[].latestOffset`). */
  consumedLatest?: ConsumedOffsets;
  /** When the consumer read its offsets (epoch ms; a batch's trigger time). */
  consumedAt?: number;
  /** When the consumer reported them (epoch ms; the end of the batch). */
  consumedReportedAt?: number;
  /**
   * When the topics' offsets were observed (epoch ms). Without it, or without
   * `consumedReportedAt`, they count as observed with the consumed offsets
   * (a consumer group's commits are read in the same poll).
   */
  observedAt?: number;
  missingIssue: 'no-progress' | 'no-commit';
  headHistory: (
    topic: string,
    partition: number,
  ) => ReadonlyArray<OffsetObservation>;
  now: number;
}): PartitionLag[] {
  const { consumed, now } = options;
  const reportedAt = options.consumedReportedAt ?? options.consumedAt;
  // Only a snapshot taken after the consumer reported can contradict it.
  const snapshotAfterReport =
    options.observedAt !== undefined &&
    reportedAt !== undefined &&
    options.observedAt > reportedAt;
  const result: PartitionLag[] = [];
  for (const topic of options.topics) {
    const byPartition = consumed?.[topic.topic];
    for (const p of topic.partitions) {
      const row: PartitionLag = {
        topic: topic.topic,
        partition: p.partition,
        latestOffset: p.latest ?? '-1',
        earliestOffset: p.earliest,
        lagMessages: null,
        lagSeconds: null,
      };
      result.push(row);
      const raw = byPartition?.[String(p.partition)];
      const consumedOffset = raw === undefined ? undefined : Number(raw);
      if (consumedOffset !== undefined) {
        row.consumedOffset = String(consumedOffset);
      }
      if (p.leader === null) {
        row.issue = 'leaderless';
        continue;
      }
      if (p.latest === undefined) {
        continue;
      }
      let latest = Number(p.latest);
      const earliest = Number(p.earliest ?? 0);
      let history = options.headHistory(topic.topic, p.partition);
      const seenByConsumer =
        options.consumedLatest?.[topic.topic]?.[String(p.partition)];
      if (
        seenByConsumer !== undefined &&
        !snapshotAfterReport &&
        Number(seenByConsumer) >= latest
      ) {
        // The consumer saw a newer head than the snapshot holds.
        latest = Number(seenByConsumer);
        row.latestOffset = String(latest);
        if (options.consumedAt !== undefined) {
          history = withObservation(history, {
            offset: latest,
            time: options.consumedAt,
          });
        }
      }
      const unread = Math.max(0, latest - earliest);
      if (
        consumed === undefined ||
        (consumedOffset !== undefined && consumedOffset < 0)
      ) {
        row.issue = options.missingIssue;
        continue;
      }
      if (consumedOffset === undefined) {
        // A group commits per partition: a missing one has no commit yet.
        if (byPartition === undefined || options.missingIssue === 'no-commit') {
          row.issue = options.missingIssue;
          continue;
        }
        // A partition the Spark query has not seen: added after its last batch.
        row.issue = 'new-partition';
        row.lagMessages = unread;
        row.lagSeconds = lagSeconds(history, earliest, latest, now);
        continue;
      }
      const recreatedSince =
        topic.recreatedAt !== undefined &&
        options.consumedAt !== undefined &&
        Date.parse(topic.recreatedAt) > options.consumedAt;
      if (recreatedSince || (consumedOffset > latest && snapshotAfterReport)) {
        row.issue = 'topic-recreated';
        row.lagMessages = unread;
        row.lagSeconds = lagSeconds(history, earliest, latest, now);
        continue;
      }
      if (consumedOffset > latest) {
        // Read past an older snapshot's head: caught up.
        row.lagMessages = 0;
        row.lagSeconds = 0;
        continue;
      }
      if (consumedOffset < earliest) {
        row.issue = 'below-log-start';
        row.lagMessages = unread;
        row.lagSeconds = lagSeconds(history, earliest, latest, now);
        continue;
      }
      row.lagMessages = latest - consumedOffset;
      row.lagSeconds = lagSeconds(history, consumedOffset, latest, now);
    }
  }
  return result;
}
