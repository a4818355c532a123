import { Kafka, Partitioners, logLevel } from 'kafkajs';
import type { Admin, Producer } from 'kafkajs';
import { runScript } from './runScript';

/** One record read back from a topic. */
export interface TopicRecord {
  partition: number;
  offset: number;
  key: string | null;
  value: string | null;
}

/**
 * The real local broker (`scripts/kafka.sh start`, idempotent) with the few operations
 * the end-to-end tests need: create topics, produce, end offsets, read a topic to its end.
 */
export class TestKafka {
  static async start(): Promise<TestKafka> {
    await runScript('kafka.sh', ['start']);
    const brokers = (await runScript('kafka.sh', ['address'])).trim();
    const kafka = new Kafka({
      clientId: 'streaming-e2e',
      brokers: [brokers],
      logLevel: logLevel.ERROR,
    });
    const admin = kafka.admin();
    const producer = kafka.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
    });
    await admin.connect();
    await producer.connect();
    return new TestKafka(brokers, kafka, admin, producer);
  }

  private constructor(
    readonly brokers: string,
    private readonly kafka: Kafka,
    private readonly admin: Admin,
    private readonly producer: Producer,
  ) {}

  async createTopic(topic: string, partitions: number): Promise<void> {
    await this.admin.createTopics({
      topics: [{ topic, numPartitions: partitions }],
      waitForLeaders: true,
    });
  }

  /** Produces the messages in order; with `partition` all go there, else by key. */
  async produce(
    topic: string,
    messages: {
      key?: string | null;
      value: string | null;
      partition?: number;
    }[],
  ): Promise<void> {
    await this.producer.send({ topic, acks: -1, messages });
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
    const groupId = `streaming-e2e-reader-${Date.now()}-${Math.floor(
      Math.random() * 1e9,
    )}`;
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
    await this.producer.disconnect();
    await this.admin.disconnect();
  }
}
