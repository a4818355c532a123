import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { streamingSourcesExtensionPoint } from '@internal/plugin-streaming-node';
import request from 'supertest';
import { streamingPlugin } from './plugin';
import { countEventLoopTurns } from './__testUtils__/eventLoopTurns';
import {
  catalogFactory,
  permissionsFactory,
  pipelineEntity,
} from './__testUtils__/testEntities';

const PIPELINES = 1000;
const PER_TURN = 100;

describe('the overview of many pipelines', () => {
  it('is evaluated in turns of streaming.overview.pipelinesPerTurn, the event loop turning between them', async () => {
    const loop = countEventLoopTurns();
    // Each pipeline's SparkApplication is read once per refresh, in the turn it is evaluated.
    const readsPerTurn = new Map<number, number>();
    const statusSource = createBackendModule({
      pluginId: 'streaming',
      moduleId: 'counting-status',
      register(env) {
        env.registerInit({
          deps: { sources: streamingSourcesExtensionPoint },
          async init({ sources }) {
            sources.setStatusSource({
              enabled: true,
              getApplication: async () => {
                readsPerTurn.set(
                  loop.turn,
                  (readsPerTurn.get(loop.turn) ?? 0) + 1,
                );
                return { errors: [] };
              },
            });
          },
        });
      },
    });
    const { server } = await startTestBackend({
      features: [
        streamingPlugin,
        mockServices.rootConfig.factory({
          data: { streaming: { overview: { pipelinesPerTurn: PER_TURN } } },
        }),
        // No scheduled task runs: the request's refresh is the only one.
        mockServices.scheduler.mock().factory,
        catalogFactory(
          Array.from({ length: PIPELINES }, (_, i) =>
            pipelineEntity({
              name: `pipeline-${String(i).padStart(4, '0')}`,
              topic: `topic-${i}`,
              cluster: 'local',
            }),
          ),
        ),
        permissionsFactory(),
        statusSource,
      ],
    });

    const res = await request(server)
      .get('/api/streaming/overview?limit=20')
      .set('Authorization', mockCredentials.user.header());
    loop.stop();

    expect(res.status).toBe(200);
    expect(res.body.page.total).toBe(PIPELINES);
    expect(res.body.pipelines[0].entityRef).toBe(
      'component:default/pipeline-0000',
    );
    const reads = [...readsPerTurn.values()];
    expect(reads.reduce((sum, n) => sum + n, 0)).toBe(PIPELINES);
    // Before, all 1,000 were evaluated in one turn, holding every other request back.
    expect(Math.max(...reads)).toBeLessThanOrEqual(PER_TURN);
    expect(reads.length).toBeGreaterThanOrEqual(PIPELINES / PER_TURN);
  });
});
