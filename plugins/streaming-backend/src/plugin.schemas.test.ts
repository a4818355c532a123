import {
  BackstageCredentials,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { taskCreatePermission } from '@backstage/plugin-scaffolder-common/alpha';
import { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_PIPELINE_SCHEMA_VERSION,
  ANNOTATION_PIPELINE_SUMMARY,
  PipelineSchemasResponse,
  TopicFieldsResponse,
} from '@internal/plugin-streaming-common';
import {
  sharedBroker,
  TestKafka,
  TestSchemaRegistry,
} from '@internal/plugin-streaming-node/testUtils';
import net from 'node:net';
import request from 'supertest';
import { streamingPlugin } from './plugin';
import { openApiTestServer } from './__testUtils__/openApiTestServer';
import {
  catalogFactory,
  OUTSIDER,
  pipelineEntity,
} from './__testUtils__/testEntities';

jest.setTimeout(180_000);

const ALICE = mockCredentials.user.header('user:default/alice');
/** A user who may not run software templates (scaffolder.task.create). */
const NO_CREATE = 'user:default/no-create';

const eventV1 = JSON.stringify({
  type: 'record',
  name: 'Event',
  fields: [
    { name: 'user_id', type: 'string' },
    { name: 'amount', type: ['null', 'double'], default: null },
    {
      name: 'ts',
      type: { type: 'long', logicalType: 'timestamp-millis' },
    },
    { name: 'tags', type: { type: 'array', items: 'string' } },
  ],
});
/** Adds `country` without a default: records of version 1 lack it. */
const eventV2 = JSON.stringify({
  type: 'record',
  name: 'Event',
  fields: [...JSON.parse(eventV1).fields, { name: 'country', type: 'string' }],
});

/** Adds an optional `channel`. */
const eventV3 = JSON.stringify({
  type: 'record',
  name: 'Event',
  fields: [
    ...JSON.parse(eventV2).fields,
    { name: 'channel', type: ['null', 'string'], default: null },
  ],
});

/**
 * A loopback TCP proxy in front of the broker that counts the connections
 * opened through it. Configured as a cluster's bootstrap address, it sees
 * each kafkajs client's first connection (later ones go to the address the
 * broker advertises).
 */
async function countingProxy(target: string) {
  const [host, port] = [
    target.slice(0, target.lastIndexOf(':')),
    Number(target.slice(target.lastIndexOf(':') + 1)),
  ];
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const server = net.createServer(client => {
    connections += 1;
    const upstream = net.connect(port, host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    connections: () => connections,
    close: async () => {
      sockets.forEach(socket => socket.destroy());
      await new Promise(resolve => server.close(resolve));
    },
  };
}

describe('schema routes on the real registry and broker', () => {
  let kafka: TestKafka;
  let proxy: Awaited<ReturnType<typeof countingProxy>>;
  let registry: TestSchemaRegistry;
  let server: Parameters<typeof request>[0];
  let stop: () => Promise<void>;
  const subjects: string[] = [];
  let avroTopic: string;
  let jsonSchemaTopic: string;
  let sampledTopic: string;
  let bigTopic: string;
  let emptyTopic: string;
  /** A subject not named after its topic (RecordNameStrategy-like), which a spec names. */
  let recordSubject: string;

  beforeAll(async () => {
    [kafka, registry] = await Promise.all([
      sharedBroker().then(broker => new TestKafka(broker).connect()),
      TestSchemaRegistry.start(),
    ]);
    proxy = await countingProxy(kafka.broker);
    avroTopic = registry.uniqueTopic('schema-events');
    jsonSchemaTopic = registry.uniqueTopic('schema-orders');
    sampledTopic = registry.uniqueTopic('schema-clicks');
    bigTopic = registry.uniqueTopic('schema-big');
    emptyTopic = registry.uniqueTopic('schema-empty');
    recordSubject = `${registry.uniqueTopic('schema')}.Event`;
    subjects.push(
      `${avroTopic}-value`,
      `${jsonSchemaTopic}-value`,
      recordSubject,
    );
    await registry.client.register(recordSubject, eventV1, 'AVRO');

    const { client } = registry;
    await client.register(`${avroTopic}-value`, eventV1, 'AVRO');
    await client.setCompatibilityLevel(`${avroTopic}-value`, 'NONE');
    await client.register(`${avroTopic}-value`, eventV2, 'AVRO');
    await client.setCompatibilityLevel(`${avroTopic}-value`, 'BACKWARD');
    await client.register(
      `${jsonSchemaTopic}-value`,
      JSON.stringify({
        type: 'object',
        properties: {
          order_id: { type: 'integer' },
          placed_at: { type: 'string', format: 'date-time' },
          note: { type: ['string', 'null'] },
        },
        required: ['order_id', 'placed_at'],
      }),
      'JSON',
    );

    await kafka.createTopic(sampledTopic, 2);
    await kafka.createTopic(bigTopic, 1);
    await kafka.createTopic(emptyTopic, 1);
    // Older records lack `referrer` and hold integer prices; the newest
    // five per partition, which a sample of 10 reads, all have both.
    const click = (i: number, recent: boolean) => ({
      value: JSON.stringify({
        click_id: i,
        page: `/p/${i}`,
        price: recent ? i + 0.5 : i,
        at: '2026-11-29T10:00:00Z',
        ...(recent ? { referrer: null, day: '2026-11-29' } : {}),
      }),
    });
    for (const partition of [0, 1]) {
      await kafka.produceRecords(sampledTopic, [
        ...Array.from({ length: 20 }, (_, i) => ({
          partition,
          ...click(i, false),
        })),
        ...Array.from({ length: 5 }, (_, i) => ({
          partition,
          ...click(100 + i, true),
        })),
        { partition, value: 'not json' },
      ]);
    }
    // Five values of 3,000 bytes: the 10,000-byte limit stops at three.
    await kafka.produceRecords(
      bigTopic,
      Array.from({ length: 5 }, (_, i) => ({
        value: JSON.stringify({ n: i, blob: 'x'.repeat(2980) }),
      })),
    );

    const pinned = pipelineEntity({
      name: 'events-pinned',
      topic: avroTopic,
      cluster: 'local',
    });
    pinned.metadata.annotations![ANNOTATION_PIPELINE_SCHEMA_VERSION] = '1';
    /** A pipeline whose spec names `subject` of `registry` as its schema, pinned to version 1. */
    const namingSubject = (name: string, registryName: string): Entity => {
      const entity = pipelineEntity({
        name,
        topic: avroTopic,
        cluster: 'local',
      });
      const annotations = entity.metadata.annotations!;
      const summary = JSON.parse(annotations[ANNOTATION_PIPELINE_SUMMARY]);
      summary.source.schemaSubject = {
        registry: registryName,
        subject: recordSubject,
      };
      annotations[ANNOTATION_PIPELINE_SUMMARY] = JSON.stringify(summary);
      annotations[ANNOTATION_PIPELINE_SCHEMA_VERSION] = '1';
      return entity;
    };
    const backend = await startTestBackend({
      features: [
        streamingPlugin,
        mockServices.rootConfig.factory({
          data: {
            streaming: {
              kafka: {
                clusters: [
                  { name: 'local', brokers: [kafka.broker] },
                  // The same broker, bootstrapped through the counting proxy.
                  // The proxy runs on this test's event loop: on a busy machine
                  // the default 3 s connection timeout can expire before it
                  // relays an answer, and the retry's new connection is not the
                  // sampler's doing.
                  {
                    name: 'proxied',
                    brokers: [proxy.address],
                    connectionTimeoutMs: 30_000,
                    requestTimeoutMs: 60_000,
                  },
                ],
              },
              schemas: {
                cacheTtl: { minutes: 10 },
                sample: { maxMessages: 10, maxBytes: 10_000, timeout: '20s' },
              },
              schemaRegistries: {
                'local-registry': { url: registry.url, kafkaCluster: 'local' },
              },
            },
          },
        }),
        catalogFactory([
          pinned,
          namingSubject('events-named-subject', 'local-registry'),
          namingSubject('events-unknown-registry', 'elsewhere'),
          pipelineEntity({
            name: 'events-unpinned',
            topic: avroTopic,
            cluster: 'local',
          }),
          pipelineEntity({
            name: 'no-subject',
            topic: sampledTopic,
            cluster: 'local',
          }),
        ]),
        createServiceFactory({
          service: coreServices.permissions,
          deps: {},
          factory: () =>
            mockServices.permissions.mock({
              authorize: async (requests, options) =>
                requests.map(({ permission }) => ({
                  result:
                    permission.name === taskCreatePermission.name &&
                    (
                      (options?.credentials as BackstageCredentials)
                        ?.principal as { userEntityRef?: string }
                    )?.userEntityRef === NO_CREATE
                      ? AuthorizeResult.DENY
                      : AuthorizeResult.ALLOW,
                })) as any,
            }),
        }),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
      ],
    });
    server = await openApiTestServer(backend.server);
    stop = () => backend.stop();
  });

  afterAll(async () => {
    await stop?.();
    await proxy?.close();
    for (const subject of subjects) {
      await registry?.client.deleteSubject(subject).catch(() => undefined);
    }
    await kafka?.admin
      .deleteTopics({ topics: [sampledTopic, bigTopic, emptyTopic] })
      .catch(() => undefined);
    await kafka?.close();
  });

  const get = (url: string, auth: string = ALICE) =>
    request(server).get(`/api/streaming${url}`).set('Authorization', auth);

  it('shows the version a pipeline was built for, the newer ones and whether the latest is compatible', async () => {
    const res = await get('/pipelines/default/events-pinned/schemas');
    expect(res.status).toBe(200);
    const body = res.body as PipelineSchemasResponse;
    expect(body.errors).toEqual([]);
    expect(body.subjects).toHaveLength(1);
    const [subject] = body.subjects;
    expect(subject).toMatchObject({
      registry: 'local-registry',
      subject: `${avroTopic}-value`,
      topic: avroTopic,
      schemaType: 'AVRO',
      apiEntityRef: `api:default/schema-subject.local-registry.${avroTopic}-value`,
      compatibilityLevel: 'BACKWARD',
      inUse: { version: 1 },
      latest: { version: 2 },
      newerVersions: [2],
      // BACKWARD: version 2 cannot read version 1's records (no default for country).
      compatibleWithInUse: false,
    });
    expect(Date.parse(subject.latest.registeredAt!)).toBeGreaterThan(
      Date.now() - 600_000,
    );
  });

  it("shows the subject the spec names rather than the topic's, and names a registry app-config lacks", async () => {
    const res = await get('/pipelines/default/events-named-subject/schemas');
    expect(res.status).toBe(200);
    expect(res.body.errors).toEqual([]);
    expect(res.body.subjects).toHaveLength(1);
    expect(res.body.subjects[0]).toMatchObject({
      registry: 'local-registry',
      subject: recordSubject,
      topic: avroTopic,
      inUse: { version: 1 },
      latest: { version: 1 },
      newerVersions: [],
    });
    const unknown = await get(
      '/pipelines/default/events-unknown-registry/schemas',
    );
    expect(unknown.body.subjects).toEqual([]);
    expect(unknown.body.errors).toEqual([
      {
        source: 'schema-registry:elsewhere',
        message:
          'no schema registry named "elsewhere" in app-config (streaming.schemaRegistries); configured: local-registry',
      },
    ]);
  });

  it('shows the latest version without a comparison for a pipeline that names no version', async () => {
    const res = await get('/pipelines/default/events-unpinned/schemas');
    expect(res.status).toBe(200);
    expect(res.body.subjects[0].inUse).toBeUndefined();
    expect(res.body.subjects[0]).toMatchObject({
      latest: { version: 2 },
      newerVersions: [],
      compatibleWithInUse: null,
    });
    const none = await get('/pipelines/default/no-subject/schemas');
    expect(none.body).toEqual({
      entityRef: 'component:default/no-subject',
      subjects: [],
      errors: [],
    });
  });

  it('reuses an answer for streaming.schemas.cacheTtl', async () => {
    const before = await get('/pipelines/default/events-pinned/schemas');
    await registry.client.setCompatibilityLevel(`${avroTopic}-value`, 'NONE');
    await registry.client.register(`${avroTopic}-value`, eventV3, 'AVRO');
    const after = await get('/pipelines/default/events-pinned/schemas');
    expect(after.body).toEqual(before.body);
    expect(
      await registry.client.listVersions(`${avroTopic}-value`),
    ).toHaveLength(3);
  });

  it('checks credentials and catalog visibility of the pipeline', async () => {
    expect(
      (
        await request(server).get(
          '/api/streaming/pipelines/default/events-pinned/schemas',
        )
      ).status,
    ).toBe(401);
    expect(
      (
        await get(
          '/pipelines/default/events-pinned/schemas',
          mockCredentials.user.header(OUTSIDER),
        )
      ).status,
    ).toBe(404);
  });

  it('proposes the fields of an Avro subject, flat ones only', async () => {
    const res = await get(`/topics/fields?cluster=local&topic=${avroTopic}`);
    expect(res.status).toBe(200);
    const body = res.body as TopicFieldsResponse;
    expect(body).toMatchObject({
      origin: 'registry',
      format: 'avro',
      registry: 'local-registry',
      subject: `${avroTopic}-value`,
    });
    // From the latest version, 3.
    expect(body.version).toBe(3);
    expect(body.fields).toEqual([
      { name: 'user_id', type: 'string', nullable: false },
      { name: 'amount', type: 'double', nullable: true },
      { name: 'ts', type: 'timestamp', nullable: false },
      { name: 'country', type: 'string', nullable: false },
      { name: 'channel', type: 'string', nullable: true },
    ]);
    expect(body.errors[0].message).toContain('tags');
  });

  it('proposes the fields of a JSON Schema subject', async () => {
    const res = await get(
      `/topics/fields?cluster=local&topic=${jsonSchemaTopic}`,
    );
    expect(res.body).toMatchObject({ origin: 'registry', format: 'json' });
    expect(res.body.fields).toEqual([
      { name: 'order_id', type: 'long', nullable: false },
      { name: 'placed_at', type: 'timestamp', nullable: false },
      { name: 'note', type: 'string', nullable: true },
    ]);
  });

  it('proposes fields from the newest JSON messages of a topic without a subject, within maxMessages', async () => {
    const res = await get(`/topics/fields?cluster=local&topic=${sampledTopic}`);
    expect(res.status).toBe(200);
    const body = res.body as TopicFieldsResponse;
    // Per partition the newest five: four clicks and one line that is not JSON.
    expect(body.sampledMessages).toBe(10);
    expect(body.origin).toBe('sample');
    expect(body.fields).toEqual([
      { name: 'click_id', type: 'long', nullable: false },
      { name: 'page', type: 'string', nullable: false },
      { name: 'price', type: 'double', nullable: false },
      { name: 'at', type: 'timestamp', nullable: false },
      { name: 'referrer', type: 'string', nullable: true },
      { name: 'day', type: 'date', nullable: false },
    ]);
    expect(body.errors).toEqual([
      {
        source: 'kafka:local',
        message: '2 of 10 sampled messages are not JSON objects',
      },
    ]);
  });

  it('samples through the cluster connections the backend keeps open, without a consumer group', async () => {
    const groupsBefore = new Set(
      (await kafka.admin.listGroups()).groups.map(g => g.groupId),
    );
    const sample = () =>
      get(`/topics/fields?cluster=proxied&topic=${sampledTopic}`);
    const first = await sample();
    expect(first.status).toBe(200);
    expect(first.body.sampledMessages).toBe(10);
    const afterFirst = proxy.connections();
    expect(afterFirst).toBeGreaterThan(0);
    const second = await sample();
    expect(second.status).toBe(200);
    expect(second.body.fields).toEqual(first.body.fields);
    // The second sample opened no connection: no new client, admin or consumer.
    expect(proxy.connections()).toBe(afterFirst);
    const newGroups = (await kafka.admin.listGroups()).groups
      .map(g => g.groupId)
      .filter(g => !groupsBefore.has(g));
    expect(newGroups.filter(g => g.includes('sample'))).toEqual([]);
  });

  it('stops sampling at maxBytes', async () => {
    const res = await get(`/topics/fields?cluster=local&topic=${bigTopic}`);
    expect(res.body.sampledMessages).toBe(3);
    expect(res.body.fields).toEqual([
      { name: 'n', type: 'long', nullable: false },
      { name: 'blob', type: 'string', nullable: false },
    ]);
  });

  it('proposes nothing for an empty topic and refuses unknown topics and clusters', async () => {
    const empty = await get(`/topics/fields?cluster=local&topic=${emptyTopic}`);
    expect(empty.body).toMatchObject({
      origin: 'none',
      sampledMessages: 0,
      fields: [],
    });
    expect(
      (await get('/topics/fields?cluster=local&topic=no-such-topic-f18'))
        .status,
    ).toBe(404);
    const cluster = await get(`/topics/fields?cluster=prod&topic=${avroTopic}`);
    expect(cluster.status).toBe(404);
    expect(cluster.body.error.message).toContain('configured: local');
  });

  it('refuses callers who may not create pipelines, and requests without credentials', async () => {
    const res = await get(
      `/topics/fields?cluster=local&topic=${sampledTopic}`,
      mockCredentials.user.header(NO_CREATE),
    );
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain('scaffolder.task.create');
    expect(
      (
        await request(server).get(
          `/api/streaming/topics/fields?cluster=local&topic=${sampledTopic}`,
        )
      ).status,
    ).toBe(401);
  });
});
