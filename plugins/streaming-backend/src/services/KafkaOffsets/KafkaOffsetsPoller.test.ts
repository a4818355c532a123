import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { readStreamingConfig } from '../../config/StreamingConfig';
import {
  kafkaScript,
  sharedBroker,
  TestKafka,
  uniqueName,
} from '../../__testUtils__/testKafka';
import { KafkaOffsetsPoller } from './KafkaOffsetsPoller';

jest.setTimeout(240_000);

function pollerFor(brokers: Record<string, string>) {
  const config = readStreamingConfig(
    new ConfigReader({
      streaming: {
        kafka: {
          clusters: Object.entries(brokers).map(([name, broker]) => ({
            name,
            brokers: [broker],
            connectionTimeoutMs: 1000,
            requestTimeoutMs: 3000,
          })),
        },
      },
    }),
  );
  return new KafkaOffsetsPoller(config, mockServices.logger.mock());
}

describe('KafkaOffsetsPoller on the real broker', () => {
  let kafka: TestKafka;
  let poller: KafkaOffsetsPoller;

  beforeAll(async () => {
    kafka = await new TestKafka(await sharedBroker()).connect();
    poller = pollerFor({ local: kafka.broker });
  });

  afterAll(async () => {
    await poller?.close();
    await kafka?.close();
  });

  it('reads every topic in one Metadata and two ListOffsets requests per broker', async () => {
    const topics = [
      uniqueName('offsets-a'),
      uniqueName('offsets-b'),
      uniqueName('offsets-c'),
    ];
    for (const topic of topics) await kafka.createTopic(topic, 3);
    await kafka.produce(topics[0], [0, 1, 2], 5);
    await kafka.produce(topics[1], [1], 7);

    const warmup = await poller.getOffsets({ cluster: 'local', topics });
    expect(warmup.error).toBeUndefined();
    const report = await poller.pollCluster('local');
    expect(report.ok).toBe(true);
    expect(Object.values(report.requestsPerBroker)).toEqual([3]);

    const offsets = await poller.getOffsets({ cluster: 'local', topics });
    const a = offsets.topics.get(topics[0])!;
    expect(a.exists).toBe(true);
    expect(
      a.partitions.map(p => [p.partition, p.earliest, p.latest, p.leader]),
    ).toEqual([
      [0, '0', '5', 1],
      [1, '0', '5', 1],
      [2, '0', '5', 1],
    ]);
    expect(
      offsets.topics.get(topics[1])!.partitions.map(p => p.latest),
    ).toEqual(['0', '7', '0']);
    expect(
      offsets.topics.get(topics[2])!.partitions.map(p => p.latest),
    ).toEqual(['0', '0', '0']);
    expect(offsets.observedAt).toBeInstanceOf(Date);
    expect(
      poller.headHistory('local', topics[0], 0).map(o => o.offset),
    ).toEqual([5, 5]);
  });

  it('reports a missing topic without failing the others', async () => {
    const present = uniqueName('offsets-present');
    const missing = uniqueName('offsets-missing');
    await kafka.createTopic(present, 1);
    const offsets = await poller.getOffsets({
      cluster: 'local',
      topics: [present, missing],
    });
    expect(offsets.topics.get(present)?.exists).toBe(true);
    expect(offsets.topics.get(missing)).toEqual({
      topic: missing,
      exists: false,
      partitions: [],
    });
    expect(offsets.error).toBeUndefined();
  });

  it('sees partitions added to a topic', async () => {
    const topic = uniqueName('offsets-grow');
    await kafka.createTopic(topic, 2);
    await poller.getOffsets({ cluster: 'local', topics: [topic] });
    await kafka.admin.createPartitions({
      topicPartitions: [{ topic, count: 4 }],
    });
    await kafka.produce(topic, [3], 2);
    await poller.pollCluster('local');
    const offsets = await poller.getOffsets({
      cluster: 'local',
      topics: [topic],
    });
    expect(
      offsets.topics.get(topic)!.partitions.map(p => [p.partition, p.latest]),
    ).toEqual([
      [0, '0'],
      [1, '0'],
      [2, '0'],
      [3, '2'],
    ]);
  });

  it('marks a topic deleted and created again', async () => {
    const topic = uniqueName('offsets-recreate');
    await kafka.createTopic(topic, 1);
    await kafka.produce(topic, [0], 20);
    await poller.getOffsets({ cluster: 'local', topics: [topic] });
    await kafka.admin.deleteTopics({ topics: [topic] });
    await kafka.createTopic(topic, 1).catch(async () => {
      // The broker may still be deleting it.
      await new Promise(r => setTimeout(r, 2000));
      await kafka.createTopic(topic, 1);
    });
    await kafka.produce(topic, [0], 3);
    await poller.pollCluster('local');
    const observed = (
      await poller.getOffsets({ cluster: 'local', topics: [topic] })
    ).topics.get(topic)!;
    expect(observed.recreatedAt).toBeDefined();
    expect(observed.partitions[0].latest).toBe('3');
    expect(poller.headHistory('local', topic, 0).map(o => o.offset)).toEqual([
      3,
    ]);
  });

  it('reads committed offsets of consumer groups', async () => {
    const topic = uniqueName('offsets-group');
    const groupId = uniqueName('group');
    await kafka.createTopic(topic, 2);
    await kafka.produce(topic, [0, 1], 10);
    await kafka.admin.setOffsets({
      groupId,
      topic,
      partitions: [{ partition: 0, offset: '4' }],
    });
    const offsets = await poller.getOffsets({
      cluster: 'local',
      topics: [topic],
      groups: [groupId],
    });
    expect(offsets.groups.get(groupId)?.get(topic)?.get(0)).toBe('4');
    expect(offsets.groups.get(groupId)?.get(topic)?.get(1) ?? '-1').toBe('-1');
  });
});

