import {
  SchedulerService,
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { ANNOTATION_LOCATION, Entity } from '@backstage/catalog-model';
import {
  DeferredEntity,
  EntityProviderMutation,
} from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_DATABASE_HOST,
  ANNOTATION_DATABASE_NAME,
  ANNOTATION_DATABASE_PORT,
  ANNOTATION_DATABASE_TABLE,
  ANNOTATION_KAFKA_CLUSTER,
  ANNOTATION_KAFKA_CONNECT_CLUSTER,
  ANNOTATION_KAFKA_CONNECTOR,
  ANNOTATION_KAFKA_CONNECTOR_CLASS,
  walkLineage,
} from '@internal/plugin-streaming-common';
import {
  TestConnect,
  TestPostgres,
  uniqueName,
  waitFor,
} from '@internal/plugin-streaming-node/testUtils';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  CatalogTestBackend,
  catalogWait,
  startCatalogTestBackend,
} from '../__testUtils__/startCatalogTestBackend';
import { KafkaConnectEntityProvider } from './KafkaConnectEntityProvider';

// Against the real Kafka Connect worker of scripts/connect.sh (Debezium's
// PostgreSQL connector) and the real PostgreSQL of scripts/postgres.sh.
jest.setTimeout(600_000);

const POSTGRES_CLASS = 'io.debezium.connector.postgresql.PostgresConnector';

const relationsOf = (entity: Entity, type: string) =>
  (entity.relations ?? [])
    .filter(r => r.type === type)
    .map(r => r.targetRef)
    .sort();

/** A CDC pipeline reading `topic` (Debezium envelopes of `database`.`table`) into a Delta table. */
function writeCdcPipeline(
  dir: string,
  name: string,
  topic: string,
  database: string,
  table: string,
): string {
  const folder = path.join(dir, name);
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(
    path.join(folder, 'catalog-info.yaml'),
    `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
  annotations:
    streaming-platform.dev/pipeline-spec: ./pipeline.yaml
spec:
  type: streaming-pipeline
  lifecycle: production
  owner: group:default/team-accounts
`,
  );
  fs.writeFileSync(
    path.join(folder, 'pipeline.yaml'),
    `pipeline:
  name: ${name}
  owner: group:default/team-accounts
  source:
    type: debezium
    cluster: local
    topic: ${topic}
    database: ${database}
    table: ${table}
    key: [id]
    fields:
      - { name: id, type: long }
      - { name: email, type: string }
  transformations: []
  sink:
    type: delta
    path: /data/delta/${name}
    mode: merge
    merge_keys: [id]
    checkpoint: /checkpoints/${name}
  trigger: '10 seconds'
`,
  );
  return path.join(folder, 'catalog-info.yaml');
}

/** The catalog's scheduler: the test backend's runs each task once at startup, then when triggered. */
function schedulerProbe() {
  const probe: { scheduler?: SchedulerService } = {};
  const feature = createBackendModule({
    pluginId: 'catalog',
    moduleId: 'test-scheduler-probe',
    register(reg) {
      reg.registerInit({
        deps: { scheduler: coreServices.scheduler },
        async init({ scheduler }) {
          probe.scheduler = scheduler;
        },
      });
    },
  });
  return { probe, feature };
}

/** A TCP pass-through to the Connect worker that the test can cut and restore, on one port. */
class CuttableProxy {
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  constructor(private readonly target: URL) {}

