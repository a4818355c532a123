import { mockServices } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import { invokeAction } from '../__testUtils__/invokeAction';
import { runExample } from '../__testUtils__/runExample';
import {
  TestConnect,
  TestPostgres,
  uniqueName,
} from '@internal/plugin-streaming-node/testUtils';
import { KafkaConnectClusters } from '@internal/plugin-streaming-node';
import { createKafkaConnectorCreateAction } from './kafkaConnectorCreate';
import { examples } from './kafkaConnectorCreate.examples';

// Against the real Kafka Connect worker of scripts/connect.sh (Debezium's PostgreSQL
// connector) and the real PostgreSQL of scripts/postgres.sh.
jest.setTimeout(300_000);

const CONNECT_URL = 'http://127.0.0.1:8083';

describe('kafka:connector:create (local Kafka Connect with Debezium)', () => {
  const connectClusters = KafkaConnectClusters.fromConfig(
    mockServices.rootConfig({
      data: {
        streaming: {
          kafkaConnect: { clusters: [{ name: 'local', url: CONNECT_URL }] },
        },
      },
    }),
    { logger: mockServices.logger.mock() },
  );
  const action = createKafkaConnectorCreateAction({ connectClusters });
  const database = uniqueName('connector_action').replace(/-/g, '_');
  const created: string[] = [];
  let postgres: TestPostgres;
  let connect: TestConnect;

  beforeAll(async () => {
    postgres = await TestPostgres.create(database);
    connect = await TestConnect.start();
    await postgres.sql('CREATE TABLE public.users (id bigint PRIMARY KEY)');
  });

  afterAll(async () => {
    for (const name of created) {
      await connect?.delete(name);
    }
    // A deleted connector leaves its replication slot: drop() waits until it is released.
    await postgres?.drop();
  });

  const debezium = (name: string, overrides: JsonObject = {}): JsonObject => ({
    'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
    'database.hostname': '127.0.0.1',
    'database.port': 55432,
    'database.user': 'postgres',
    'database.password': '${env:STREAMING_TEST_UNSET_PASSWORD}',
    'database.dbname': database,
    'topic.prefix': name,
    'table.include.list': 'public.users',
    'plugin.name': 'pgoutput',
    'slot.name': name.replace(/-/g, '_'),
    'publication.autocreate.mode': 'filtered',
    ...overrides,
  });
  // Through the action's own client: Connect may answer 409 while its workers
  // rebalance just after a connector is created, and the client waits that out.
  const connectorConfig = (name: string) =>
    connectClusters.get('local').getConfig(name);

  it('validates in dry run without creating anything', async () => {
    const name = uniqueName('dry');
    const outputs = await invokeAction(
      action,
      { cluster: 'local', name, config: debezium(name) },
      { isDryRun: true },
    );
    expect(outputs).toEqual({
      name,
      cluster: 'local',
      connectorClass: 'io.debezium.connector.postgresql.PostgresConnector',
      status: 'valid',
    });
    expect(await connectorConfig(name)).toBeUndefined();
  });

  it("names the keys Connect's validation refuses", async () => {
    const name = uniqueName('invalid');
    await expect(
      invokeAction(
        action,
        {
          cluster: 'local',
          name,
          config: debezium(name, { 'plugin.name': 'no-such-plugin' }),
        },
        { isDryRun: true },
      ),
    ).rejects.toThrow(/Kafka Connect refused the config of .*plugin\.name: /);
    expect(await connectorConfig(name)).toBeUndefined();
  });

  it('creates the connector, is idempotent, and names each difference of another config', async () => {
    const name = uniqueName('users');
    created.push(name);
    const input = { cluster: 'local', name, config: debezium(name) };
    expect((await invokeAction(action, input)).status).toBe('created');
    expect(await connectorConfig(name)).toEqual({
      ...Object.fromEntries(
        Object.entries(debezium(name)).map(([k, v]) => [k, String(v)]),
      ),
      name,
    });
    // Debezium runs with it: connector and task RUNNING on the worker.
    await connect.waitState(name, 'RUNNING');
    expect((await invokeAction(action, input)).status).toBe('exists');
    expect((await invokeAction(action, input, { isDryRun: true })).status).toBe(
      'exists',
    );

    const changed = debezium(name, {
      'table.include.list': 'public.users,public.orders',
      'snapshot.mode': 'never',
      'database.password': '${env:OTHER_PASSWORD}',
    });
    await expect(
      invokeAction(action, { ...input, config: changed }),
    ).rejects.toThrow(
      `Kafka connector ${name} on local exists with a different config: database.password differs; snapshot.mode is unset, requested 'never'; table.include.list is 'public.users', requested 'public.users,public.orders'`,
    );
    expect((await connectorConfig(name))?.['table.include.list']).toBe(
      'public.users',
    );
  });

  it('refuses literal credentials without echoing them', async () => {
    const name = uniqueName('literal');
    const attempt = invokeAction(action, {
      cluster: 'local',
      name,
      config: debezium(name, { 'database.password': 'hunter2-literal' }),
    });
    await expect(attempt).rejects.toThrow(
      'config.database.password: credentials must be config-provider references',
    );
    await expect(attempt).rejects.not.toThrow(/hunter2/);
    expect(await connectorConfig(name)).toBeUndefined();
  });

  it('accepts only clusters and connector classes from app-config', async () => {
    const name = uniqueName('elsewhere');
    await expect(
      invokeAction(action, { cluster: 'prod', name, config: debezium(name) }),
    ).rejects.toThrow(
      "unknown Kafka Connect cluster 'prod': configured in streaming.kafkaConnect.clusters are local",
    );
    const restricted = createKafkaConnectorCreateAction({
      connectClusters: KafkaConnectClusters.fromConfig(
        mockServices.rootConfig({
          data: {
            streaming: {
              kafkaConnect: {
                clusters: [
                  {
                    name: 'local',
                    url: CONNECT_URL,
                    allowedConnectorClasses: ['org.example.OtherConnector'],
                  },
                ],
              },
            },
          },
        }),
        { logger: mockServices.logger.mock() },
      ),
    });
    await expect(
      invokeAction(restricted, {
        cluster: 'local',
        name,
        config: debezium(name),
      }),
    ).rejects.toThrow(
      'connector class io.debezium.connector.postgresql.PostgresConnector is not allowed on Kafka Connect cluster local',
    );
  });

  it('runs its example (dry run)', async () => {
    for (const { example } of examples) {
      const [outputs] = await runExample(action, example, { isDryRun: true });
      expect(outputs.status).toBe('valid');
    }
  });
});
