import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { OUTSIDER, pipelineEntity } from '../../__testUtils__/testEntities';
import { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_PIPELINE_SUMMARY,
  ANNOTATION_PIPELINE_SUMMARY_LOCATION,
  PipelineSummary,
} from '@internal/plugin-streaming-common';
import { countEventLoopTurns } from '../../__testUtils__/eventLoopTurns';
import { PipelineCatalog, readPipelineEntity } from './PipelineCatalog';

const alice = mockCredentials.user('user:default/alice');
const outsider = mockCredentials.user(OUTSIDER);

/** The in-memory catalog behind a permission rule hiding everything from OUTSIDER, counting queries. */
function countingCatalog() {
  const inner = catalogServiceMock({
    entities: [
      pipelineEntity({ name: 'orders', topic: 'orders', cluster: 'local' }),
      pipelineEntity({ name: 'clicks', topic: 'clicks', cluster: 'local' }),
    ],
  });
  const queries = { getEntityByRef: 0, getEntities: 0 };
  const hidden = (options?: object) =>
    (options as { credentials?: typeof alice } | undefined)?.credentials
      ?.principal.userEntityRef === OUTSIDER;
  const catalog: typeof inner = Object.create(inner);
  catalog.getEntityByRef = async (ref, options) => {
    queries.getEntityByRef += 1;
    return hidden(options) ? undefined : inner.getEntityByRef(ref, options);
  };
  catalog.getEntities = async (request, options) => {
    queries.getEntities += 1;
    return hidden(options)
      ? { items: [] }
      : inner.getEntities(request, options);
  };
  return { catalog, queries };
}