describe('KafkaOffsetsPoller when a broker stops during a poll', () => {
  const instance = 'streaming-backend-test';
  const port = 19192;
  let poller: KafkaOffsetsPoller;
  let kafka: TestKafka;

  afterAll(async () => {
    await poller?.close();
    await kafka?.close();
    await kafkaScript(['stop', '--instance', instance]).catch(() => undefined);
  });

  it('keeps the last offsets with their age, reports the error, and recovers', async () => {
    await kafkaScript([
      'start',
      '--instance',
      instance,
      '--port',
      String(port),
    ]);
    const broker = await kafkaScript(['address', '--instance', instance]);
    kafka = await new TestKafka(broker).connect();
    const topic = uniqueName('offsets-outage');
    await kafka.createTopic(topic, 2);
    await kafka.produce(topic, [0, 1], 3);
    await kafka.close();
    poller = pollerFor({ flaky: broker });
    const before = await poller.getOffsets({
      cluster: 'flaky',
      topics: [topic],
    });
    expect(before.error).toBeUndefined();
    const observedAt = before.observedAt!;

    // Stop the broker while a poll is running.
    const polling = poller.pollCluster('flaky');
    await kafkaScript(['stop', '--instance', instance]);
    await polling;
    const report = await poller.pollCluster('flaky');
    expect(report.ok).toBe(false);
    const during = await poller.getOffsets({
      cluster: 'flaky',
      topics: [topic],
    });
    expect(during.error).toBeDefined();
    expect(during.observedAt!.getTime()).toBeGreaterThanOrEqual(
      observedAt.getTime(),
    );
    expect(during.topics.get(topic)!.partitions.map(p => p.latest)).toEqual([
      '3',
      '3',
    ]);

    await kafkaScript(['start', '--instance', instance]);
    kafka = await new TestKafka(broker).connect();
    await kafka.produce(topic, [1], 2);
    let after = await poller.pollCluster('flaky');
    for (let i = 0; i < 20 && !after.ok; i++) {
      await new Promise(r => setTimeout(r, 1000));
      after = await poller.pollCluster('flaky');
    }
    expect(after.ok).toBe(true);
    const recovered = await poller.getOffsets({
      cluster: 'flaky',
      topics: [topic],
    });
    expect(recovered.error).toBeUndefined();
    expect(recovered.topics.get(topic)!.partitions.map(p => p.latest)).toEqual([
      '3',
      '5',
    ]);
  });
});
