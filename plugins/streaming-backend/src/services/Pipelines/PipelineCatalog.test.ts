import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { OUTSIDER, pipelineEntity } from '../../__testUtils__/testEntities';
import { PipelineCatalog } from './PipelineCatalog';

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
      cacheSeconds: 10,
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
      cacheSeconds: 0,
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
