import { ResponseError } from '@backstage/errors';
import { StreamingClient } from './StreamingClient';

function respond(status: number, body: unknown) {
  const text = JSON.stringify(body);
  return {
    ok: status < 400,
    status,
    statusText: status < 400 ? 'OK' : 'Not Found',
    headers: { get: () => 'application/json' },
    json: async () => JSON.parse(text),
    text: async () => text,
  } as unknown as Response;
}

describe('StreamingClient', () => {
  const discoveryApi = {
    getBaseUrl: async (id: string) => `http://backend.test/api/${id}`,
  };
  const ref = { kind: 'Component', namespace: 'default', name: 'user-events' };

  it.each([
    ['getPipelineLag', '/pipelines/default/user-events/lag'],
    ['getPipelineStatus', '/pipelines/default/user-events/status'],
    ['getPipelineCost', '/pipelines/default/user-events/cost'],
    ['getPipelineEnvironments', '/pipelines/default/user-events/environments'],
    ['getPipelineBackfills', '/pipelines/default/user-events/backfills'],
    ['getTopicDetails', '/topics/default/user-events'],
    ['getDeltaTableDetails', '/tables/default/user-events'],
    ['getSearchIndexDetails', '/indices/default/user-events'],
  ] as const)('%s reads %s', async (method, path) => {
    const fetch = jest.fn(async (_url: RequestInfo | URL) =>
      respond(200, { entityRef: 'x' }),
    );
    const client = new StreamingClient({ discoveryApi, fetchApi: { fetch } });
    await expect(client[method](ref)).resolves.toEqual({ entityRef: 'x' });
    expect(fetch.mock.calls.map(([url]) => url)).toEqual([
      `http://backend.test/api/streaming${path}`,
    ]);
  });

  it('asks for the metrics of a range and the overview', async () => {
    const fetch = jest.fn(async (_url: RequestInfo | URL) => respond(200, {}));
    const client = new StreamingClient({ discoveryApi, fetchApi: { fetch } });
    await client.getPipelineMetrics(ref, { window: '1h' });
    await client.getOverview();
    await client.getOverview({
      offset: 20,
      limit: 20,
      sort: 'lag',
      order: 'desc',
      health: ['critical', 'warning'],
      q: 'a&b',
    });
    await client.getOverview({ q: '', owner: 'group:default/data' });
    expect(fetch.mock.calls.map(([url]) => url)).toEqual([
      'http://backend.test/api/streaming/pipelines/default/user-events/metrics?window=1h',
      'http://backend.test/api/streaming/overview',
      'http://backend.test/api/streaming/overview?offset=20&limit=20&sort=lag&order=desc&health=critical&health=warning&q=a%26b',
      'http://backend.test/api/streaming/overview?owner=group%3Adefault%2Fdata',
    ]);
  });

  it('encodes entity names into the path', async () => {
    const fetch = jest.fn(async (_url: RequestInfo | URL) => respond(200, {}));
    const client = new StreamingClient({ discoveryApi, fetchApi: { fetch } });
    await client.getPipelineLag({ ...ref, name: '../x?y' });
    expect(fetch.mock.calls.map(([url]) => url)).toEqual([
      'http://backend.test/api/streaming/pipelines/default/..%2Fx%3Fy/lag',
    ]);
  });

  it('lists the topics of a cluster, the cluster name encoded', async () => {
    const topics = {
      cluster: 'eu west',
      topics: [{ name: 'a', partitions: 1 }],
    };
    const fetch = jest.fn(async (_url: RequestInfo | URL) =>
      respond(200, topics),
    );
    const client = new StreamingClient({ discoveryApi, fetchApi: { fetch } });
    await expect(client.listTopics('eu west')).resolves.toEqual(topics);
    expect(fetch.mock.calls.map(([url]) => url)).toEqual([
      'http://backend.test/api/streaming/topics?cluster=eu%20west',
    ]);
  });

  it('turns an error answer into a ResponseError with the backend error', async () => {
    const fetch = jest.fn(async () =>
      respond(404, {
        error: { name: 'NotFoundError', message: 'no such pipeline' },
        response: { statusCode: 404 },
      }),
    );
    const client = new StreamingClient({ discoveryApi, fetchApi: { fetch } });
    const error = await client.getPipelineLag(ref).catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(404);
    expect(error.cause).toMatchObject({
      name: 'NotFoundError',
      message: 'no such pipeline',
    });
  });
});
