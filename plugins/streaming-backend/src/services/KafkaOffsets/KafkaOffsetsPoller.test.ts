import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { readStreamingConfig } from '../../config/StreamingConfig';
import {
  kafkaScript,
  sharedBroker,
  TestKafka,
  uniqueName,
} from '@internal/plugin-streaming-node/testUtils';
import { KafkaClusterClient } from './KafkaClusterClient';
import { KafkaOffsetsPoller } from './KafkaOffsetsPoller';

jest.setTimeout(240_000);

function pollerFor(brokers: Record<string, string>, lag: object = {}) {
  const config = readStreamingConfig(
    new ConfigReader({
      streaming: {
        lag,
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
    mockServices.logger.mock(),
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
    expect(Object.values(report.requests).map(r => r.byApi)).toEqual([
      { 'Metadata v6': 1, 'ListOffsets v3': 2 },
    ]);

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
    await kafka.commit(groupId, topic, { 0: 4 });
    const offsets = await poller.getOffsets({
      cluster: 'local',
      topics: [topic],
      groups: [groupId],
    });
    expect(offsets.groups.get(groupId)?.get(topic)?.get(0)).toBe('4');
    expect(offsets.groups.get(groupId)?.get(topic)?.get(1) ?? '-1').toBe('-1');
  });

  it('reads topics and many groups in one request per API and broker, looking coordinators up only for new groups', async () => {
    const topic = uniqueName('offsets-many-groups');
    const groups = Array.from({ length: 30 }, (_, i) =>
      uniqueName(`many-groups-${i}`),
    );
    const missing = uniqueName('many-groups-missing');
    await kafka.createTopic(topic, 2);
    await kafka.produce(topic, [0, 1], 50);
    await Promise.all(
      groups.map((groupId, i) =>
        kafka.commit(groupId, topic, { 0: i, 1: 50 - i }),
      ),
    );
    const fresh = pollerFor(
      { local: kafka.broker },
      { maxGroupsPerPipeline: 100 },
    );
    try {
      fresh.retain([
        { cluster: 'local', topics: [topic], groups: [...groups, missing] },
      ]);
      const first = await fresh.pollCluster('local');
      expect(first.ok).toBe(true);
      const [firstRequests] = Object.values(first.requests);
      expect(firstRequests.byApi['FindCoordinator v4']).toBe(1);
      expect(firstRequests.byApi['OffsetFetch v8']).toBe(1);

      const offsets = await fresh.getOffsets({
        cluster: 'local',
        topics: [topic],
        groups: [...groups, missing],
      });
      expect(offsets.error).toBeUndefined();
      groups.forEach((group, i) => {
        expect(offsets.groups.get(group)).toEqual(
          new Map([
            [
              topic,
              new Map([
                [0, String(i)],
                [1, String(50 - i)],
              ]),
            ],
          ]),
        );
      });
      expect(offsets.groups.get(missing)).toEqual(new Map());

      // Coordinators are cached: no FindCoordinator.
      const second = await fresh.pollCluster('local');
      expect(Object.values(second.requests).map(r => r.byApi)).toEqual([
        { 'Metadata v6': 1, 'ListOffsets v3': 2, 'OffsetFetch v8': 1 },
      ]);

      // A new group: one FindCoordinator alongside the Metadata.
      const added = uniqueName('many-groups-added');
      await kafka.commit(added, topic, { 1: 7 });
      fresh.retain([
        {
          cluster: 'local',
          topics: [topic],
          groups: [...groups, missing, added],
        },
      ]);
      const third = await fresh.pollCluster('local');
      expect(Object.values(third.requests).map(r => r.byApi)).toEqual([
        {
          'Metadata v6': 1,
          'FindCoordinator v4': 1,
          'ListOffsets v3': 2,
          'OffsetFetch v8': 1,
        },
      ]);
      const withAdded = await fresh.getOffsets({
        cluster: 'local',
        topics: [],
        groups: [added],
      });
      expect(withAdded.groups.get(added)?.get(topic)).toEqual(
        new Map([[1, '7']]),
      );
    } finally {
      await fresh.close();
    }
  });
});

describe('KafkaOffsetsPoller: what it polls', () => {
  let kafka: TestKafka;
  const pollers: KafkaOffsetsPoller[] = [];
  const newPoller = (lag: object = {}) => {
    const poller = pollerFor({ local: kafka.broker }, lag);
    pollers.push(poller);
    return poller;
  };

  beforeAll(async () => {
    kafka = await new TestKafka(await sharedBroker()).connect();
  });

  afterAll(async () => {
    await Promise.all(pollers.map(p => p.close()));
    await kafka?.close();
  });

  it("keeps errors with their topic or group: an answer never names another pipeline's", async () => {
    const poller = newPoller();
    const topic = uniqueName('errors-own');
    const denied = uniqueName('other-team-group');
    await kafka.createTopic(topic, 1);
    // The broker's answer for a group this backend may not describe (the
    // shared broker has no ACLs): the real lookup for the others.
    const lookup = KafkaClusterClient.prototype.findCoordinators;
    const spy = jest
      .spyOn(KafkaClusterClient.prototype, 'findCoordinators')
      .mockImplementation(async function withDenied(
        this: KafkaClusterClient,
        groups,
      ) {
        const routes = await lookup.call(
          this,
          groups.filter(g => g !== denied),
        );
        if (groups.includes(denied)) {
          routes.set(denied, {
            error: 'FindCoordinator: GROUP_AUTHORIZATION_FAILED',
          });
        }
        return routes;
      });
    try {
      const theirs = await poller.getOffsets({
        cluster: 'local',
        topics: [],
        groups: [denied],
      });
      expect(theirs.error).toBe(
        `group ${denied}: FindCoordinator: GROUP_AUTHORIZATION_FAILED`,
      );
      const report = await poller.pollCluster('local');
      expect(report.ok).toBe(false);
      const mine = await poller.getOffsets({
        cluster: 'local',
        topics: [topic],
      });
      expect(mine.topics.get(topic)?.exists).toBe(true);
      expect(mine.error).toBeUndefined();
    } finally {
      spy.mockRestore();
    }
  });

  it('polls what catalog pipelines use and names asked for recently, expiring the rest', async () => {
    const poller = newPoller({ expireAfter: '1s' });
    const used = uniqueName('polled-used');
    const asked = uniqueName('polled-asked');
    const group = uniqueName('polled-group');
    for (const t of [used, asked]) await kafka.createTopic(t, 1);
    await kafka.commit(group, used, { 0: 0 });
    poller.retain([{ cluster: 'local', topics: [used], groups: [group] }]);
    expect(await poller.pollCluster('local')).toMatchObject({
      topics: 1,
      groups: 1,
    });
    await poller.getOffsets({ cluster: 'local', topics: [asked] });
    expect(await poller.pollCluster('local')).toMatchObject({
      topics: 2,
      groups: 1,
    });
    expect(poller.headHistory('local', asked, 0)).not.toEqual([]);

    await new Promise(r => setTimeout(r, 1200));
    // The pipeline lost its group; nobody asked for the other topic since.
    poller.retain([{ cluster: 'local', topics: [used], groups: [] }]);
    await new Promise(r => setTimeout(r, 1200));
    expect(await poller.pollCluster('local')).toMatchObject({
      topics: 1,
      groups: 0,
    });
    expect(poller.headHistory('local', asked, 0)).toEqual([]);
    expect(poller.headHistory('local', used, 0)).not.toEqual([]);
  });

  it('reads a name it does not poll yet without polling all the others', async () => {
    const poller = newPoller();
    const known = uniqueName('targeted-known');
    const added = uniqueName('targeted-added');
    for (const t of [known, added]) await kafka.createTopic(t, 1);
    await kafka.produce(added, [0], 3);
    poller.retain([{ cluster: 'local', topics: [known], groups: [] }]);
    await poller.pollCluster('local');
    expect(poller.headHistory('local', known, 0)).toHaveLength(1);
    const offsets = await poller.getOffsets({
      cluster: 'local',
      topics: [added],
    });
    expect(offsets.topics.get(added)?.partitions[0].latest).toBe('3');
    // The known topic was not read again.
    expect(poller.headHistory('local', known, 0)).toHaveLength(1);
  });

  it('caps the names of one pipeline and the names beyond the catalog, naming the limit', async () => {
    const poller = newPoller({
      maxTopicsPerPipeline: 2,
      maxGroupsPerPipeline: 1,
      maxExtraNamesPerCluster: 4,
    });
    const topics = [1, 2, 3].map(i => uniqueName(`capped-${i}`));
    for (const t of topics) await kafka.createTopic(t, 1);
    const capped = await poller.getOffsets({
      cluster: 'local',
      topics,
      groups: ['g1', 'g2'],
    });
    expect([...capped.topics.keys()]).toEqual(topics.slice(0, 2));
    expect(capped.error).toBe(
      'Polling only the first 2 topics (streaming.lag.maxTopicsPerPipeline); ' +
        'only the first 1 consumer groups (streaming.lag.maxGroupsPerPipeline)',
    );
    // 2 topics and 1 group are polled for requests already: one more fits.
    const more = await poller.getOffsets({
      cluster: 'local',
      topics: [topics[2], uniqueName('capped-4')],
    });
    expect([...more.topics.keys()]).toEqual([topics[2]]);
    expect(more.error).toBe(
      'Not polled: 1 topics and groups beyond those of catalog pipelines (streaming.lag.maxExtraNamesPerCluster is 4)',
    );
    // Names of catalog pipelines are not extra.
    poller.retain([{ cluster: 'local', topics: topics, groups: ['g1'] }]);
    const fifth = uniqueName('capped-5');
    expect(
      (await poller.getOffsets({ cluster: 'local', topics: [fifth] })).error,
    ).toBeUndefined();
  });
});

describe('KafkaOffsetsPoller when a broker stops during a poll', () => {
  const instance = 'streaming-backend-test';
  const port = 19192;
  let poller: KafkaOffsetsPoller;
  let groupsPoller: KafkaOffsetsPoller;
  let kafka: TestKafka;

  afterAll(async () => {
    await poller?.close();
    await groupsPoller?.close();
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
    const group = uniqueName('outage-group');
    await kafka.createTopic(topic, 2);
    await kafka.produce(topic, [0, 1], 3);
    await kafka.commit(group, topic, { 1: 2 });
    await kafka.close();
    poller = pollerFor({ flaky: broker });
    // Groups only: its coordinator is the first broker it asks after a poll.
    groupsPoller = pollerFor({ flaky: broker });
    const before = await poller.getOffsets({
      cluster: 'flaky',
      topics: [topic],
    });
    expect(before.error).toBeUndefined();
    const observedAt = before.observedAt!;
    const groupBefore = await groupsPoller.getOffsets({
      cluster: 'flaky',
      topics: [],
      groups: [group],
    });
    expect(groupBefore.error).toBeUndefined();
    expect(groupBefore.groups.get(group)?.get(topic)?.get(1)).toBe('2');

    // Stop the broker while a poll is running.
    const polling = poller.pollCluster('flaky');
    await kafkaScript(['stop', '--instance', instance]);
    await polling;
    const report = await poller.pollCluster('flaky');
    expect(report.ok).toBe(false);

    // The group's coordinator went away: the group keeps its last offsets with an error.
    const groupReport = await groupsPoller.pollCluster('flaky');
    expect(groupReport.ok).toBe(false);
    const groupDuring = await groupsPoller.getOffsets({
      cluster: 'flaky',
      topics: [],
      groups: [group],
    });
    expect(groupDuring.error).toContain(`group ${group}:`);
    expect(groupDuring.groups.get(group)?.get(topic)?.get(1)).toBe('2');
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

    // The coordinator is looked up again once the broker is back.
    await kafka.commit(group, topic, { 1: 4 });
    const lookups: string[] = [];
    let groupAfter = await groupsPoller.pollCluster('flaky');
    lookups.push(
      ...Object.values(groupAfter.requests).flatMap(r => Object.keys(r.byApi)),
    );
    for (let i = 0; i < 40 && !groupAfter.ok; i++) {
      await new Promise(r => setTimeout(r, 1000));
      groupAfter = await groupsPoller.pollCluster('flaky');
      lookups.push(
        ...Object.values(groupAfter.requests).flatMap(r =>
          Object.keys(r.byApi),
        ),
      );
    }
    const groupRecovered = await groupsPoller.getOffsets({
      cluster: 'flaky',
      topics: [],
      groups: [group],
    });
    expect(groupRecovered.error).toBeUndefined();
    expect(groupAfter.ok).toBe(true);
    expect(lookups).toContain('FindCoordinator v4');
    expect(groupRecovered.groups.get(group)?.get(topic)?.get(1)).toBe('4');
  });
});
