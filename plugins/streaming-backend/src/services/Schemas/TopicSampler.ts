import { NotFoundError, ServiceUnavailableError } from '@backstage/errors';
import { FetchPosition } from '../KafkaOffsets/KafkaClusterClient';
import { KafkaClusterClients } from '../KafkaOffsets/KafkaClusterClients';

/** The bounds of one sample (`streaming.schemas.sample`). */
export interface SampleLimits {
  /** Messages read at most, spread over the partitions. */
  maxMessages: number;
  /** Bytes of message values read at most. */
  maxBytes: number;
  /** Milliseconds before the sample ends with what it has. */
  timeoutMs: number;
}

/** A partition still to read: the next offset and the end at sampling time. */
interface Range extends FetchPosition {
  end: bigint;
}

/**
 * Reads the most recent messages of a topic: up to `maxMessages` split over
 * its partitions (the newest of each), at most `maxBytes` of values, ending
 * at `timeoutMs` with what it read. It reads through the cluster's shared
 * {@link KafkaClusterClients} connections with plain Fetch requests to the
 * partitions' leaders, not as a consumer group, so no offsets are committed
 * and no group is created, and a sample opens no connection of its own.
 */
export class TopicSampler {
  constructor(private readonly clients: KafkaClusterClients) {}

  async sample(
    cluster: string,
    topic: string,
    limits: SampleLimits,
  ): Promise<Buffer[]> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>(resolve => {
      timer = setTimeout(() => resolve('timeout'), limits.timeoutMs);
    });
    try {
      const ranges = await Promise.race([
        this.ranges(cluster, topic, limits),
        timedOut,
      ]);
      if (ranges === 'timeout') {
        throw new ServiceUnavailableError(
          `Kafka cluster ${cluster} did not answer within streaming.schemas.sample.timeout`,
        );
      }
      return await this.read(cluster, topic, ranges, limits, timedOut);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Per partition with messages: the newest `maxMessages / partitions` of them. */
  private async ranges(
    cluster: string,
    topic: string,
    limits: SampleLimits,
  ): Promise<Range[]> {
    const client = this.clients.get(cluster);
    const metadata = await client.metadata([topic]).catch(() => {
      throw new ServiceUnavailableError(
        `Kafka cluster ${cluster} did not answer`,
      );
    });
    const partitions = metadata.get(topic);
    if (!partitions) {
      throw new NotFoundError(`No topic ${topic} on Kafka cluster ${cluster}`);
    }
    const offsets = (await client.offsets(metadata)).get(topic)!;
    const perPartition = BigInt(
      Math.max(1, Math.ceil(limits.maxMessages / partitions.length)),
    );
    return partitions.flatMap(({ partition, leader }) => {
      const { earliest, latest } = offsets.get(partition) ?? {};
      if (leader === null || earliest === undefined || latest === undefined) {
        return [];
      }
      const end = BigInt(latest);
      const start = end - perPartition;
      const offset = start > BigInt(earliest) ? start : BigInt(earliest);
      return end > offset ? [{ partition, leader, offset, end }] : [];
    });
  }

  private async read(
    cluster: string,
    topic: string,
    ranges: Range[],
    limits: SampleLimits,
    timedOut: Promise<'timeout'>,
  ): Promise<Buffer[]> {
    const client = this.clients.get(cluster);
    const values: Buffer[] = [];
    let bytes = 0;
    let pending = ranges;
    while (pending.length > 0) {
      const answer = await Promise.race([
        client.fetch(topic, pending, Math.max(1, limits.maxBytes - bytes)),
        timedOut,
      ]);
      if (answer === 'timeout') break;
      const next: Range[] = [];
      for (const range of pending) {
        const fetched = answer.get(range.partition);
        if (!fetched || 'error' in fetched) continue;
        let offset = range.offset;
        for (const record of fetched.records) {
          if (record.offset >= range.end) break;
          const size = record.value?.length ?? 0;
          if (
            values.length >= limits.maxMessages ||
            bytes + size > limits.maxBytes
          ) {
            return values;
          }
          if (record.value) values.push(record.value);
          bytes += size;
          offset = record.offset + 1n;
        }
        // A partition that gave nothing new is done (its records went away).
        if (offset > range.offset && offset < range.end) {
          next.push({ ...range, offset });
        }
      }
      pending = next;
    }
    return values;
  }
}
