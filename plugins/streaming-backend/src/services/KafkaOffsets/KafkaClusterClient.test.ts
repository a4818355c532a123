import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { readStreamingConfig } from '../../config/StreamingConfig';
import {
  sharedBroker,
  TestKafka,
  uniqueName,
} from '@internal/plugin-streaming-node/testUtils';
import {
  KafkaClusterClient,
  KafkaClusterClientOptions,
} from './KafkaClusterClient';

jest.setTimeout(120_000);

describe('KafkaClusterClient committed group offsets on the real broker', () => {
  let kafka: TestKafka;
  const clients: KafkaClusterClient[] = [];
  const topic = uniqueName('client-groups');
  const committed = Array.from({ length: 12 }, (_, i) =>
    uniqueName(`client-group-${i}`),
  );
  const withoutCommits = uniqueName('client-group-no-commits');
  const neverSeen = uniqueName('client-group-missing');
  const groups = [...committed, withoutCommits, neverSeen];
  /** Group i committed i on partition 0 and i + 1 on partition 1, nothing on 2. */
  const expected = new Map([
    ...committed.map(
      (group, i) =>
        [
          group,
          new Map([
            [
              topic,
              new Map([
                [0, String(i)],
                [1, String(i + 1)],
              ]),
            ],
          ]),
        ] as const,
    ),
    [withoutCommits, new Map()],
    [neverSeen, new Map()],
  ]);

  function clientFor(options?: KafkaClusterClientOptions) {
    const config = readStreamingConfig(
      new ConfigReader({
        streaming: {
          kafka: {
            clusters: [
              {
                name: 'local',
                brokers: [kafka.broker],
                connectionTimeoutMs: 1000,
                requestTimeoutMs: 5000,
              },
            ],
          },
        },
      }),
      mockServices.logger.mock(),
    );
    const client = new KafkaClusterClient(config.kafka.clusters[0], options);
    clients.push(client);
    return client;
  }

  async function readGroups(client: KafkaClusterClient) {
    const answers = await client.groupOffsets(
      await client.findCoordinators(groups),
    );
    return new Map(
      [...answers].map(([group, answer]) => {
        expect(answer.error).toBeUndefined();
        return [group, answer.offsets];
      }),
    );
  }

  beforeAll(async () => {
    kafka = await new TestKafka(await sharedBroker()).connect();
    await kafka.createTopic(topic, 3);
    await kafka.produce(topic, [0, 1, 2], 20);
    await Promise.all(
      committed.map((groupId, i) =>
        kafka.commit(groupId, topic, { 0: i, 1: i + 1 }),
      ),
    );
    // A group that exists (a consumer joined it and left) but never committed.
    const consumer = kafka.kafka.consumer({ groupId: withoutCommits });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic] });
    const joined = new Promise(resolve =>
      consumer.on(consumer.events.GROUP_JOIN, resolve),
    );
    await consumer.run({ autoCommit: false, eachMessage: async () => {} });
    await joined;
    await consumer.disconnect();
  });

  afterAll(async () => {
    await Promise.all(clients.map(c => c.close()));
    await kafka?.close();
  });

  it('reads every group with one FindCoordinator, then one OffsetFetch per coordinator from the cached coordinators', async () => {
    const [described] = (await kafka.admin.describeGroups([withoutCommits]))
      .groups;
    expect(described.state).toBe('Empty');
    const client = clientFor();
    expect(await readGroups(client)).toEqual(expected);
    const [first] = Object.values(client.takeRequests());
    expect(first.byApi['FindCoordinator v4']).toBe(1);
    expect(first.byApi['OffsetFetch v8']).toBe(1);

    expect(await readGroups(client)).toEqual(expected);
    expect(Object.values(client.takeRequests()).map(r => r.byApi)).toEqual([
      { 'OffsetFetch v8': 1 },
    ]);
  });

  it('reads the same offsets group by group on the per-group path', async () => {
    const client = clientFor({ groupOffsets: 'per-group' });
    expect(await readGroups(client)).toEqual(expected);
    client.takeRequests();

    expect(await readGroups(client)).toEqual(expected);
    const [requests] = Object.values(client.takeRequests());
    const perApi = Object.entries(requests.byApi)
      .map(([api, count]) => [api.split(' ')[0], count])
      .sort();
    expect(perApi).toEqual([
      ['GroupCoordinator', groups.length],
      ['OffsetFetch', groups.length],
    ]);
    expect(requests.byApi['OffsetFetch v8']).toBeUndefined();
  });
});
