import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { openApiTestServer } from './__testUtils__/openApiTestServer';
import { pipelineEntity } from './__testUtils__/testEntities';
import { streamingPlugin } from './plugin';

jest.setTimeout(60_000);

describe('streamingPlugin', () => {
  it('answers GET /api/streaming/health without credentials', async () => {
    const { server } = await startTestBackend({ features: [streamingPlugin] });
    const res = await request(await openApiTestServer(server)).get(
      '/api/streaming/health',
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('runs alert evaluation and retention once across replicas, on the schedules of app-config', async () => {
    const scheduler = mockServices.scheduler.mock();
    await startTestBackend({
      features: [
        streamingPlugin,
        scheduler.factory,
        mockServices.rootConfig.factory({
          data: {
            streaming: {
              alerts: {
                schedule: { frequency: { minutes: 2 }, timeout: 'PT3M' },
              },
              retention: {
                schedule: { frequency: { minutes: 30 }, timeout: '10m' },
              },
            },
          },
        }),
      ],
    });
    const scheduled = scheduler.scheduleTask.mock.calls.map(([task]) => task);
    expect(
      scheduled.find(t => t.id === 'streaming-alerts-evaluate'),
    ).toMatchObject({
      scope: 'global',
      frequency: { minutes: 2 },
      timeout: { minutes: 3 },
    });
    expect(
      scheduled.find(t => t.id === 'streaming-progress-retention'),
    ).toMatchObject({
      scope: 'global',
      frequency: { minutes: 30 },
      timeout: { minutes: 10 },
    });
  });

  it("keeps each replica's lag of current pipelines by reading their references, not their entities", async () => {
    const scheduler = mockServices.scheduler.mock();
    const catalog = catalogServiceMock({
      entities: [
        pipelineEntity({ name: 'orders', topic: 'orders', cluster: 'local' }),
      ],
    });
    const reads = [
      jest.spyOn(catalog, 'getEntities'),
      jest.spyOn(catalog, 'queryEntities'),
    ];
    await startTestBackend({
      features: [
        streamingPlugin,
        scheduler.factory,
        createServiceFactory({
          service: catalogServiceRef,
          deps: {},
          factory: () => catalog,
        }),
      ],
    });
    const retain = scheduler.scheduleTask.mock.calls
      .map(([task]) => task)
      .find(t => t.id === 'streaming-lag-retain');
    expect(retain).toMatchObject({ scope: 'local' });
    reads.forEach(read => read.mockClear());

    await retain!.fn(new AbortController().signal);

    const requests = reads.flatMap(read => read.mock.calls.map(([r]) => r));
    expect(requests).toHaveLength(1);
    // Every replica runs it each poll interval: before, it read every
    // pipeline's whole entity, summary annotations and all.
    expect(requests[0]).toMatchObject({
      fields: ['kind', 'metadata.namespace', 'metadata.name'],
    });
  });

  it('warns, naming the setting, when an offsets poll outlives its interval', async () => {
    const scheduler = mockServices.scheduler.mock();
    const logger = mockServices.logger.mock();
    await startTestBackend({
      features: [streamingPlugin, scheduler.factory, logger.factory],
    });
    const poll = scheduler.scheduleTask.mock.calls
      .map(([task]) => task)
      .find(t => t.id === 'streaming-offsets-poll');
    expect(poll).toMatchObject({ scope: 'global' });
    // The scheduler aborts a task at its timeout (one poll interval).
    const timedOut = new AbortController();
    timedOut.abort();

    await expect(poll!.fn(timedOut.signal)).resolves.toBeUndefined();

    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /^The offsets poll did not finish within its interval \(streaming\.lag\.pollInterval, 30 s\)/,
      ),
    );
  });

  it('does not serve unknown routes', async () => {
    const { server } = await startTestBackend({ features: [streamingPlugin] });
    const res = await request(server).get('/api/streaming/nope');
    expect(res.status).toBe(404);
  });

  it('answers 400 naming the parameter when a request breaks openapi.yaml', async () => {
    const { server } = await startTestBackend({ features: [streamingPlugin] });
    const get = (url: string) =>
      request(server)
        .get(`/api/streaming${url}`)
        .set('Authorization', mockCredentials.user.header());
    const cases: Array<[string, string]> = [
      [
        '/pipelines/default/no%20such/lag',
        'request/params/name must match pattern "^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$"',
      ],
      [
        `/topics/${'n'.repeat(64)}/orders`,
        'request/params/namespace must match pattern',
      ],
      [
        '/pipelines/default/orders/metrics?window=2y',
        'request/query/window must be equal to one of the allowed values: 15m, 1h, 6h, 24h, 7d',
      ],
      [
        '/pipelines/default/orders/metrics?limit=5001',
        'request/query/limit must be <= 5000',
      ],
      ['/overview?sort=colour', 'request/query/sort must be equal to one of'],
      ['/overview?limit=ten', 'request/query/limit must be integer'],
      ['/overview?owner=', "Empty value found for query parameter 'owner'"],
      ['/teams?owner=x', "Unknown query parameter 'owner'"],
      ['/topics', "request/query must have required property 'cluster'"],
    ];
    for (const [url, message] of cases) {
      const res = await get(url);
      expect({ url, status: res.status, error: res.body.error }).toEqual({
        url,
        status: 400,
        error: {
          name: 'InputError',
          message: expect.stringContaining(message),
        },
      });
    }
  });
});
