import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { PipelineConnectorsResponse } from '@internal/plugin-streaming-common';
import { KafkaConnectClusters } from '@internal/plugin-streaming-node';
import {
  sharedBroker,
  TestConnect,
  TestPostgres,
  uniqueName,
  waitFor,
} from '@internal/plugin-streaming-node/testUtils';
import { AddressInfo, createServer } from 'node:net';
import request from 'supertest';
import { streamingPlugin } from './plugin';
import { openApiTestServer } from './__testUtils__/openApiTestServer';
import {
  catalogFactory,
  NO_CONNECTORS_USER,
  OUTSIDER,
  permissionsFactory,
  pipelineEntity,
} from './__testUtils__/testEntities';

jest.setTimeout(300_000);

const ALICE = mockCredentials.user.header('user:default/alice');
const CACHE_TTL_MS = 30_000;
/** A loopback port nothing listens on any more: a Connect cluster that does not answer. */
async function closedPortUrl(): Promise<string> {
  const listener = createServer();
  await new Promise<void>(done => listener.listen(0, '127.0.0.1', done));
  const { port } = listener.address() as AddressInfo;
  await new Promise(done => listener.close(done));
  return `http://127.0.0.1:${port}`;
}

describe('connector route on the real Kafka Connect worker and PostgreSQL', () => {
  const database = uniqueName('connector_route').replace(/-/g, '_');
  const running = uniqueName('cdc-users');
  const failing = uniqueName('cdc-orders');
  const usersTopic = `${running}.public.users`;
  const ordersTopic = `${failing}.public.orders`;
  let postgres: TestPostgres;
  let connect: TestConnect;
  let server: Parameters<typeof request>[0];
  let partialServer: Parameters<typeof request>[0];
  const stops: Array<() => Promise<void>> = [];

  /** A Debezium connector of the test database; credentials by reference only. */
  const debezium = (name: string, table: string, extra = {}) => ({
    'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
    'database.hostname': postgres.host,
    'database.port': String(postgres.port),
    'database.user': postgres.user,
    'database.password': '${env:STREAMING_TEST_UNSET_PASSWORD}',
    'database.dbname': database,
    'topic.prefix': name,
    'table.include.list': table,
    'plugin.name': 'pgoutput',
    'slot.name': name.replace(/-/g, '_'),
    ...extra,
  });

  async function startBackend(
    connectClusters: object[],
    cacheTtl: object | string,
    kafkaClusters = ['local'],
  ) {
    const broker = await sharedBroker();
    const backend = await startTestBackend({
      features: [
        streamingPlugin,
        mockServices.rootConfig.factory({
          data: {
            streaming: {
              kafka: {
                clusters: kafkaClusters.map(name => ({
                  name,
                  brokers: [broker],
                })),
              },
              kafkaConnect: { clusters: connectClusters },
              connectors: { cacheTtl },
            },
          },
        }),
        catalogFactory([
          pipelineEntity({
            name: 'users-cdc',
            topic: usersTopic,
            cluster: 'local',
          }),
          pipelineEntity({
            name: 'orders-cdc',
            topic: ordersTopic,
            cluster: 'local',
          }),
          pipelineEntity({
            name: 'clicks',
            topic: uniqueName('clicks'),
            cluster: 'local',
          }),
        ]),
        permissionsFactory(),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
      ],
    });
    stops.push(() => backend.stop());
    return openApiTestServer(backend.server);
  }

  beforeAll(async () => {
    [postgres, connect] = await Promise.all([
      TestPostgres.create(database),
      TestConnect.start(),
    ]);
    await postgres.sql(
      'CREATE TABLE public.users (id bigint PRIMARY KEY); CREATE TABLE public.orders (id bigint PRIMARY KEY)',
    );
    await connect.create(running, debezium(running, 'public.users'));
    // Passes Connect's validation; its task fails at start, as a connector
    // whose publication an administrator has not created yet does.
    await KafkaConnectClusters.fromConfig(
      new ConfigReader({
        streaming: {
          kafkaConnect: { clusters: [{ name: 'local', url: connect.url }] },
        },
      }),
      { logger: mockServices.logger.mock() },
    )
      .get('local')
      .putConfig(
        failing,
        debezium(failing, 'public.orders', {
          'publication.name': `${failing.replace(/-/g, '_')}_missing`,
          'publication.autocreate.mode': 'disabled',
        }),
      );
    await waitFor(
      `a task of ${failing} to fail`,
      async () => (await connect.status(failing)).tasks[0]?.state,
      { until: state => state === 'FAILED', timeoutMs: 120_000 },
    );
    server = await startBackend([{ name: 'local', url: connect.url }], {
      milliseconds: CACHE_TTL_MS,
    });
    partialServer = await startBackend(
      [
        { name: 'local', url: connect.url },
        { name: 'down', url: await closedPortUrl() },
        // The same worker, said to write to another Kafka cluster: its
        // connectors feed no pipeline of cluster local.
        { name: 'elsewhere', url: connect.url, kafkaCluster: 'other' },
      ],
      '0s',
      ['local', 'other'],
    );
  });

  afterAll(async () => {
    for (const stop of stops) await stop();
    await connect?.delete(running);
    await connect?.delete(failing);
    await postgres?.drop();
  });

  const get = (url: string, auth: string = ALICE, on = server) =>
    request(on).get(`/api/streaming${url}`).set('Authorization', auth);

  it('answers the running connector that writes the source topic, then its new state after streaming.connectors.cacheTtl', async () => {
    const before = await get('/pipelines/default/users-cdc/connectors');
    expect(before.status).toBe(200);
    expect(before.body).toEqual({
      entityRef: 'component:default/users-cdc',
      connectors: [
        {
          cluster: 'local',
          name: running,
          connectorClass: 'io.debezium.connector.postgresql.PostgresConnector',
          state: 'RUNNING',
          workerId: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
          topics: [usersTopic],
          tasks: [
            {
              id: 0,
              state: 'RUNNING',
              workerId: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
            },
          ],
        },
      ],
      errors: [],
    } satisfies PipelineConnectorsResponse);

    const stopping = Date.now();
    await connect.stop(running);
    expect(Date.now() - stopping).toBeLessThan(CACHE_TTL_MS / 2);
    const cached = await get('/pipelines/default/users-cdc/connectors');
    expect(cached.body).toEqual(before.body);

    const after = await waitFor(
      'the answer to show the stopped connector',
      async () =>
        (
          await get('/pipelines/default/users-cdc/connectors')
        ).body as PipelineConnectorsResponse,
      {
        until: body => body.connectors[0]?.state !== 'RUNNING',
        timeoutMs: CACHE_TTL_MS * 3,
        intervalMs: 1000,
      },
    );
    expect(after.connectors[0]).toMatchObject({
      name: running,
      state: 'STOPPED',
    });
  });

  it('answers a failed task with the first line of its trace and nothing of the config', async () => {
    const res = await get('/pipelines/default/orders-cdc/connectors');
    expect(res.status).toBe(200);
    const body = res.body as PipelineConnectorsResponse;
    expect(body.connectors).toHaveLength(1);
    expect(body.connectors[0]).toMatchObject({
      name: failing,
      topics: [ordersTopic],
      tasks: [
        {
          id: 0,
          state: 'FAILED',
          trace:
            'org.apache.kafka.connect.errors.ConnectException: Publication autocreation is disabled, please create one and restart the connector.',
        },
      ],
    });
    const text = JSON.stringify(body);
    expect(text).not.toContain('STREAMING_TEST_UNSET_PASSWORD');
    expect(text).not.toContain(database);
    expect(text).not.toContain('\\tat ');
  });

  it('answers an empty list for a pipeline no connector feeds', async () => {
    const res = await get('/pipelines/default/clicks/connectors');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      entityRef: 'component:default/clicks',
      connectors: [],
      errors: [],
    });
  });

  it("reports a Connect cluster that does not answer as an error beside what the others answered, and asks only those of the pipeline's Kafka cluster", async () => {
    const res = await get(
      '/pipelines/default/orders-cdc/connectors',
      ALICE,
      partialServer,
    );
    expect(res.status).toBe(200);
    const body = res.body as PipelineConnectorsResponse;
    expect(body.connectors.map(c => `${c.cluster}/${c.name}`)).toEqual([
      `local/${failing}`,
    ]);
    expect(body.errors).toEqual([
      {
        source: 'kafka-connect:down',
        message: expect.stringContaining('ECONNREFUSED'),
      },
    ]);
  });

  it('checks credentials, catalog visibility and streaming.connector.read', async () => {
    expect(
      (
        await request(server).get(
          '/api/streaming/pipelines/default/users-cdc/connectors',
        )
      ).status,
    ).toBe(401);
    expect(
      (
        await get(
          '/pipelines/default/users-cdc/connectors',
          mockCredentials.user.header(OUTSIDER),
        )
      ).status,
    ).toBe(404);
    const refused = await get(
      '/pipelines/default/users-cdc/connectors',
      mockCredentials.user.header(NO_CONNECTORS_USER),
    );
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain('streaming.connector.read');
  });
});