describe('PipelineCatalog', () => {
  it('reuses what a caller read, and only for that caller', async () => {
    const { catalog, queries } = countingCatalog();
    const pipelines = new PipelineCatalog(catalog, mockServices.auth(), {
      cacheTtlMs: 10_000,
    });

    const refs = await pipelines.listPipelineRefs(alice);
    expect(refs.sort()).toEqual([
      'component:default/clicks',
      'component:default/orders',
    ]);
    expect(await pipelines.listPipelineRefs(alice)).toBe(refs);
    expect(await pipelines.listPipelineRefs(outsider)).toEqual([]);
    expect(queries.getEntities).toBe(2);

    const orders = await pipelines.getPipeline('default', 'orders', alice);
    expect(orders.summary.name).toBe('orders');
    expect(await pipelines.getPipeline('default', 'orders', alice)).toBe(
      orders,
    );
    await expect(
      pipelines.getPipeline('default', 'orders', outsider),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
    await expect(
      pipelines.getPipeline('default', 'orders', outsider),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
    expect(queries.getEntityByRef).toBe(3);
  });

  it('asks the catalog every time when the reuse is off', async () => {
    const { catalog, queries } = countingCatalog();
    const pipelines = new PipelineCatalog(catalog, mockServices.auth(), {
      cacheTtlMs: 0,
    });
    await pipelines.listPipelineRefs(alice);
    await pipelines.listPipelineRefs(alice);
    await pipelines.getPipeline('default', 'orders', alice);
    await pipelines.getPipeline('default', 'orders', alice);
    expect(queries).toEqual({ getEntities: 2, getEntityByRef: 2 });
  });

  it('gives a pipeline a revision that changes with its entity', async () => {
    const { catalog } = countingCatalog();
    const pipelines = new PipelineCatalog(catalog, mockServices.auth());
    const before = await pipelines.getPipeline('default', 'orders', alice);
    const changed = pipelineEntity({
      name: 'orders',
      topic: 'orders-v2',
      cluster: 'local',
    });
    const after = await new PipelineCatalog(
      catalogServiceMock({ entities: [changed] }),
      mockServices.auth(),
    ).getPipeline('default', 'orders', alice);
    expect(after.revision).not.toBe(before.revision);
    expect(
      (await pipelines.getPipeline('default', 'orders', alice)).revision,
    ).toBe(before.revision);
  });
});

describe('readPipelineEntity', () => {
  const orders = pipelineEntity({
    name: 'orders',
    topic: 'orders',
    cluster: 'local',
  });
  const withAnnotations = (
    entity: Entity,
    annotations: Record<string, string | undefined>,
  ): Entity => {
    const merged = { ...entity.metadata.annotations, ...annotations };
    return {
      ...entity,
      metadata: {
        ...entity.metadata,
        annotations: Object.fromEntries(
          Object.entries(merged).filter(
            (entry): entry is [string, string] => entry[1] !== undefined,
          ),
        ),
      },
    };
  };
  const withSummary = (entity: Entity, edit: Partial<PipelineSummary>) =>
    withAnnotations(entity, {
      [ANNOTATION_PIPELINE_SUMMARY]: JSON.stringify({
        ...JSON.parse(
          entity.metadata.annotations![ANNOTATION_PIPELINE_SUMMARY],
        ),
        ...edit,
      }),
    });
  const limits = { maxTopicsPerPipeline: 2, maxGroupsPerPipeline: 2 };

  it('reads a summary the catalog module wrote', () => {
    expect(readPipelineEntity(orders, limits).summary.queryName).toBe('orders');
  });

  it('refuses a summary without the marker the catalog module writes', () => {
    // An author-written summary: no marker, or one copied from elsewhere.
    for (const marker of [undefined, 'url:https://example.com/x.yaml']) {
      expect(() =>
        readPipelineEntity(
          withAnnotations(orders, {
            [ANNOTATION_PIPELINE_SUMMARY_LOCATION]: marker,
          }),
          limits,
        ),
      ).toThrow(
        /component:default\/orders has no pipeline-summary written by the catalog module/,
      );
    }
  });

  it("refuses a query name other than the entity's name", () => {
    for (const edit of [{ queryName: 'clicks' }, { name: 'clicks' }]) {
      expect(() =>
        readPipelineEntity(withSummary(orders, edit), limits),
      ).toThrow(/query name "clicks" is not the pipeline's name "orders"/);
    }
  });

  it('bounds the topics and consumer groups of a pipeline', () => {
    const topics = withSummary(orders, {
      source: { type: 'kafka', cluster: 'local', topics: ['a', 'b', 'c'] },
    });
    expect(() => readPipelineEntity(topics, limits)).toThrow(
      /3 source topics, more than streaming\.lag\.maxTopicsPerPipeline \(2\)/,
    );
    const groups = pipelineEntity({
      name: 'orders',
      topic: 'orders',
      cluster: 'local',
      consumerGroups: 'g1, g2,g3',
    });
    expect(() => readPipelineEntity(groups, limits)).toThrow(
      /3 consumer groups, more than streaming\.lag\.maxGroupsPerPipeline \(2\)/,
    );
    expect(readPipelineEntity(groups).consumerGroups).toEqual([
      'g1',
      'g2',
      'g3',
    ]);
  });

  it("reads consumer groups in the community Kafka plugin's cluster/group form", () => {
    const groups = (value: string) =>
      pipelineEntity({
        name: 'orders',
        topic: 'orders',
        cluster: 'local',
        consumerGroups: value,
      });
    expect(
      readPipelineEntity(groups('local/audit, local/team/billing'))
        .consumerGroups,
    ).toEqual(['audit', 'team/billing']);
    // The earlier form without a cluster: deprecated, still the pipeline's.
    expect(readPipelineEntity(groups('audit')).consumerGroups).toEqual([
      'audit',
    ]);
    expect(() =>
      readPipelineEntity(groups('local/audit,prod/billing')),
    ).toThrow(
      /consumer group "billing" of kafka\.apache\.org\/consumer-groups is on Kafka cluster "prod", not on the pipeline's "local"/,
    );
  });

  it('lists pipelines with an untrusted summary as invalid', async () => {
    const pipelines = new PipelineCatalog(
      catalogServiceMock({
        entities: [
          orders,
          withAnnotations(
            pipelineEntity({
              name: 'clicks',
              topic: 'clicks',
              cluster: 'local',
            }),
            { [ANNOTATION_PIPELINE_SUMMARY_LOCATION]: undefined },
          ),
        ],
      }),
      mockServices.auth(),
      { cacheTtlMs: 0, limits },
    );
    const { pipelines: valid, invalid } = await pipelines.listPipelines(alice);
    expect(valid.map(p => p.entityRef)).toEqual(['component:default/orders']);
    expect(invalid).toEqual([
      {
        entityRef: 'component:default/clicks',
        message: expect.stringMatching(
          /no pipeline-summary written by the catalog module/,
        ),
      },
    ]);
  });

  it('reads the pipelines in pages of pageSize, the event loop turning between pages', async () => {
    const entities = Array.from({ length: 25 }, (_, i) =>
      pipelineEntity({
        name: `pipeline-${String(i).padStart(2, '0')}`,
        topic: `topic-${i}`,
        cluster: 'local',
      }),
    );
    const inner = catalogServiceMock({ entities });
    const loop = countEventLoopTurns();
    const pages: Array<{ limit?: number; turn: number }> = [];
    const catalog: typeof inner = Object.create(inner);
    catalog.queryEntities = async (request, options) => {
      pages.push({
        limit: request && 'limit' in request ? request.limit : undefined,
        turn: loop.turn,
      });
      return inner.queryEntities(request, options);
    };
    const pipelines = new PipelineCatalog(catalog, mockServices.auth(), {
      cacheTtlMs: 0,
      limits,
      pageSize: 10,
    });
    const { pipelines: read, invalid } = await pipelines.listPipelines();
    loop.stop();
    expect(read.map(p => p.entityRef)).toEqual(
      entities.map(e => `component:default/${e.metadata.name}`),
    );
    expect(invalid).toEqual([]);
    // Before, one read of every entity in one turn.
    expect(pages.map(p => p.limit)).toEqual([10, 10, 10]);
    expect(pages[1].turn).toBeGreaterThan(pages[0].turn);
    expect(pages[2].turn).toBeGreaterThan(pages[1].turn);
  });
});
