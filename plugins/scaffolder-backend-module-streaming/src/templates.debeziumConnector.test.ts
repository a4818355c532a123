import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { startScaffolderTestBackend } from './__testUtils__/startScaffolderTestBackend';
import { loadTemplate } from './__testUtils__/templates';
import { uniqueName } from './__testUtils__/testEnvironment';
import { templateValues } from './__testUtils__/templateValues';

// The Debezium CDC template with its connector step, through the real scaffolder in dry
// run, against the real Kafka Connect worker (scripts/connect.sh) and PostgreSQL.
jest.setTimeout(300_000);

const run = promisify(execFile);
const repoRoot = resolve(__dirname, '../../..');
const CONNECT_URL = 'http://127.0.0.1:8083';
const psql = `/usr/lib/postgresql/${readdirSync('/usr/lib/postgresql')
  .sort((a, b) => Number(a) - Number(b))
  .pop()}/bin/psql`;
const sql = (database: string, statement: string) =>
  run(psql, [
    ...['-h', '127.0.0.1', '-p', '55432', '-U', 'postgres', '-d', database],
    ...['-v', 'ON_ERROR_STOP=1', '-X', '-q', '-c', statement],
  ]);

describe('Debezium CDC template: the connector step', () => {
  const database = uniqueName('template_cdc').replace(/-/g, '_');
  let backend: Awaited<ReturnType<typeof startScaffolderTestBackend>>;

  beforeAll(async () => {
    await run('bash', [resolve(repoRoot, 'scripts/postgres.sh'), 'start']);
    await run('bash', [resolve(repoRoot, 'scripts/connect.sh'), 'start'], {
      timeout: 280_000,
    });
    await sql('postgres', `CREATE DATABASE ${database}`);
    await sql(database, 'CREATE TABLE public.users (id bigint PRIMARY KEY)');
    backend = await startScaffolderTestBackend({
      streaming: {
        kafkaConnect: { clusters: [{ name: 'local', url: CONNECT_URL }] },
      },
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await sql('postgres', `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
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
    const response = await fetch(
      `${CONNECT_URL}/connectors/${values.name}/config`,
    );
    expect(response.status).toBe(404);
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
