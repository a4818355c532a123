import { Admin, Kafka, logLevel, Partitioners, Producer } from 'kafkajs';
import { runRepoScript } from './runRepoScript';
import { uniqueName } from './uniqueName';
import { waitFor } from './waitFor';

/** Runs `scripts/kafka.sh` (start is idempotent) and returns its output. */
export function kafkaScript(args: string[]): Promise<string> {
  return runRepoScript('kafka.sh', args, 180_000);
}

/**
 * The broker of the tests: `KAFKA_BROKERS` (its first `host:port`) when set
 * (to run them against another Kafka version: `KAFKA_VERSION=…
 * scripts/kafka.sh start --instance NAME --port PORT`), else the shared local
 * broker of `scripts/kafka.sh`, started when it is not running. Tests never
 * stop it.
 */
export async function sharedBroker(): Promise<string> {
  const configured = process.env.KAFKA_BROKERS?.split(',')[0];
  if (configured) return configured;
  await kafkaScript(['start']);
  return kafkaScript(['address']);
}

/** One record read back from a topic. */
export interface TopicRecord {
  partition: number;
  offset: number;
  key: string | null;
  value: string | null;
  /** The record's timestamp, epoch milliseconds. */
  timestamp: number;
  /** The record's headers, values as UTF-8 text (the last one of a repeated key). */
  headers: Record<string, string>;
}

/**
 * A real broker with the operations tests arrange and check with: create
 * topics, produce, commit a group's offsets, move a log start, read end
 * offsets and a whole topic back. The admin client, producer and kafkajs
 * client are there for anything else.
 */
export class TestKafka {
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly producer: Producer;

  /** Connected to {@link sharedBroker}, or to `broker`. */
  static async start(broker?: string): Promise<TestKafka> {
    return new TestKafka(broker ?? (await sharedBroker())).connect();
  }

  constructor(readonly broker: string) {
    this.kafka = new Kafka({
      brokers: [broker],
      clientId: 'streaming-tests',
      logLevel: logLevel.NOTHING,
    });
    this.admin = this.kafka.admin();
    this.producer = this.kafka.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
    });
  }

  async connect(): Promise<this> {
    await Promise.all([this.admin.connect(), this.producer.connect()]);
    return this;
  }

  async createTopic(topic: string, numPartitions: number): Promise<void> {
    await this.admin.createTopics({
      topics: [{ topic, numPartitions, replicationFactor: 1 }],
      waitForLeaders: false,
    });
    // kafkajs' waitForLeaders fails when a broker that has just started
    // answers UNKNOWN_TOPIC_OR_PARTITION for a moment: wait instead until
    // every partition answers for its offsets.
    await waitFor(
      `every partition of ${topic} to answer`,
      () => this.admin.fetchTopicOffsets(topic),
      { timeoutMs: 30_000, intervalMs: 500 },
    );
  }

  /** Commits offsets of a consumer group on one topic: partition -> offset. */
  async commit(
    groupId: string,
    topic: string,
    offsets: Record<number, number>,
  ): Promise<void> {
    await this.admin.setOffsets({
      groupId,
      topic,
      partitions: Object.entries(offsets).map(([partition, offset]) => ({
        partition: Number(partition),
        offset: String(offset),
      })),
    });
  }

  /** Writes `count` messages to each given partition. */
  async produce(
    topic: string,
    partitions: number[],
    count: number,
  ): Promise<void> {
    await this.producer.send({
      topic,
      messages: partitions.flatMap(partition =>
        Array.from({ length: count }, (_, i) => ({
          partition,
          value: JSON.stringify({ i, at: Date.now() }),
        })),
      ),
    });
  }

  /** Writes the records in order; with `partition` there, else by key. */
  async produceRecords(
    topic: string,
    records: Array<{
      key?: string | null;
      value: string | null;
      partition?: number;
    }>,
  ): Promise<void> {
    await this.producer.send({ topic, acks: -1, messages: records });
  }

  /** Moves the log start of a partition (kafkajs needs the topic's metadata first). */
  async deleteRecordsBefore(
    topic: string,
    partition: number,
    offset: number,
  ): Promise<void> {
    await this.admin.fetchTopicOffsets(topic);
    await this.admin.deleteTopicRecords({
      topic,
      partitions: [{ partition, offset: String(offset) }],
    });
  }

  /** The next offset to be written, per partition. */
  async endOffsets(topic: string): Promise<Record<string, number>> {
    const offsets = await this.admin.fetchTopicOffsets(topic);
    return Object.fromEntries(
      offsets.map(o => [String(o.partition), Number(o.high)]),
    );
  }

  /** Every record of the topic from the beginning to its current end, in offset order per partition. */
  async readAll(topic: string, timeoutMs = 60_000): Promise<TopicRecord[]> {
    const end = await this.endOffsets(topic);
    const remaining = new Set(
      Object.entries(end)
        .filter(([, o]) => o > 0)
        .map(([p]) => p),
    );
    const records: TopicRecord[] = [];
    if (remaining.size === 0) return records;
    const groupId = uniqueName('streaming-tests-reader');
    const consumer = this.kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise<void>((done, fail) => {
        const timer = setTimeout(
          () =>
            fail(
              new Error(
                `reading ${topic}: ${
                  records.length
                } records after ${timeoutMs} ms, end offsets ${JSON.stringify(
                  end,
                )}`,
              ),
            ),
          timeoutMs,
        );
        consumer
          .run({
            autoCommit: false,
            eachMessage: async ({ partition, message }) => {
              const offset = Number(message.offset);
              if (offset >= end[String(partition)]) return;
              records.push({
                partition,
                offset,
                key: message.key?.toString('utf8') ?? null,
                value: message.value?.toString('utf8') ?? null,
                timestamp: Number(message.timestamp),
                headers: Object.fromEntries(
                  Object.entries(message.headers ?? {}).map(([name, v]) => [
                    name,
                    String([v].flat().pop() ?? ''),
                  ]),
                ),
              });
              if (offset === end[String(partition)] - 1)
                remaining.delete(String(partition));
              if (remaining.size === 0) {
                clearTimeout(timer);
                done();
              }
            },
          })
          .catch(fail);
      });
    } finally {
      await consumer.disconnect();
      await this.admin.deleteGroups([groupId]).catch(() => undefined);
    }
    return records.sort(
      (a, b) => a.partition - b.partition || a.offset - b.offset,
    );
  }

  async close(): Promise<void> {
    await Promise.allSettled([
      this.admin.disconnect(),
      this.producer.disconnect(),
    ]);
  }
}
