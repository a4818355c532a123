import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { Admin, Kafka, logLevel, Partitioners, Producer } from 'kafkajs';

const run = promisify(execFile);

/** The monorepo root, where `scripts/` lives. */
export const repoRoot = path.resolve(__dirname, '../../../..');

/** Runs `scripts/kafka.sh` (start is idempotent) and returns its stdout. */
export async function kafkaScript(args: string[]): Promise<string> {
  const { stdout } = await run(path.join(repoRoot, 'scripts/kafka.sh'), args, {
    cwd: repoRoot,
    timeout: 180_000,
  });
  return stdout.trim();
}

/** The shared local broker (started when it is not running); never stopped by tests. */
export async function sharedBroker(): Promise<string> {
  await kafkaScript(['start']);
  return kafkaScript(['address']);
}

/** A unique name for this test run's topics and groups. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random()
    .toString(36)
    .slice(2, 7)}`;
}

/** An admin client and producer on a broker, for arranging tests. */
export class TestKafka {
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly producer: Producer;

  constructor(readonly broker: string) {
    this.kafka = new Kafka({
      brokers: [broker],
      clientId: 'streaming-backend-tests',
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
    for (let attempt = 1; ; attempt++) {
      try {
        await this.admin.fetchTopicOffsets(topic);
        return;
      } catch (error) {
        if (attempt >= 60) throw error;
        await new Promise(resolve => setTimeout(resolve, 500));
      }
    }
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

  async produceRecords(
    topic: string,
    records: Array<{ key?: string; value: string }>,
  ): Promise<void> {
    await this.producer.send({ topic, messages: records });
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

  async close(): Promise<void> {
    await Promise.allSettled([
      this.admin.disconnect(),
      this.producer.disconnect(),
    ]);
  }
}