  async open(): Promise<void> {
    this.server = net.createServer(client => {
      const upstream = net.connect(
        Number(this.target.port),
        this.target.hostname,
      );
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>(resolve =>
      this.server!.listen(this.port, '127.0.0.1', () => resolve()),
    );
    this.port = (this.server!.address() as net.AddressInfo).port;
  }

  async cut(): Promise<void> {
    const closed = new Promise(resolve => this.server?.close(resolve));
    this.sockets.forEach(socket => socket.destroy());
    await closed;
  }
}

describe('KafkaConnectEntityProvider with the real Kafka Connect and PostgreSQL', () => {
  const database = uniqueName('catalog_connect').replace(/-/g, '_');
  const connectorName = uniqueName('catalog-cdc');
  const prefix = connectorName.replace(/-/g, '_');
  // Trust authentication on the local server: any password connects, so the
  // connector runs with one that must never leave Kafka Connect.
  const password = `pw-${randomBytes(12).toString('hex')}`;
  let postgres: TestPostgres;
  let connect: TestConnect;
  let backend: CatalogTestBackend | undefined;
  let dir: string;

  beforeAll(async () => {
    postgres = await TestPostgres.create(database);
    connect = await TestConnect.start();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'connect-provider-'));
    // customers is named in table.include.list; orders only matches a
    // pattern, so only the connector's active topics name it.
    await postgres.sql(`
      CREATE TABLE public.customers (id bigint PRIMARY KEY, email text);
      CREATE TABLE public.orders (id bigint PRIMARY KEY, amount int);
      INSERT INTO public.customers VALUES (1, 'a@example.com');
      INSERT INTO public.orders VALUES (1, 10);`);
    await connect.create(connectorName, {
      'connector.class': POSTGRES_CLASS,
      'database.hostname': postgres.host,
      'database.port': String(postgres.port),
      'database.user': postgres.user,
      'database.password': password,
      'database.dbname': database,
      'topic.prefix': prefix,
      'table.include.list': 'public.customers,public\\.ord.*',
      'plugin.name': 'pgoutput',
      'slot.name': prefix,
      'publication.autocreate.mode': 'filtered',
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await connect?.delete(connectorName);
    // A deleted connector leaves its replication slot: drop() waits until it is released.
    await postgres?.drop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const customersTopic = () => `${prefix}.public.customers`;

  it('shows database table -> connector -> topic -> pipeline -> table in the catalog, without the password', async () => {
    const pipelineName = `cdc-${prefix.split('_').pop()}`;
    const locations = [
      writeCdcPipeline(
        dir,
        pipelineName,
        customersTopic(),
        database,
        'public.customers',
      ),
    ];
    const { probe, feature } = schedulerProbe();
    backend = await startCatalogTestBackend({
      locations,
      // The provider's warnings (a cluster not read) show in the test's output.
      features: [feature, mockServices.rootLogger.factory({ level: 'warn' })],
      config: {
        streaming: {
          kafka: { clusters: [{ name: 'local', brokers: ['127.0.0.1:9092'] }] },
          kafkaConnect: { clusters: [{ name: 'test', url: connect.url }] },
        },
        catalog: {
          rules: [{ allow: ['Component', 'API', 'Resource', 'Location'] }],
          // This key replaces the helper's whole `catalog`: its locations again.
          locations: locations.map(target => ({ type: 'file', target })),
          providers: {
            streamingKafkaConnect: {
              owner: 'group:default/data-platform-team',
              schedule: { frequency: { minutes: 5 }, timeout: { minutes: 2 } },
            },
          },
        },
      },
    });

    const connectorRef = `resource:default/connector.test.${connectorName}`;
    const customersRef = `resource:default/db.${database}.public.customers`;
    const ordersRef = `resource:default/db.${database}.public.orders`;
    const customersTopicRef = `resource:default/topic.local.${customersTopic()}`;
    const ordersTopicRef = `resource:default/topic.local.${prefix}.public.orders`;
    const sinkRef = `resource:default/delta.data.delta.${pipelineName}`;

    // Debezium's snapshot writes both topics; the provider sees them on a later run.
    const connector = await waitFor(
      'the connector with both tables and both topics',
      async () => {
        await probe.scheduler!.triggerTask(
          'streaming-kafka-connect:test:refresh',
        );
        const entity = await backend!.getEntity(connectorRef);
        return entity && relationsOf(entity, 'dependsOn').length === 2
          ? entity
          : undefined;
      },
      catalogWait,
    );
    expect(connector.spec).toMatchObject({
      type: 'kafka-connector',
      owner: 'group:default/data-platform-team',
    });
    expect(connector.metadata.annotations).toMatchObject({
      [ANNOTATION_KAFKA_CONNECT_CLUSTER]: 'test',
      [ANNOTATION_KAFKA_CONNECTOR]: connectorName,
      [ANNOTATION_KAFKA_CONNECTOR_CLASS]: POSTGRES_CLASS,
      [ANNOTATION_KAFKA_CLUSTER]: 'local',
      // "View source" leads to the connector's status, never its config.
      [ANNOTATION_LOCATION]: `url:${connect.url}/connectors/${connectorName}/status`,
    });
    expect(relationsOf(connector, 'dependsOn')).toEqual(
      [customersRef, ordersRef].sort(),
    );
    expect(relationsOf(connector, 'dependencyOf')).toEqual(
      [customersTopicRef, ordersTopicRef].sort(),
    );

    // The table the pipeline spec also names is the provider's, with its server.
    const table = await waitFor(
      'the customers table as the provider describes it',
      async () => {
        const entity = await backend!.getEntity(customersRef);
        return entity?.metadata.annotations?.[ANNOTATION_DATABASE_HOST] &&
          relationsOf(entity, 'dependencyOf').includes(connectorRef)
          ? entity
          : undefined;
      },
      catalogWait,
    );
    expect(table.spec?.type).toBe('database-table');
    expect(table.metadata.annotations).toMatchObject({
      [ANNOTATION_DATABASE_TABLE]: `${database}.public.customers`,
      [ANNOTATION_DATABASE_NAME]: database,
      [ANNOTATION_DATABASE_HOST]: postgres.host,
      [ANNOTATION_DATABASE_PORT]: String(postgres.port),
      [ANNOTATION_KAFKA_CONNECTOR]: connectorName,
    });

    // The chain meets the pipeline's lineage: upstream of its Delta table,
    // one walk reaches the database table through the connector.
    const graph = await waitFor(
      'the walk from the sink to the database table',
      async () => {
        const walked = await walkLineage({
          from: sinkRef,
          direction: 'upstream',
          maxDepth: 10,
          fetchEntities: refs => backend!.getEntitiesByRefs(refs),
        });
        return walked.nodes.some(n => n.entityRef === customersRef) &&
          walked.nodes.some(n => n.entityRef === connectorRef)
          ? walked
          : undefined;
      },
      catalogWait,
    );
    const depth = (ref: string) =>
      graph.nodes.find(n => n.entityRef === ref)?.depth;
    expect(depth(`component:default/${pipelineName}`)).toBe(1);
    expect(depth(customersTopicRef)).toBe(2);
    expect(depth(connectorRef)).toBe(3);
    expect(graph.edges).toEqual(
      expect.arrayContaining([
        { from: customersRef, to: connectorRef },
        { from: connectorRef, to: customersTopicRef },
        { from: customersTopicRef, to: `component:default/${pipelineName}` },
        { from: `component:default/${pipelineName}`, to: sinkRef },
      ]),
    );
    expect(backend.errors).toEqual([]);

    // Nothing the catalog holds carries the connector's password.
    const everything = JSON.stringify(await backend.listEntities());
    expect(everything).toContain(connectorName);
    expect(everything).not.toContain(password);
  });

  it('keeps the last entities while the cluster does not answer, and logs the outage once', async () => {
    const proxy = new CuttableProxy(new URL(connect.url));
    await proxy.open();
    const logger = mockServices.logger.mock();
    logger.child.mockReturnValue(logger);
    const [provider] = KafkaConnectEntityProvider.fromConfig(
      mockServices.rootConfig({
        data: {
          streaming: {
            kafka: {
              clusters: [{ name: 'local', brokers: ['127.0.0.1:9092'] }],
            },
            kafkaConnect: {
              requestTimeout: '5s',
              clusters: [
                { name: 'cut', url: `http://127.0.0.1:${proxy.port}` },
              ],
            },
          },
        },
      }),
      {
        logger,
        scheduler: mockServices.scheduler.mock({
          createScheduledTaskRunner: () => ({ run: async () => {} }),
        }),
      },
    );
    const mutations: EntityProviderMutation[] = [];
    await provider.connect({
      applyMutation: async mutation => {
        mutations.push(mutation);
      },
      refresh: async () => {},
    });
    const names = (mutation: EntityProviderMutation) =>
      mutation.type === 'full'
        ? mutation.entities.map((e: DeferredEntity) => e.entity.metadata.name)
        : [];

    await provider.refresh();
    expect({
      mutations: mutations.length,
      warnings: logger.warn.mock.calls,
    }).toEqual({ mutations: 1, warnings: [] });
    expect(names(mutations[0])).toContain(`connector.cut.${connectorName}`);
    expect(names(mutations[0])).toContain(`db.${database}.public.customers`);

    await proxy.cut();
    await provider.refresh();
    await provider.refresh();
    // No mutation: the catalog keeps what the last good read gave.
    expect(mutations).toHaveLength(1);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(
      'Kafka Connect cluster not read; its connectors and tables stay as last read',
      expect.objectContaining({
        cluster: 'cut',
        url: `http://127.0.0.1:${proxy.port}`,
        error: expect.any(String),
      }),
    );

    await proxy.open();
    await provider.refresh();
    expect(mutations).toHaveLength(2);
    expect(names(mutations[1])).toContain(`connector.cut.${connectorName}`);
    expect(logger.info).toHaveBeenCalledWith(
      'Kafka Connect cluster answers again',
      { cluster: 'cut' },
    );
    await proxy.cut();

    // No log line and no emitted entity carries the password.
    const logged = JSON.stringify(
      [logger.warn, logger.info, logger.debug, logger.error].map(
        fn => fn.mock.calls,
      ),
    );
    expect(logged).not.toContain(password);
    expect(JSON.stringify(mutations)).not.toContain(password);
  });
});
