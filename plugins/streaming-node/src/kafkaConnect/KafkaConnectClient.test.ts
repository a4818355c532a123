import {
  createServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { AddressInfo } from 'node:net';
import { KafkaConnectClient } from './KafkaConnectClient';

// Kafka Connect answers 409 while its workers rebalance, for example right
// after a connector is created: a request a moment later succeeds. The real
// worker does this only now and then, so this test answers as it does
// (status and body of Connect's ConnectRestException) from a local server.
const REBALANCE = {
  error_code: 409,
  message:
    'Cannot complete request momentarily due to stale configuration (typically caused by a concurrent config change)',
};

describe('KafkaConnectClient', () => {
  let server: Server;
  let url: string;
  let answers: Array<{ status: number; body: unknown }>;
  let requests: string[];

  beforeEach(async () => {
    answers = [];
    requests = [];
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      requests.push(`${req.method} ${req.url}`);
      const answer = answers.shift() ?? { status: 500, body: {} };
      res.writeHead(answer.status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(answer.body));
    });
    await new Promise<void>(resolve =>
      server.listen(0, '127.0.0.1', () => resolve()),
    );
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    await new Promise(resolve => server.close(resolve));
  });

  /** A client of the local server, with rebalanceTimeout as given. */
  const client = (rebalanceTimeoutMs = 5000) =>
    new KafkaConnectClient({ url, timeoutMs: 5000, rebalanceTimeoutMs });

  it.each([
    [
      '409 while the workers rebalance',
      [REBALANCE, REBALANCE].map(body => ({ status: 409, body })),
    ],
    [
      // Connect's RebalanceNeededException, as the real worker answered a
      // connector's config read 2 ms after storing it (seen in a test run).
      "Connect's 500 while a rebalance is expected (just after a connector is created)",
      [
        {
          status: 500,
          body: {
            error_code: 500,
            message:
              'Request cannot be completed because a rebalance is expected',
          },
        },
      ],
    ],
  ])('retries %s, then returns the answer', async (_, refusals) => {
    answers.push(...refusals, {
      status: 200,
      body: { name: 'users', 'topic.prefix': 'users' },
    });
    await expect(client().getConfig('users')).resolves.toEqual({
      name: 'users',
      'topic.prefix': 'users',
    });
    expect(requests).toEqual(
      Array(refusals.length + 1).fill('GET /connectors/users/config'),
    );
  });

  it('does not retry a 500 for another reason', async () => {
    answers.push({
      status: 500,
      body: { error_code: 500, message: 'Failed to find any class' },
    });
    await expect(client().getConfig('users')).rejects.toThrow(/500/);
    expect(requests).toHaveLength(1);
  });

  it("fails with Connect's message when the rebalance outlasts rebalanceTimeout", async () => {
    for (let i = 0; i < 100; i++)
      answers.push({ status: 409, body: REBALANCE });
    await expect(
      client(2000).putConfig('users', { 'connector.class': 'X' }),
    ).rejects.toThrow(/409/);
    expect(requests.length).toBeGreaterThan(1);
    expect(requests.length).toBeLessThan(100);
  });

  it('does not retry other errors', async () => {
    answers.push({
      status: 400,
      body: { error_code: 400, message: 'Connector config is invalid' },
    });
    await expect(
      client().putConfig('users', { 'connector.class': 'X' }),
    ).rejects.toThrow(/400/);
    expect(requests).toHaveLength(1);
  });
});
