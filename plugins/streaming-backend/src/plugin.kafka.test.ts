import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { notificationService } from '@backstage/plugin-notifications-node';
import {
  MicroBatch,
  PipelineLagResponse,
  PipelineStatusResponse,
  StreamingOverviewResponse,
  StreamingTeamsResponse,
} from '@internal/plugin-streaming-common';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { streamingPlugin } from './plugin';
import {
  catalogFactory,
  NO_COST_USER,
  NO_TOPICS_USER,
  OUTSIDER,
  permissionsFactory,
  pipelineEntity,
  tableEntity,
  topicEntity,
} from './__testUtils__/testEntities';
import {
  sharedBroker,
  TestKafka,
  uniqueName,
  waitFor,
} from '@internal/plugin-streaming-node/testUtils';
import { openApiTestServer } from './__testUtils__/openApiTestServer';
import { progressEvent } from './__testUtils__/progressEvents';

jest.setTimeout(180_000);

const ALICE = mockCredentials.user.header('user:default/alice');

describe('streaming backend on the real broker', () => {
  let kafka: TestKafka;
  /** The backend behind the OpenAPI proxy: every answer is checked against openapi.yaml. */
  let server: Parameters<typeof request>[0];
  /** The backend itself, for the routes outside openapi.yaml (the alert relay). */
  let backendServer: Parameters<typeof request>[0];
  let stop: () => Promise<void>;
  let tablesRoot: string;
  const scheduler = mockServices.scheduler();
  const notifications = { send: jest.fn(async () => undefined) };
  const topic = uniqueName('user-events');
  const progressTopic = uniqueName('streaming.progress');
  const groupTopic = uniqueName('app-logs');
  const groupId = uniqueName('log-indexer');

  beforeAll(async () => {
    kafka = await new TestKafka(await sharedBroker()).connect();
    await kafka.createTopic(topic, 3);
    await kafka.createTopic(groupTopic, 2);
    await kafka.createTopic(progressTopic, 1);
    await kafka.produce(topic, [0, 1, 2], 100);
    await kafka.produce(groupTopic, [0, 1], 10);
    await kafka.commit(groupId, groupTopic, { 0: 4 });

    tablesRoot = await fs.mkdtemp(path.join(os.tmpdir(), 'delta-'));
    const log = path.join(tablesRoot, 'user_events_agg', '_delta_log');
    await fs.mkdir(log, { recursive: true });
    const schemaString = JSON.stringify({
      type: 'struct',
      fields: [
        { name: 'event_type', type: 'string', nullable: true, metadata: {} },
        { name: 'event_count', type: 'long', nullable: false, metadata: {} },
      ],
    });
    await fs.writeFile(
      path.join(log, '00000000000000000000.json'),
      [
        {
          commitInfo: {
            timestamp: 1763900000000,
            operation: 'CREATE TABLE',
            operationParameters: { partitionBy: '[]' },
          },
        },
        { protocol: { minReaderVersion: 1, minWriterVersion: 2 } },
        {
          metaData: {
            id: 'x',
            format: { provider: 'parquet', options: {} },
            schemaString,
            partitionColumns: [],
            configuration: {},
          },
        },
      ]
        .map(a => JSON.stringify(a))
        .join('\n'),
    );
    await fs.writeFile(
      path.join(log, '00000000000000000001.json'),
      [
        {
          commitInfo: {
            timestamp: 1763900060000,
            operation: 'STREAMING UPDATE',
            operationParameters: {
              outputMode: 'Append',
              queryId: 'q',
              epochId: '0',
            },
          },
        },
        { add: { path: 'part-0000.parquet', size: 1200, dataChange: true } },
        { add: { path: 'part-0001.parquet', size: 800, dataChange: true } },
      ]
        .map(a => JSON.stringify(a))
        .join('\n'),
    );

    await fs.writeFile(path.join(tablesRoot, 'relay-token'), 'relay-token');
    const backend = await startTestBackend({
      features: [
        streamingPlugin,
        mockServices.rootConfig.factory({
          data: {
            streaming: {
              progressTopic,
              progressConsumerGroup: uniqueName('backstage-progress'),
              kafka: {
                clusters: [{ name: 'local', brokers: [kafka.broker] }],
              },
              lag: { pollInterval: '1s' },
              // 9 offsets per batch of the tests (3 partitions, 3 maps).
              metrics: { maxOffsetsPerAnswer: 10 },
              alerts: { notify: true },
              status: { staleAfter: '2m' },
              cost: {
                currency: 'USD',
                rates: { default: { coreHour: 0.05, gbHour: 0.01 } },
              },
              delta: { allowedRoots: [tablesRoot] },
              // Below any running pipeline's run rate: the team is over.
              budgets: { monthly: { 'data-platform': 0.01 } },
              alerting: {
                teamsRelay: {
                  url: 'http://127.0.0.1:7007/api/streaming',
                  tokenFile: path.join(tablesRoot, 'relay-token'),
                },
              },
            },
          },
        }),
        catalogFactory([
          pipelineEntity({
            name: 'user-events-to-delta',
            topic,
            cluster: 'local',
            lagMessages: 50,
          }),
          pipelineEntity({
            name: 'log-indexer',
            topic: groupTopic,
            cluster: 'local',
            consumerGroups: `local/${groupId}`,
          }),
          topicEntity('user-events-topic', topic, 'local'),
          tableEntity(
            'user-events-agg',
            path.join(tablesRoot, 'user_events_agg'),
          ),
          tableEntity('outside', os.homedir()),
        ]),
        permissionsFactory(),
        createServiceFactory({
          service: coreServices.scheduler,
          deps: {},
          factory: () => scheduler,
        }),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        createServiceFactory({
          service: notificationService,
          deps: {},
          factory: () => notifications,
        }),
      ],
    });
    backendServer = backend.server;
    server = await openApiTestServer(backend.server);
    stop = () => backend.stop();
  });

  afterAll(async () => {
    await stop?.();
    await kafka?.close();
    if (tablesRoot) await fs.rm(tablesRoot, { recursive: true, force: true });
  });

  const get = async (url: string, auth: string = ALICE) => {
    return request(server)
      .get(`/api/streaming${url}`)
      .set('Authorization', auth);
  };

  it('requires credentials and validates input', async () => {
    expect((await request(server).get('/api/streaming/overview')).status).toBe(
      401,
    );
    expect((await get('/pipelines/default/no%20such/lag')).status).toBe(400);
    expect(
      (await get('/pipelines/default/user-events-to-delta/metrics?window=2y'))
        .status,
    ).toBe(400);
    expect(
      (await get('/pipelines/default/user-events-to-delta/lag?x=1')).status,
    ).toBe(400);
    expect((await get('/pipelines/default/missing/lag')).status).toBe(404);
  });

  it('answers before the first progress event', async () => {
    const lag = await get('/pipelines/default/user-events-to-delta/lag');
    expect(lag.status).toBe(200);
    const body = lag.body as PipelineLagResponse;
    expect(body.method).toBe('spark-progress');
    expect(
      body.partitions.map(p => [
        p.partition,
        p.latestOffset,
        p.issue,
        p.lagMessages,
      ]),
    ).toEqual([
      [0, '100', 'no-progress', null],
      [1, '100', 'no-progress', null],
      [2, '100', 'no-progress', null],
    ]);
    // No data is not zero.
    expect(body.totalMessages).toBeNull();
    expect(body.unknownReason).toBe('no micro-batch yet');
    const overview = (await get('/overview')).body as StreamingOverviewResponse;
    const row = overview.pipelines.find(p =>
      p.entityRef.endsWith('/user-events-to-delta'),
    );
    expect(row).toMatchObject({
      lagMessages: null,
      lagUnknownReason: 'no micro-batch yet',
    });
    expect(overview.totals.unknownLagPipelines).toBeGreaterThanOrEqual(1);
    const status = (await get('/pipelines/default/user-events-to-delta/status'))
      .body as PipelineStatusResponse;
    expect(status).toMatchObject({
      health: 'unknown',
      running: false,
      runningSource: 'none',
    });
  });

  it('ingests progress events, skips bad ones, and serves metrics, lag, status, cost and overview', async () => {
    const now = Date.now();
    const batch = (
      batchId: number,
      agoMs: number,
      end: Record<number, number>,
    ) =>
      JSON.stringify({
        ...progressEvent({
          name: 'user-events-to-delta',
          batchId,
          timestamp: new Date(now - agoMs),
          topic,
          startOffsets: { 0: 0, 1: 0, 2: 0 },
          endOffsets: end,
          numInputRows: 90,
        }),
        observedMetrics: { pipeline: { input_bytes: 9_000, bad_records: 1 } },
        // What the generated job reports of its driver: local mode, 2 threads.
        runtime: { master: 'local[2]', defaultParallelism: 2, executors: null },
      });
    await kafka.produceRecords(progressTopic, [
      {
        key: 'user-events-to-delta',
        value: batch(0, 20_000, { 0: 40, 1: 50, 2: 100 }),
      },
      { key: 'user-events-to-delta', value: 'not json' },
      { value: JSON.stringify({ ...JSON.parse(batch(9, 0, {})), name: null }) },
      { key: 'user-events-to-delta', value: JSON.stringify({ batchId: 'x' }) },
      {
        key: 'user-events-to-delta',
        value: batch(1, 2_000, { 0: 60, 1: 70, 2: 100 }),
      },
      {
        key: 'user-events-to-delta',
        value: batch(1, 2_000, { 0: 60, 1: 70, 2: 100 }),
      },
    ]);

    const metrics = await waitFor(
      'both micro-batches',
      () => get('/pipelines/default/user-events-to-delta/metrics'),
      { until: res => res.body.batches?.length === 2, intervalMs: 500 },
    );
    expect(metrics.status).toBe(200);
    expect(
      metrics.body.batches.map((b: { batchId: number }) => b.batchId),
    ).toEqual([0, 1]);
    // Only the newest batch keeps its offsets within the cap.
    expect(
      metrics.body.batches.map(
        (b: MicroBatch) => b.sources[0].endOffset?.[topic],
      ),
    ).toEqual([undefined, { '0': 60, '1': 70, '2': 100 }]);
    expect(metrics.body.errors).toEqual([
      {
        source: 'metrics',
        message:
          'Offsets of the 1 oldest batches are left out: at most 10 partition offsets per answer (streaming.metrics.maxOffsetsPerAnswer)',
      },
    ]);
    expect(metrics.body.summary).toMatchObject({
      totalInputRows: 180,
      avgBatchDurationMs: 850,
      watermark: '2026-11-23T19:49:59.998Z',
    });

    const lag = (await get('/pipelines/default/user-events-to-delta/lag'))
      .body as PipelineLagResponse;
    expect(lag.totalMessages).toBe(70);
    expect(
      lag.partitions.map(p => [
        p.partition,
        p.consumedOffset,
        p.lagMessages,
        p.issue,
      ]),
    ).toEqual([
      [0, '60', 40, undefined],
      [1, '70', 30, undefined],
      [2, '100', 0, undefined],
    ]);
    expect(lag.partitions[2].lagSeconds).toBe(0);
    expect(lag.maxLagSeconds).not.toBeNull();
    expect(lag.history.map(h => h.lagMessages)).toEqual([0, 0]);
    expect(lag.observedAt).toBeDefined();
    expect(lag.errors).toEqual([]);

    const status = (await get('/pipelines/default/user-events-to-delta/status'))
      .body as PipelineStatusResponse;
    expect(status).toMatchObject({
      health: 'critical',
      running: true,
      runningSource: 'progress',
      runbookSection: 'lag',
    });
    expect(status.reasons[0]).toContain(
      'lag in messages 70 above the threshold 50',
    );

    const cost = await get('/pipelines/default/user-events-to-delta/cost');
    expect(cost.status).toBe(200);
    expect(cost.body.source).toBe('rates');
    expect(cost.body.perHour).toBeGreaterThan(0);
    expect(cost.body.perMonth).toBeCloseTo(cost.body.perHour * 730, 2);
    expect(cost.body.perMillionRecords).toBeGreaterThan(0);
    expect(cost.body.uptimeHours).not.toBeNull();
    expect(cost.body.history).toHaveLength(7);
    expect(
      (
        await get(
          '/pipelines/default/user-events-to-delta/cost',
          mockCredentials.user.header(NO_COST_USER),
        )
      ).status,
    ).toBe(403);

    // A snapshot older than the poll interval is refreshed in the background.
    const overview = await waitFor(
      'the refreshed overview',
      async () => (await get('/overview')).body as StreamingOverviewResponse,
      { until: body => body.totals.activePipelines === 1, intervalMs: 500 },
    );
    expect(overview.totals).toMatchObject({
      pipelines: 2,
      activePipelines: 1,
      totalLagMessages: 70 + 6,
      deltaTables: 2,
      recordsPerDay: 180,
      bytesPerDay: 18_000,
      currency: 'USD',
    });
    // Only what runs is summed; the idle pipeline's figure is an estimate.
    const [idle, running] = ['log-indexer', 'user-events-to-delta'].map(
      name => overview.pipelines.find(p => p.entityRef.endsWith(`/${name}`))!,
    );
    expect([idle.running, running.running]).toEqual([false, true]);
    // Without Kubernetes the running job's own report is what is observed:
    // local mode with its threads, no executors; the idle one claims nothing.
    expect(running).toMatchObject({
      executors: 0,
      executorsObservedBy: 'job',
      localThreads: 2,
    });
    expect(idle).toMatchObject({ executors: null, localThreads: null });
    expect(idle).not.toHaveProperty('executorsObservedBy');
    // Nor is any Kubernetes cluster (the pipelines' Kafka cluster is none).
    expect(overview.totals).toMatchObject({
      executors: 0,
      localPipelines: 1,
      localThreads: [2],
      clusters: 0,
    });
    expect(idle.monthlyCost).toBeGreaterThan(0);
    expect(running.monthlyCost).toBeGreaterThan(0);
    expect(overview.totals.monthlyCost).toBeCloseTo(running.monthlyCost!, 2);
    expect(
      (await get('/pipelines/default/log-indexer/cost')).body.running,
    ).toBe(false);
    expect(cost.body.running).toBe(true);

    const rates = await get('/cost/rates');
    expect(rates.status).toBe(200);
    expect(rates.body).toEqual({
      currency: 'USD',
      rates: { default: { coreHour: 0.05, gbHour: 0.01 } },
    });
    expect(
      (await get('/cost/rates', mockCredentials.user.header(NO_COST_USER)))
        .status,
    ).toBe(403);
    expect(overview.byHealth.critical).toBe(1);
    const noCost = (
      await get('/overview', mockCredentials.user.header(NO_COST_USER))
    ).body as StreamingOverviewResponse;
    expect(noCost.totals.monthlyCost).toBeNull();
    expect(noCost.pipelines.every(p => p.monthlyCost === null)).toBe(true);

    // One page, sorted and filtered on the server; totals cover all.
    const page = (await get('/overview?limit=1&sort=lag&order=desc'))
      .body as StreamingOverviewResponse;
    expect(page.pipelines.map(p => p.entityRef)).toEqual([running.entityRef]);
    expect(page.page).toEqual({ offset: 0, limit: 1, total: 2 });
    expect(page.totals).toEqual(overview.totals);
    const critical = (await get('/overview?health=critical&q=USER-EVENTS'))
      .body as StreamingOverviewResponse;
    expect(critical.pipelines.map(p => p.entityRef)).toEqual([
      running.entityRef,
    ]);
    expect(
      (await get('/overview?owner=group:default/nobody')).body.page.total,
    ).toBe(0);
    const tooMany = await get('/overview?limit=501');
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.message).toContain(
      'streaming.overview.maxPageSize',
    );
    expect((await get('/overview?sort=colour')).status).toBe(400);
  });

  it('groups the overview by team and system, with the budget warning to cost readers only', async () => {
    expect((await request(server).get('/api/streaming/teams')).status).toBe(
      401,
    );
    expect((await get('/teams?owner=x')).status).toBe(400);
    // A fresh snapshot (refreshed after a poll interval of 1 s here), so both
    // answers come from the same one.
    await scheduler.triggerTask('streaming-alerts-evaluate');
    const overview = (await get('/overview')).body as StreamingOverviewResponse;
    const teams = (await get('/teams')).body as StreamingTeamsResponse;
    expect(teams.generatedAt).toBe(overview.generatedAt);
    expect(teams.currency).toBe('USD');
    expect(teams.teams).toHaveLength(1);
    const [team] = teams.teams;
    expect(team).toMatchObject({
      owner: 'group:default/data-platform',
      pipelines: 2,
      runningPipelines: overview.totals.activePipelines,
      lagMessages: overview.totals.totalLagMessages,
      byHealth: overview.byHealth,
      // 'data-platform' in config is the same group as its full ref.
      monthlyBudget: 0.01,
      overBudget: true,
    });
    expect(team.monthlyCost).toBeCloseTo(overview.totals.monthlyCost!, 2);
    expect(team.monthlyCost).toBeGreaterThan(0.01);
    expect(team.systems.map(s => [s.system, s.pipelines])).toEqual([[null, 2]]);

    const noCost = (
      await get('/teams', mockCredentials.user.header(NO_COST_USER))
    ).body as StreamingTeamsResponse;
    expect(noCost.teams[0].monthlyCost).toBeNull();
    expect(noCost.teams[0].overBudget).toBe(false);
    expect(noCost.teams[0]).not.toHaveProperty('monthlyBudget');
    expect(
      (await get('/teams', mockCredentials.user.header(OUTSIDER))).body.teams,
    ).toEqual([]);
  });

  it("lets Alertmanager reach the Teams relay with the relay's token, not Backstage credentials", async () => {
    const relay = (authorization: string) =>
      request(backendServer)
        .post('/api/streaming/alerts/teams/growth-teams')
        .set('Authorization', authorization)
        .send({});
    const wrong = await relay('Bearer not-the-token');
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.message).toBe('Invalid relay token');
    // A Backstage user's token is no relay token.
    expect((await relay(ALICE)).body.error.message).toBe('Invalid relay token');
    const unknown = await relay('Bearer relay-token');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe(
      'No Teams receiver named growth-teams',
    );
  });

  it('reads committed offsets for consumer-group pipelines (no commit on a partition)', async () => {
    const lag = (await get('/pipelines/default/log-indexer/lag'))
      .body as PipelineLagResponse;
    expect(lag.method).toBe('consumer-group');
    expect(lag.consumerGroups).toEqual([groupId]);
    expect(
      lag.partitions.map(p => [
        p.partition,
        p.consumedOffset,
        p.lagMessages,
        p.issue,
      ]),
    ).toEqual([
      [0, '4', 6, undefined],
      [1, undefined, null, 'no-commit'],
    ]);
  });

  it('shows partitions added and offsets below the log start', async () => {
    await kafka.admin.createPartitions({
      topicPartitions: [{ topic, count: 4 }],
    });
    // A new producer: kafkajs drops messages for partitions its metadata does not know.
    const fresh = await new TestKafka(kafka.broker).connect();
    await fresh.produce(topic, [3], 5);
    await fresh.close();
    await kafka.deleteRecordsBefore(topic, 0, 80);
    const lag = await waitFor(
      'the new partition and log start',
      async () => {
        await scheduler.triggerTask('streaming-offsets-poll');
        return (await get('/pipelines/default/user-events-to-delta/lag'))
          .body as PipelineLagResponse;
      },
      {
        until: body =>
          body.partitions.length === 4 &&
          body.partitions[0].earliestOffset === '80' &&
          body.partitions[3].latestOffset === '5',
        timeoutMs: 20_000,
        intervalMs: 500,
      },
    );
    expect(
      lag.partitions.map(p => [p.partition, p.lagMessages, p.issue]),
    ).toEqual([
      [0, 20, 'below-log-start'],
      [1, 30, undefined],
      [2, 0, undefined],
      [3, 5, 'new-partition'],
    ]);
  });

  it('notifies the owner once per health transition', async () => {
    await scheduler.triggerTask('streaming-alerts-evaluate');
    await scheduler.triggerTask('streaming-alerts-evaluate');
    const status = (await get('/pipelines/default/user-events-to-delta/status'))
      .body as PipelineStatusResponse;
    // 20 + 30 + 0 + 5 messages behind, threshold 50.
    expect(status.health).toBe('critical');
    // The consumer-group pipeline is unknown-to-ok news: no notification.
    expect(notifications.send).toHaveBeenCalledTimes(1);
    expect(notifications.send).toHaveBeenCalledWith(
      expect.objectContaining({
        recipients: {
          type: 'entity',
          entityRef: 'group:default/data-platform',
        },
        payload: expect.objectContaining({
          title: 'user-events-to-delta: new → critical',
          severity: 'critical',
          link: '/docs/default/component/user-events-to-delta/runbook/#lag',
        }),
      }),
    );
  });

  it('lists the topics of a cluster for users allowed to, one cached answer per cluster', async () => {
    const listed = uniqueName('picker-topic');
    await kafka.createTopic(listed, 4);
    const res = await get('/topics?cluster=local');
    expect(res.status).toBe(200);
    expect(res.body.cluster).toBe('local');
    const names: string[] = res.body.topics.map(
      (t: { name: string }) => t.name,
    );
    expect(res.body.topics).toContainEqual({ name: listed, partitions: 4 });
    expect(names).toEqual([...names].sort());
    expect(names.filter(n => n.startsWith('__'))).toEqual([]);
    expect((await kafka.admin.listTopics()).some(n => n.startsWith('__'))).toBe(
      true,
    );

    // One answer per cluster for every caller, for streaming.topics.listCacheTtl.
    const later = uniqueName('picker-topic-later');
    await kafka.createTopic(later, 1);
    const cached = await get('/topics?cluster=local');
    expect(cached.body.topics).toContainEqual({ name: listed, partitions: 4 });
    expect(
      cached.body.topics.some((t: { name: string }) => t.name === later),
    ).toBe(false);

    const denied = await get(
      '/topics?cluster=local',
      mockCredentials.user.header(NO_TOPICS_USER),
    );
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toBe(
      'Not allowed to list the topics of Kafka clusters (streaming.topic.list)',
    );

    const unknown = await get('/topics?cluster=nope');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe(
      'No Kafka cluster named nope; configured: local',
    );
    expect((await get('/topics')).status).toBe(400);
    expect(
      (await request(server).get('/api/streaming/topics?cluster=local')).status,
    ).toBe(401);
    expect(
      (await get('/topics?cluster=local', mockCredentials.service.header()))
        .status,
    ).toBe(403);
  });

  it('serves topic details and Delta log facts within the allowed roots', async () => {
    const topicRes = await get('/topics/default/user-events-topic');
    expect(topicRes.status).toBe(200);
    expect(topicRes.body).toMatchObject({ cluster: 'local', topic });
    expect(topicRes.body.partitions[1]).toMatchObject({
      partition: 1,
      earliestOffset: '0',
      latestOffset: '100',
      leader: 1,
    });

    const table = await get('/tables/default/user-events-agg');
    expect(table.body).toMatchObject({
      readable: true,
      version: 1,
      numFiles: 2,
      sizeBytes: 2000,
      lastOperation: { operation: 'STREAMING UPDATE' },
      schema: [
        { name: 'event_type', type: 'string', nullable: true },
        { name: 'event_count', type: 'long', nullable: false },
      ],
      errors: [],
    });
    const outside = await get('/tables/default/outside');
    expect(outside.body).toMatchObject({
      readable: false,
      errors: [
        { source: 'delta', message: 'outside streaming.delta.allowedRoots' },
      ],
    });
  });

  it('sends one shared overview: gzipped, with an ETag, 304 while unchanged', async () => {
    // A fresh snapshot, so no background refresh lands between the requests.
    await scheduler.triggerTask('streaming-alerts-evaluate');
    const first = await request(server)
      .get('/api/streaming/overview')
      .set('Authorization', ALICE)
      .set('Accept-Encoding', 'gzip');
    expect(first.status).toBe(200);
    expect(first.headers['content-encoding']).toBe('gzip');
    expect(first.body.totals.pipelines).toBe(2);
    const etag = first.headers.etag;
    expect(etag).toMatch(/^W\/"/);
    const again = await request(server)
      .get('/api/streaming/overview')
      .set('Authorization', ALICE)
      .set('If-None-Match', etag);
    expect([again.status, again.headers.etag]).toEqual([304, etag]);
    // A caller who may read the same pipelines and costs shares the answer.
    const bob = await request(server)
      .get('/api/streaming/overview')
      .set('Authorization', mockCredentials.user.header('user:default/bob'))
      .set('If-None-Match', etag);
    expect(bob.status).toBe(304);
    // Another caller's answer is their own, with its own tag.
    const noCost = await request(server)
      .get('/api/streaming/overview')
      .set('Authorization', mockCredentials.user.header(NO_COST_USER))
      .set('If-None-Match', etag);
    expect(noCost.status).toBe(200);
    expect(noCost.body.totals.monthlyCost).toBeNull();
  });

  it("lists the pipeline's backfills from their own progress events, apart from the pipeline's micro-batches", async () => {
    const now = Date.now();
    const event = (
      name: string,
      batchId: number,
      agoMs: number,
      rows: number,
    ) => ({
      key: name,
      value: JSON.stringify({
        ...progressEvent({
          name,
          batchId,
          timestamp: new Date(now - agoMs),
          topic,
          startOffsets: { 0: 0 },
          endOffsets: { 0: rows },
          numInputRows: rows,
        }),
        backfill: { id: 'fix-1', from: { '0': 0 }, to: { '0': 30 } },
      }),
    });
    const before = (
      await get('/pipelines/default/user-events-to-delta/metrics')
    ).body.batches.length;
    await kafka.produceRecords(progressTopic, [
      event('user-events-to-delta-backfill-fix-1', 0, 3_000, 10),
      event('user-events-to-delta-backfill-fix-1', 1, 2_000, 20),
      event('user-events-to-delta-backfill-fix-2', 0, 1_000, 5),
    ]);
    const answer = await waitFor(
      'both backfills',
      () => get('/pipelines/default/user-events-to-delta/backfills'),
      { until: res => res.body.backfills?.length === 2, intervalMs: 500 },
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      entityRef: 'component:default/user-events-to-delta',
      backfills: [
        {
          id: 'fix-2',
          queryName: 'user-events-to-delta-backfill-fix-2',
          batches: 1,
          inputRows: 5,
          inputBytes: null,
          firstBatchAt: new Date(now - 1_000).toISOString(),
          lastBatchAt: new Date(now - 1_000).toISOString(),
        },
        {
          id: 'fix-1',
          queryName: 'user-events-to-delta-backfill-fix-1',
          batches: 2,
          inputRows: 30,
          inputBytes: null,
          firstBatchAt: new Date(now - 3_000).toISOString(),
          lastBatchAt: new Date(now - 2_000).toISOString(),
        },
      ],
    });
    // The pipeline's own micro-batches are not the backfills'.
    expect(
      (await get('/pipelines/default/user-events-to-delta/metrics')).body
        .batches.length,
    ).toBe(before);
    expect(
      (
        await get(
          '/pipelines/default/user-events-to-delta/backfills?limit=1&window=15m',
        )
      ).body.backfills.map((b: { id: string }) => b.id),
    ).toEqual(['fix-2']);
    expect(
      (
        await get(
          '/pipelines/default/user-events-to-delta/backfills',
          mockCredentials.user.header(OUTSIDER),
        )
      ).status,
    ).toBe(404);
    expect(
      (await get('/pipelines/default/user-events-to-delta/backfills?limit=101'))
        .status,
    ).toBe(400);
  });

  it('shows a caller only the entities the catalog lets them read', async () => {
    const outsider = mockCredentials.user.header(OUTSIDER);
    expect(
      (await get('/pipelines/default/user-events-to-delta/lag', outsider))
        .status,
    ).toBe(404);
    expect(
      (await get('/topics/default/user-events-topic', outsider)).status,
    ).toBe(404);
    const overview = (await get('/overview', outsider))
      .body as StreamingOverviewResponse;
    expect(overview.totals.pipelines).toBe(0);
    expect(overview.pipelines).toEqual([]);
  });
});
