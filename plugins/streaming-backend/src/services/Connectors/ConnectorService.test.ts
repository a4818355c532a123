import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { readPipelineEntity } from '../Pipelines/PipelineCatalog';
import { pipelineEntity } from '../../__testUtils__/testEntities';
import { ConnectorService } from './ConnectorService';

// What a failed Debezium task's trace can look like: the JDBC URL and a
// setting echoed by the driver. The real worker seldom prints credentials,
// so this answers as Connect's REST API does (shapes of
// GET /connectors?expand=info&expand=status and GET /connectors/{name}/topics)
// from a local server.
const TRACE = [
  'org.apache.kafka.connect.errors.ConnectException: Could not connect to postgresql://debezium:s3cret@db.internal:5432/accounts with password=hunter2',
  '\tat io.debezium.jdbc.JdbcConnection.connection(JdbcConnection.java:889)',
].join('\n');

const status = (state: string, tasks: Array<[number, string, string?]>) => ({
  name: 'x',
  connector: { state, worker_id: '10.0.0.7:8083' },
  tasks: tasks.map(([id, s, trace]) => ({
    id,
    state: s,
    worker_id: '10.0.0.7:8083',
    ...(trace ? { trace } : {}),
  })),
  type: 'source',
});

const CONNECTORS = {
  'users-cdc': {
    info: {
      name: 'users-cdc',
      type: 'source',
      config: {
        'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
        'topic.prefix': 'accounts',
        // Entries are regular expressions: an escaped dot names a table too.
        'table.include.list': 'public.users, public.orders, public\\.payments',
        'database.password': 'literal-password-in-config',
      },
      tasks: [],
    },
    status: status('RUNNING', [
      [0, 'RUNNING'],
      [1, 'FAILED', TRACE],
    ]),
  },
  // Writes through a routing transform: found by the topics Connect saw.
  'routed-source': {
    info: {
      name: 'routed-source',
      type: 'source',
      config: { 'connector.class': 'com.example.RoutedSource' },
      tasks: [],
    },
    status: status('PAUSED', [[0, 'PAUSED']]),
  },
  // Reads the topic: a sink does not feed the pipeline.
  'users-sink': {
    info: {
      name: 'users-sink',
      type: 'sink',
      config: {
        'connector.class': 'com.example.Sink',
        topics: 'accounts.public.users',
      },
      tasks: [],
    },
    status: status('RUNNING', [[0, 'RUNNING']]),
  },
};

const ACTIVE_TOPICS: Record<string, { status: number; body: unknown }> = {
  // Topic tracking off on this worker for the Debezium connector.
  'users-cdc': { status: 403, body: { error_code: 403, message: 'off' } },
  'routed-source': {
    status: 200,
    body: { 'routed-source': { topics: ['accounts.public.users'] } },
  },
  'users-sink': {
    status: 200,
    body: { 'users-sink': { topics: ['accounts.public.users'] } },
  },
};

describe('ConnectorService', () => {
  let server: Server;
  let url: string;
  const requests: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(req.url!);
      const topics = /^\/connectors\/([^/]+)\/topics$/.exec(req.url!);
      const answer =
        req.url === '/connectors?expand=info&expand=status'
          ? { status: 200, body: CONNECTORS }
          : (topics && ACTIVE_TOPICS[decodeURIComponent(topics[1])]) ?? {
              status: 404,
              body: { error_code: 404, message: 'no such path' },
            };
      res.writeHead(answer.status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(answer.body));
    });
    await new Promise<void>(done => server.listen(0, '127.0.0.1', done));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise(done => server.close(done));
  });

  const service = () =>
    ConnectorService.fromConfig(
      new ConfigReader({
        streaming: {
          kafka: { clusters: [{ name: 'local', brokers: ['127.0.0.1:1'] }] },
          kafkaConnect: { clusters: [{ name: 'prod', url }] },
          connectors: { cacheTtl: '1m' },
        },
      }),
      mockServices.logger.mock(),
    );

  const pipeline = (topic: string) =>
    readPipelineEntity(pipelineEntity({ name: 'p', topic, cluster: 'local' }));

  it('answers the source connectors writing the topic, with the first line of a failed trace masked and no config value', async () => {
    const answer = await service().getPipelineConnectors(
      pipeline('accounts.public.users'),
    );
    expect(answer.errors).toEqual([]);
    expect(answer.connectors).toEqual([
      {
        cluster: 'prod',
        name: 'routed-source',
        connectorClass: 'com.example.RoutedSource',
        state: 'PAUSED',
        workerId: '10.0.0.7:8083',
        topics: ['accounts.public.users'],
        tasks: [{ id: 0, state: 'PAUSED', workerId: '10.0.0.7:8083' }],
      },
      {
        cluster: 'prod',
        name: 'users-cdc',
        connectorClass: 'io.debezium.connector.postgresql.PostgresConnector',
        state: 'RUNNING',
        workerId: '10.0.0.7:8083',
        topics: ['accounts.public.users'],
        tasks: [
          { id: 0, state: 'RUNNING', workerId: '10.0.0.7:8083' },
          {
            id: 1,
            state: 'FAILED',
            workerId: '10.0.0.7:8083',
            trace:
              'org.apache.kafka.connect.errors.ConnectException: Could not connect to postgresql://***@db.internal:5432/accounts with password=***',
          },
        ],
      },
    ]);
    const text = JSON.stringify(answer);
    for (const secret of ['s3cret', 'hunter2', 'literal-password-in-config']) {
      expect(text).not.toContain(secret);
    }
  });

  it('reads each table of table.include.list and asks the cluster once per cacheTtl for every pipeline', async () => {
    const connectors = service();
    requests.length = 0;
    const orders = await connectors.getPipelineConnectors(
      pipeline('accounts.public.orders'),
    );
    expect(orders.connectors.map(c => c.name)).toEqual(['users-cdc']);
    const payments = await connectors.getPipelineConnectors(
      pipeline('accounts.public.payments'),
    );
    expect(payments.connectors.map(c => c.name)).toEqual(['users-cdc']);
    const other = await connectors.getPipelineConnectors(pipeline('clicks'));
    expect(other).toEqual({
      entityRef: 'component:default/p',
      connectors: [],
      errors: [],
    });
    // One listing, one topics request per source connector: the sink's
    // topics are not asked for.
    expect(requests.sort()).toEqual([
      '/connectors/routed-source/topics',
      '/connectors/users-cdc/topics',
      '/connectors?expand=info&expand=status',
    ]);
  });
});
