import { PartitionLag } from '@internal/plugin-streaming-common';
import { ObservedTopic, OffsetObservation } from '../KafkaOffsets/OffsetSource';
import { lagSeconds } from './lagSeconds';

/** What a consumer has processed: topic -> partition -> next offset to read. */
export type ConsumedOffsets = Record<string, Record<string, number | string>>;

/**
 * Per-partition lag of one consumer (a Spark query or a consumer group) on the
 * observed topics, with every edge case named in `issue`.
 *
 * @param consumed - undefined when the consumer has reported nothing yet
 * @param missingIssue - the issue of a partition without a consumed offset
 */
export function computePartitionLag(options: {
  topics: ObservedTopic[];
  consumed: ConsumedOffsets | undefined;
  /** When the consumed offsets were reported (epoch ms). */
  consumedAt?: number;
  missingIssue: 'no-progress' | 'no-commit';
  headHistory: (
    topic: string,
    partition: number,
  ) => ReadonlyArray<OffsetObservation>;
  now: number;
}): PartitionLag[] {
  const { consumed, now } = options;
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
      const latest = Number(p.latest);
      const earliest = Number(p.earliest ?? 0);
      const unread = Math.max(0, latest - earliest);
      const history = options.headHistory(topic.topic, p.partition);
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
      if (consumedOffset > latest || recreatedSince) {
        row.issue = 'topic-recreated';
        row.lagMessages = unread;
        row.lagSeconds = lagSeconds(history, earliest, latest, now);
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
