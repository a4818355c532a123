import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import request from 'supertest';
import { streamingPlugin } from './plugin';
import { countEventLoopTurns } from './__testUtils__/eventLoopTurns';
import { sourcesModule } from './__testUtils__/sourcesModule';
import { createTestDatabases } from './__testUtils__/testDatabases';
import {
  catalogFactory,
  permissionsFactory,
  pipelineEntity,
} from './__testUtils__/testEntities';

const PIPELINES = 1000;
const PER_TURN = 100;

const databases = createTestDatabases();

/** Counts per turn of the event loop. */
function perTurn(loop: { readonly turn: number }) {
  const counts = new Map<number, number>();
  return {
    add(n = 1) {
      counts.set(loop.turn, (counts.get(loop.turn) ?? 0) + n);
    },
    get values() {
      return [...counts.values()];
    },
  };
}

describe('the overview of many pipelines', () => {
  it('is read and evaluated in turns of streaming.overview.pipelinesPerTurn, the event loop turning between them', async () => {
    const loop = countEventLoopTurns();
    // Each pipeline's SparkApplication is read once per refresh, in the turn it is evaluated.
    const reads = perTurn(loop);
    const statusSource = sourcesModule('counting-status', sources =>
      sources.setStatusSource({
        enabled: true,
        getApplication: async () => {
          reads.add();
          return { errors: [] };
        },
      }),
    );
    // The pipelines named by the refresh's reads of micro-batches (SQLite's
    // client reads synchronously, so a read runs in the turn it is sent).
    const knex = await databases.init('SQLITE_3');
    const namesRead = perTurn(loop);
    let largestRead = 0;
    knex.on('query', (query: { sql: string; bindings?: unknown[] }) => {
      if (!/^select .*micro_batches/i.test(query.sql)) return;
      const names = (query.bindings ?? []).filter(
        b => typeof b === 'string',
      ).length;
      namesRead.add(names);
      largestRead = Math.max(largestRead, names);
    });
    const { server } = await startTestBackend({
      features: [
        streamingPlugin,
        mockServices.rootConfig.factory({
          data: { streaming: { overview: { pipelinesPerTurn: PER_TURN } } },
        }),
        // No scheduled task runs: the request's refresh is the only one.
        mockServices.scheduler.mock().factory,
        mockServices.database.factory({ knex }),
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
    const evaluated = reads.values;
    expect(evaluated.reduce((sum, n) => sum + n, 0)).toBe(PIPELINES);
    // Before, all 1,000 were evaluated in one turn, holding every other request back.
    expect(Math.max(...evaluated)).toBeLessThanOrEqual(PER_TURN);
    expect(evaluated.length).toBeGreaterThanOrEqual(PIPELINES / PER_TURN);
    // Each turn reads its own pipelines' newest batch and day's totals:
    // before, two reads named all 1,000 pipelines in one turn.
    const named = namesRead.values;
    expect(named.reduce((sum, n) => sum + n, 0)).toBe(2 * PIPELINES);
    expect(largestRead).toBeLessThanOrEqual(PER_TURN);
    expect(Math.max(...named)).toBeLessThanOrEqual(2 * PER_TURN);
    expect(named.length).toBeGreaterThanOrEqual(PIPELINES / PER_TURN);
  });
});

describe('the overview totals', () => {
  it('count the Kubernetes clusters where applications were observed, not Kafka clusters', async () => {
    const names = ['on-east', 'on-west', 'also-east', 'local-only'];
    const clusterOf: Record<string, string | undefined> = {
      'on-east': 'east',
      'on-west': 'west',
      'also-east': 'east',
    };
    const statusSource = sourcesModule('kubernetes-status', sources =>
      sources.setStatusSource({
        enabled: true,
        getApplication: async target => {
          const cluster = clusterOf[target.name];
          return {
            errors: [],
            application: cluster
              ? {
                  cluster,
                  namespace: 'streaming',
                  name: target.name,
                  state: 'RUNNING',
                  executors: { running: 2, total: 2 },
                }
              : undefined,
          };
        },
      }),
    );
    const { server } = await startTestBackend({
      features: [
        streamingPlugin,
        mockServices.scheduler.mock().factory,
        mockServices.database.factory({
          knex: await databases.init('SQLITE_3'),
        }),
        catalogFactory(
          names.map((name, i) =>
            pipelineEntity({ name, topic: `topic-${i}`, cluster: 'local' }),
          ),
        ),
        permissionsFactory(),
        statusSource,
      ],
    });

    const res = await request(server)
      .get('/api/streaming/overview')
      .set('Authorization', mockCredentials.user.header());

    expect(res.status).toBe(200);
    // Before, the pipeline without an application added its Kafka cluster:
    // 3 clusters, shown as "observed on Kubernetes".
    expect(res.body.totals).toMatchObject({
      pipelines: 4,
      activePipelines: 3,
      executors: 6,
      clusters: 2,
    });
  });
});
