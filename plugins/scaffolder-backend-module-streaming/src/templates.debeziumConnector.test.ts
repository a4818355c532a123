import { startScaffolderTestBackend } from './__testUtils__/startScaffolderTestBackend';
import { loadTemplate } from './__testUtils__/templates';
import {
  TestConnect,
  TestPostgres,
  uniqueName,
} from '@internal/plugin-streaming-node/testUtils';
import { templateValues } from './__testUtils__/templateValues';

// The Debezium CDC template with its connector step, through the real scaffolder in dry
// run, against the real Kafka Connect worker (scripts/connect.sh) and PostgreSQL.
jest.setTimeout(300_000);

describe('Debezium CDC template: the connector step', () => {
  const database = uniqueName('template_cdc').replace(/-/g, '_');
  let backend: Awaited<ReturnType<typeof startScaffolderTestBackend>>;
  let postgres: TestPostgres;
  let connect: TestConnect;

  beforeAll(async () => {
    postgres = await TestPostgres.create(database);
    connect = await TestConnect.start();
    await postgres.sql('CREATE TABLE public.users (id bigint PRIMARY KEY)');
    backend = await startScaffolderTestBackend({
      streaming: {
        kafkaConnect: { clusters: [{ name: 'local', url: connect.url }] },
      },
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await postgres?.drop();
  });

  const dryRun = (overrides: Record<string, unknown>) => {
    const suffix = uniqueName('c').slice(0, 10);
    const base = templateValues['debezium-cdc-to-delta'](suffix);
    const values = {
      ...base,
      name: String(base.name),
      topic: `cdc${suffix.replace(/-/g, '')}.public.users`,
      database,
      connectCluster: 'local',
      dbHost: '127.0.0.1',
      dbPort: 55432,
      dbUser: 'postgres',
      dbPasswordEnv: 'ACCOUNTS_DB_PASSWORD',
      ...overrides,
    };
    return backend
      .dryRun(loadTemplate('debezium-cdc-to-delta'), values)
      .then(result => ({ values, ...result }));
  };

  it('validates the connector through Kafka Connect and creates nothing', async () => {
    const { values, status, body } = await dryRun({});
    expect(status).toBe(200);
    expect(body.log.filter(l => l.body.status === 'failed')).toEqual([]);
    const messages = body.log.map(l => l.body.message);
    expect(messages).toContain('Finished step Create the Debezium connector');
    expect(messages).toContainEqual(
      expect.stringContaining(`Kafka connector ${values.name}: valid`),
    );
    // The config the step was given: Debezium's topic is <topic.prefix>.<schema>.<table>,
    // the password a reference to the worker's environment.
    const inputs = messages
      .find(m => m.includes('Running kafka:connector:create in dry-run mode'))
      ?.replace(/\s+/g, '');
    expect(inputs).toContain(
      `"topic.prefix":"${String(values.topic).replace('.public.users', '')}"`,
    );
    expect(inputs).toContain(
      '"database.password":"${env:ACCOUNTS_DB_PASSWORD}"',
    );
    expect(await connect.config(String(values.name))).toBeUndefined();
  });

  it('fails when Connect refuses the config, with its reason', async () => {
    const { values, status, body } = await dryRun({
      database: 'no_such_database',
    });
    expect({ status, error: body.error }).toEqual({
      status: 400,
      error: expect.objectContaining({
        name: 'InputError',
        message: `Kafka Connect refused the config of ${values.name}: database.hostname: Error while validating connector config: FATAL: database "no_such_database" does not exist`,
      }),
    });
  });
});
