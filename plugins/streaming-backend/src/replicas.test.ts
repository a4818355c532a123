import {
  createBackendModule,
  createServiceFactory,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import eventsPlugin from '@backstage/plugin-events-backend';
import {
  EventParams,
  eventsServiceFactory,
  eventsServiceRef,
} from '@backstage/plugin-events-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { PipelineLagResponse } from '@internal/plugin-streaming-common';
import {
  sharedBroker,
  TestKafka,
  uniqueName,
  waitFor,
} from '@internal/plugin-streaming-node/testUtils';
import knexFactory, { Knex } from 'knex';
import request from 'supertest';
import { streamingPlugin } from './plugin';
import { KafkaOffsetsPoller } from './services/KafkaOffsets/KafkaOffsetsPoller';
import { DatabaseProgressStore } from './services/ProgressStore/DatabaseProgressStore';
import { progressEvent } from './__testUtils__/progressEvents';
import {
  catalogFactory,
  permissionsFactory,
  pipelineEntity,
} from './__testUtils__/testEntities';

jest.setTimeout(180_000);

const ALICE = mockCredentials.user.header('user:default/alice');
/** Seconds between two offsets polls (and the poll task's timeout). */
const POLL_SECONDS = 2;
const POSTGRES =
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??
  'postgresql://postgres@127.0.0.1:55432';

/**
 * Two backends on one PostgreSQL database and one broker, each with the
 * real scheduler and database services, as two replicas of a deployment.
 */
describe('two backend replicas on one PostgreSQL', () => {
  let kafka: TestKafka;
  let db: Knex;
  const replicas: TestBackend[] = [];
  const notifications = { send: jest.fn(async () => undefined) };
  const pollAll = jest.spyOn(KafkaOffsetsPoller.prototype, 'pollAll');
  const addBatches = jest.spyOn(DatabaseProgressStore.prototype, 'addBatches');
  const listTopics = jest.spyOn(KafkaOffsetsPoller.prototype, 'listTopics');
  /** The poller of each replica, in the order of `replicas`. */
  const pollers: unknown[] = [];
  const prefix = `${uniqueName('replicas').replace('-', '_')}_`;
  const topic = uniqueName('orders');
  const groupTopic = uniqueName('audit');
  const groupId = uniqueName('auditor');
  const progressTopic = uniqueName('streaming.progress');
  const progressConsumerGroup = uniqueName('backstage-progress');

  /** The signals each replica's subscriber received, in the order of `replicas`. */
  const signalsSeen: EventParams[][] = [];

  /**
   * Subscribes to the signals topic as each replica's signals backend does
   * (a subscription of its own per replica), recording what reaches it.
   */
  const signalsRecorder = (index: number) =>
    createBackendModule({
      pluginId: 'events',
      moduleId: `signals-recorder-${index}`,
      register(reg) {
        reg.registerInit({
          deps: { events: eventsServiceRef },
          async init({ events }) {
            signalsSeen[index] = [];
            await events.subscribe({
              id: `signals-recorder-${index}`,
              topics: ['signals'],
              onEvent: async event => {
                signalsSeen[index].push(event);
              },
            });
          },
        });
      },
    });

  function replica(index: number): Promise<TestBackend> {
    return startTestBackend({
      features: [
        streamingPlugin,
        // The framework's event bus, as packages/backend installs it: on
        // PostgreSQL it carries events (signals among them) to every replica.
        eventsPlugin,
        eventsServiceFactory,
        signalsRecorder(index),
        mockServices.rootConfig.factory({
          data: {
            backend: {
              database: { client: 'pg', connection: POSTGRES, prefix },
            },
            streaming: {
              progressTopic,
              progressConsumerGroup,
              kafka: { clusters: [{ name: 'local', brokers: [kafka.broker] }] },
              lag: { pollInterval: { seconds: POLL_SECONDS } },
              alerts: { notify: true, evaluateInterval: '1s' },
            },
          },
        }),
        databaseServiceFactory,
        schedulerServiceFactory,
        catalogFactory([
          pipelineEntity({
            name: 'orders-to-delta',
            topic,
            cluster: 'local',
            lagMessages: 50,
          }),
          pipelineEntity({
            name: 'audit-indexer',
            topic: groupTopic,
            cluster: 'local',
            consumerGroups: `local/${groupId}`,
          }),
        ]),
        permissionsFactory(),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        createServiceFactory({
          service: notificationService,
          deps: {},
          factory: () => notifications,
        }) as ServiceFactory,
      ],
    });
  }

  const lagOf = async (backend: TestBackend, name: string) =>
    (
      await request(backend.server)
        .get(`/api/streaming/pipelines/default/${name}/lag`)
        .set('Authorization', ALICE)
    ).body as PipelineLagResponse;

  beforeAll(async () => {
    kafka = await new TestKafka(await sharedBroker()).connect();
    await kafka.createTopic(topic, 3);
    await kafka.createTopic(groupTopic, 2);
    // Two partitions: each replica's ingestor is assigned one.
    await kafka.createTopic(progressTopic, 2);
    await kafka.produce(topic, [0, 1, 2], 100);
    await kafka.produce(groupTopic, [0, 1], 10);
    await kafka.commit(groupId, groupTopic, { 0: 4, 1: 7 });
    replicas.push(await replica(0), await replica(1));
    for (const backend of replicas) {
      // Listing topics goes to the replica's own poller: tells them apart.
      await request(backend.server)
        .get('/api/streaming/topics?cluster=local')
        .set('Authorization', ALICE)
        .expect(200);
      pollers.push(listTopics.mock.contexts.at(-1));
    }
    db = knexFactory({
      client: 'pg',
      connection: `${POSTGRES}/${prefix}streaming`,
    });
  });

  afterAll(async () => {
    pollAll.mockRestore();
    await db?.destroy();
    await kafka?.close();
  });

  it('polls the broker once per interval and both replicas answer the same lag', async () => {
    await waitFor('the first shared snapshot', () =>
      db('kafka_offsets_snapshots').where({ cluster: 'local' }).first(),
    );
    pollAll.mockClear();
    await new Promise(resolve => setTimeout(resolve, 5 * POLL_SECONDS * 1000));
    // One poll per interval, by whichever replica claims the task: a poll
    // per replica would be about ten.
    expect(pollAll).toHaveBeenCalled();
    expect(pollAll.mock.calls.length).toBeLessThanOrEqual(6);

    for (const name of ['audit-indexer', 'orders-to-delta']) {
      const [first, second] = await waitFor(
        `${name}: both replicas answering from the same poll`,
        () => Promise.all(replicas.map(r => lagOf(r, name))),
        { until: ([a, b]) => !!a.observedAt && a.observedAt === b.observedAt },
      );
      const figures = (lag: PipelineLagResponse) => ({
        totalMessages: lag.totalMessages,
        unknownReason: lag.unknownReason,
        partitions: lag.partitions.map(p => ({ ...p, lagSeconds: undefined })),
      });
      expect(figures(second)).toEqual(figures(first));
    }
    const group = await lagOf(replicas[1], 'audit-indexer');
    // 10 - 4 and 10 - 7 behind.
    expect(group.totalMessages).toBe(9);
  });

  it('stores each progress event once and notifies each transition once', async () => {
    const now = Date.now();
    const records = [0, 1, 2, 3, 4, 5].map(batchId => ({
      key: 'orders-to-delta',
      // Over both partitions, so that both replicas ingest.
      partition: batchId % 2,
      value: JSON.stringify(
        progressEvent({
          name: 'orders-to-delta',
          batchId,
          timestamp: new Date(now - (6 - batchId) * 1000),
          topic,
          startOffsets: { 0: 0, 1: 0, 2: 0 },
          endOffsets: { 0: 60, 1: 70, 2: 100 },
        }),
      ),
    }));
    addBatches.mockClear();
    // Signals of this test's transition only (the first test's evaluation
    // signalled its pipelines' first health).
    signalsSeen.forEach(seen => seen.splice(0));
    await kafka.produceRecords(progressTopic, records);
    await waitFor(
      'six micro-batches stored',
      async () =>
        (
          await db('micro_batches').count({ n: '*' }).first()
        )?.n as string,
      { until: n => Number(n) >= 6 },
    );
    // Each event reached the store once, through one replica.
    const handed = addBatches.mock.calls.reduce(
      (sum, [entries]) => sum + entries.length,
      0,
    );
    expect(handed).toBe(6);
    expect(
      Number((await db('micro_batches').count({ n: '*' }).first())?.n),
    ).toBe(6);

    // 40 + 30 + 0 behind, threshold 50: critical, once.
    await waitFor(
      'the critical notification',
      async () => notifications.send.mock.calls.length,
      { until: n => n >= 1 },
    );
    await new Promise(resolve => setTimeout(resolve, 4000));
    expect(notifications.send).toHaveBeenCalledTimes(1);
    expect(notifications.send).toHaveBeenCalledWith(
      expect.objectContaining({
        payload: expect.objectContaining({
          title: 'orders-to-delta: unknown → critical',
        }),
      }),
    );

    // The transition's signal, which makes open pages refetch, reaches the
    // pages on both replicas, whichever evaluated it: once each.
    const channel = 'streaming:health:component:default/orders-to-delta';
    const healthSignals = (index: number) =>
      (signalsSeen[index] ?? []).filter(
        e => (e.eventPayload as { channel?: string }).channel === channel,
      );
    await waitFor(
      'the health signal on both replicas',
      async () => [healthSignals(0).length, healthSignals(1).length],
      { until: ([a, b]) => a >= 1 && b >= 1 },
    );
    expect([healthSignals(0).length, healthSignals(1).length]).toEqual([1, 1]);
    expect(healthSignals(1)[0].eventPayload).toMatchObject({
      recipients: { type: 'broadcast' },
      channel,
      message: { changed: true },
    });
  });

  it('hands the poll to the other replica within one interval when the polling one stops mid-poll', async () => {
    const stuck = new Promise<void>(resolve => {
      // The next poll hangs: its replica is stopped in the middle of it.
      pollAll.mockImplementationOnce(() => {
        resolve();
        return new Promise(() => {});
      });
    });
    await stuck;
    const holder = pollAll.mock.contexts.at(-1);
    const stopped = pollers.indexOf(holder);
    expect(stopped).toBeGreaterThanOrEqual(0);
    const survivor = replicas[1 - stopped];
    await replicas[stopped].stop();
    const stoppedAt = Date.now();
    const taken = await waitFor(
      'a poll by the other replica',
      async () => {
        const row = await db('kafka_offsets_snapshots')
          .where({ cluster: 'local' })
          .first('observed_at');
        return Number(row?.observed_at) > stoppedAt
          ? Number(row.observed_at)
          : undefined;
      },
      { timeoutMs: 3 * POLL_SECONDS * 1000 },
    );
    // Released at shutdown: the next run is due within one interval, and
    // the scheduler looks for due runs every min(5 s, interval).
    expect(taken - stoppedAt).toBeLessThanOrEqual(2 * POLL_SECONDS * 1000);
    const lag = await waitFor(
      'the survivor answering from the new poll',
      () => lagOf(survivor, 'audit-indexer'),
      { until: l => Date.parse(l.observedAt ?? '') >= taken },
    );
    expect(lag.totalMessages).toBe(9);
  });
});
