import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  sharedBroker,
  TestKafka,
  uniqueName,
} from '@internal/plugin-streaming-node/testUtils';
import { readStreamingConfig } from '../../config/StreamingConfig';
import { createTestDatabases } from '../../__testUtils__/testDatabases';
import { DatabaseProgressStore } from '../ProgressStore/DatabaseProgressStore';
import { KafkaOffsetsPoller } from './KafkaOffsetsPoller';
import { OffsetsSnapshotStore } from './OffsetsSnapshotStore';
import { SharedOffsetSource } from './SharedOffsetSource';

jest.setTimeout(120_000);

const databases = createTestDatabases();

describe('SharedOffsetSource on the real broker', () => {
  let kafka: TestKafka;
  const pollers: KafkaOffsetsPoller[] = [];

  beforeAll(async () => {
    kafka = await new TestKafka(await sharedBroker()).connect();
  });

  afterAll(async () => {
    await Promise.all(pollers.map(p => p.close()));
    await kafka?.close();
  });

  /** Two replicas: two pollers and sources on one database. */
  async function replicas() {
    const knex = await databases.init('SQLITE_3');
    const progress = await DatabaseProgressStore.create({
      database: mockServices.database({ knex }),
    });
    const config = readStreamingConfig(
      new ConfigReader({
        streaming: {
          kafka: { clusters: [{ name: 'local', brokers: [kafka.broker] }] },
        },
      }),
      mockServices.logger.mock(),
    );
    const store = new OffsetsSnapshotStore(progress.client);
    return [0, 1].map(() => {
      const poller = new KafkaOffsetsPoller(config, mockServices.logger.mock());
      pollers.push(poller);
      return {
        poller,
        store,
        source: new SharedOffsetSource(
          config,
          poller,
          store,
          mockServices.logger.mock(),
        ),
      };
    });
  }

  it('answers from the polling replica a name another replica asked for', async () => {
    const topic = uniqueName('shared-offsets');
    await kafka.createTopic(topic, 2);
    await kafka.produce(topic, [0, 1], 3);
    const [polling, asking] = await replicas();
    await polling.source.poll([]);

    // Not in the shared snapshot yet: read by the replica asked.
    const first = await asking.source.getOffsets({
      cluster: 'local',
      topics: [topic],
    });
    expect(first.topics.get(topic)?.partitions.map(p => p.latest)).toEqual([
      '3',
      '3',
    ]);

    // Recorded: the polling replica polls it from its next poll on.
    await kafka.produce(topic, [0], 4);
    const reports = await polling.source.poll(undefined);
    expect(reports[0].topics).toBe(1);
    await new Promise(resolve => setTimeout(resolve, 1100));
    const readLocally = jest.spyOn(asking.poller, 'getOffsets');
    const shared = await asking.source.getOffsets({
      cluster: 'local',
      topics: [topic],
    });
    expect(readLocally).not.toHaveBeenCalled();
    expect(shared.topics.get(topic)?.partitions.map(p => p.latest)).toEqual([
      '7',
      '3',
    ]);
    expect(shared.observedAt).toEqual(
      polling.poller.snapshot('local').snapshot.observedAt,
    );
    expect(
      asking.source.headHistory('local', topic, 0).map(o => o.offset),
    ).toEqual([7]);
  });

  it('reads the stored snapshot again only once a poll wrote a new one', async () => {
    const topic = uniqueName('shared-reads');
    await kafka.createTopic(topic, 1);
    await kafka.produce(topic, [0], 3);
    const [polling, asking] = await replicas();
    await asking.source.getOffsets({ cluster: 'local', topics: [topic] });
    await polling.source.poll(undefined);
    const reads = jest.spyOn(asking.store, 'read');
    const latest = async () => {
      // Past the second for which a replica reuses what it read.
      await new Promise(resolve => setTimeout(resolve, 1100));
      const answer = await asking.source.getOffsets({
        cluster: 'local',
        topics: [topic],
      });
      return answer.topics.get(topic)?.partitions.map(p => p.latest);
    };

    expect(await latest()).toEqual(['3']);
    expect(reads).toHaveBeenCalledTimes(1);
    // No poll since: the snapshot held is still the latest, and is not read again.
    expect(await latest()).toEqual(['3']);
    expect(reads).toHaveBeenCalledTimes(1);
    // A poll wrote a new one (the polling replica reads the stored one
    // first, to continue its head history): read again.
    await kafka.produce(topic, [0], 2);
    await polling.source.poll(undefined);
    reads.mockClear();
    expect(await latest()).toEqual(['5']);
    expect(reads).toHaveBeenCalledTimes(1);
  });

  it('records the names asked for within one turn in one write', async () => {
    const topics = [uniqueName('asked-a'), uniqueName('asked-b')];
    await Promise.all(topics.map(t => kafka.createTopic(t, 1)));
    const [polling, asking] = await replicas();
    const writes = jest.spyOn(asking.store, 'recordAsked');
    // Two requests at once, as the overview's refresh asks for its pipelines.
    await Promise.all(
      topics.map(topic =>
        asking.source.getOffsets({ cluster: 'local', topics: [topic] }),
      ),
    );
    expect(writes).toHaveBeenCalledTimes(1);
    expect(writes.mock.calls[0][0]).toEqual({
      cluster: 'local',
      topics,
      groups: [],
    });
    // Recorded before the answers: the polling replica's next poll has them.
    const reports = await polling.source.poll(undefined);
    expect(reports[0].topics).toBe(2);
    // Recorded lately: asked again, not written again.
    await asking.source.getOffsets({ cluster: 'local', topics });
    expect(writes).toHaveBeenCalledTimes(1);
  });

  it('continues the head history of the replica that polled before', async () => {
    const topic = uniqueName('shared-heads');
    await kafka.createTopic(topic, 1);
    await kafka.produce(topic, [0], 3);
    const [first, second] = await replicas();
    await first.source.getOffsets({ cluster: 'local', topics: [topic] });
    await first.source.poll(undefined);
    await kafka.produce(topic, [0], 4);
    // The next poll runs on the other replica, which starts from the first's.
    await second.source.poll(undefined);
    expect(
      second.poller.headHistory('local', topic, 0).map(o => o.offset),
    ).toEqual([3, 3, 7]);
    expect(
      (await second.store.read('local'))?.heads.get(`${topic}\u00000`),
    ).toHaveLength(3);
  });

  it('ends a poll when its signal aborts, writing nothing', async () => {
    const [polling] = await replicas();
    const write = jest.spyOn(polling.store, 'write');
    const pollAll = polling.poller.pollAll.bind(polling.poller);
    const polled = new Promise<void>(resolve => {
      jest.spyOn(polling.poller, 'pollAll').mockImplementationOnce(async () => {
        const reports = await pollAll();
        resolve();
        return reports;
      });
    });
    const controller = new AbortController();
    const poll = polling.source.poll([], controller.signal);
    controller.abort(new Error('shutting down'));
    await expect(poll).rejects.toThrow('shutting down');
    // The poll itself goes on; once it is done, nothing is written.
    await polled;
    await new Promise(resolve => setImmediate(resolve));
    expect(write).not.toHaveBeenCalled();
    expect(await polling.store.read('local')).toBeUndefined();
    // Without a signal the same poll is shared.
    await polling.source.poll([]);
    expect(await polling.store.read('local')).toBeDefined();
  });
});
