import { NotFoundError, ServiceUnavailableError } from '@backstage/errors';
import { KafkaClusterConfig } from '@internal/plugin-streaming-node';
import { Kafka, logLevel } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { kafkaClientOptions } from '../KafkaOffsets/kafkaClientOptions';

/** The bounds of one sample (`streaming.schemas.sample`). */
export interface SampleLimits {
  /** Messages read at most, spread over the partitions. */
  maxMessages: number;
  /** Bytes of message values read at most. */
  maxBytes: number;
  /** Milliseconds before the sample ends with what it has. */
  timeoutMs: number;
}

/**
 * Reads the most recent messages of a topic: up to `maxMessages` split over
 * its partitions (the newest of each), at most `maxBytes` of values, ending
 * at `timeoutMs` with what it read. It reads as a consumer group of its own
 * that commits nothing and is deleted afterwards, so that no pipeline's or
 * application's offsets move.
 */
export class TopicSampler {
  async sample(
    cluster: KafkaClusterConfig,
    topic: string,
    limits: SampleLimits,
  ): Promise<Buffer[]> {
    const kafka = new Kafka({
      ...kafkaClientOptions(cluster),
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    await admin.connect().catch(() => {
      throw new ServiceUnavailableError(
        `Kafka cluster ${cluster.name} did not answer`,
      );
    });
    const groupId = `backstage-streaming-sample-${randomUUID()}`;
    try {
      const partitions = await admin.fetchTopicOffsets(topic).catch(() => {
        throw new NotFoundError(
          `No topic ${topic} on Kafka cluster ${cluster.name}`,
        );
      });
      const perPartition = Math.max(
        1,
        Math.ceil(limits.maxMessages / partitions.length),
      );
      // Per partition: where to start and the end offset at sampling time.
      const ranges = new Map(
        partitions
          .map(p => ({
            partition: p.partition,
            end: BigInt(p.high),
            start: [
              BigInt(p.low),
              BigInt(p.high) - BigInt(perPartition),
            ].reduce((a, b) => (a > b ? a : b)),
          }))
          .filter(r => r.end > r.start)
          .map(r => [r.partition, r]),
      );
      if (ranges.size === 0) {
        return [];
      }
      return await this.read(kafka, groupId, topic, ranges, limits);
    } finally {
      await admin.deleteGroups([groupId]).catch(() => undefined);
      await admin.disconnect();
    }
  }

  private async read(
    kafka: Kafka,
    groupId: string,
    topic: string,
    ranges: Map<number, { partition: number; start: bigint; end: bigint }>,
    limits: SampleLimits,
  ): Promise<Buffer[]> {
    const consumer = kafka.consumer({
      groupId,
      maxBytes: limits.maxBytes,
      allowAutoTopicCreation: false,
    });
    const values: Buffer[] = [];
    let bytes = 0;
    const pending = new Set(ranges.keys());
    let finish: () => void = () => undefined;
    const finished = new Promise<void>(resolve => {
      finish = resolve;
    });
    const timer = setTimeout(finish, limits.timeoutMs);
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [topic] });
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          const range = ranges.get(batch.partition);
          if (!range || !pending.has(batch.partition)) return;
          for (const message of batch.messages) {
            const offset = BigInt(message.offset);
            if (offset < range.start) continue;
            if (offset >= range.end) break;
            const size = message.value?.length ?? 0;
            if (
              values.length >= limits.maxMessages ||
              bytes + size > limits.maxBytes
            ) {
              finish();
              return;
            }
            if (message.value) values.push(message.value);
            bytes += size;
            if (offset + 1n >= range.end) break;
          }
          const last = batch.messages[batch.messages.length - 1];
          if (!last || BigInt(last.offset) + 1n >= range.end) {
            pending.delete(batch.partition);
          }
          if (pending.size === 0) finish();
        },
      });
      for (const { partition, start } of ranges.values()) {
        consumer.seek({ topic, partition, offset: start.toString() });
      }
      await finished;
      return values;
    } finally {
      clearTimeout(timer);
      await consumer.disconnect();
    }
  }
}
