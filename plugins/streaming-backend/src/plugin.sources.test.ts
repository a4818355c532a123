import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  OffsetSource,
  StreamingSourcesExtensionPoint,
} from '@internal/plugin-streaming-node';
import request from 'supertest';
import { streamingPlugin } from './plugin';
import { sourcesModule } from './__testUtils__/sourcesModule';

/** An offset source that knows one topic, as a module would provide it. */
function offsetSource(topic: string): OffsetSource {
  return {
    getOffsets: async ({ cluster }) => ({
      cluster,
      topics: new Map(),
      groups: new Map(),
    }),
    headHistory: () => [],
    listTopics: async () => [{ name: topic, partitions: 3 }],
  };
}

const config = mockServices.rootConfig.factory({
  data: {
    streaming: {
      kafka: { clusters: [{ name: 'local', brokers: ['127.0.0.1:1'] }] },
    },
  },
});

describe('streamingSourcesExtensionPoint', () => {
  it("serves a module's offset source instead of the Kafka poller", async () => {
    const { server } = await startTestBackend({
      features: [
        streamingPlugin,
        config,
        sourcesModule('offsets', sources =>
          sources.setOffsetSource(offsetSource('from-module')),
        ),
      ],
    });
    const res = await request(server)
      .get('/api/streaming/topics?cluster=local')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    expect(res.body.topics).toEqual([{ name: 'from-module', partitions: 3 }]);
  });

  it.each([
    [
      'offset',
      (s: StreamingSourcesExtensionPoint) =>
        s.setOffsetSource(offsetSource('t')),
      'setOffsetSource',
    ],
    [
      'status',
      (s: StreamingSourcesExtensionPoint) =>
        s.setStatusSource({
          enabled: true,
          getApplication: async () => ({ errors: [] }),
        }),
      'setStatusSource',
    ],
    [
      'cost',
      (s: StreamingSourcesExtensionPoint) =>
        s.setCostSource({
          estimate: async () => ({
            source: 'rates',
            driverPerHour: 0,
            executorsPerHour: 0,
            resources: {
              driver: { cores: 1, memoryGb: 1 },
              executor: { cores: 1, memoryGb: 1, instances: 1 },
            },
            errors: [],
          }),
        }),
      'setCostSource',
    ],
  ])(
    'refuses a second %s source from another module',
    async (kind, register, method) => {
      await expect(
        startTestBackend({
          features: [
            streamingPlugin,
            config,
            sourcesModule('first', register),
            sourcesModule('second', register),
          ],
        }),
      ).rejects.toThrow(
        `Multiple streaming ${kind} sources registered: only one module may call ${method}`,
      );
    },
  );
});
