import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { pipelineCluster, readOwnedPipeline } from './readOwnedPipeline';

const component = (
  name: string,
  type: string,
  annotations: Record<string, string> = {},
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: { type, owner: 'group:default/team-a', lifecycle: 'production' },
});

const member = (group: string) => ({
  ref: 'user:default/alice',
  entity: {
    apiVersion: 'backstage.io/v1alpha1' as const,
    kind: 'User' as const,
    metadata: { name: 'alice', namespace: 'default' },
    spec: { memberOf: [] },
    relations: [{ type: 'memberOf', targetRef: group }],
  },
});

describe('readOwnedPipeline', () => {
  const catalog = catalogServiceMock({
    entities: [
      component('orders', 'streaming-pipeline', {
        'streaming-platform.dev/kubernetes-cluster': 'prod',
      }),
      component('website', 'website'),
    ],
  });
  const read = (entityRef: string, group = 'group:default/team-a') =>
    readOwnedPipeline({
      catalog,
      credentials: mockCredentials.user('user:default/alice'),
      entityRef,
      user: member(group),
      refused: 'it is not backfilled',
    });

  it('answers a pipeline its owner asks for, by a ref with or without its kind', async () => {
    expect((await read('component:default/orders')).metadata.name).toBe(
      'orders',
    );
    expect((await read('default/orders')).metadata.name).toBe('orders');
  });

  it('reads the entity once, and checks ownership on that same entity', async () => {
    const getEntityByRef = jest.spyOn(catalog, 'getEntityByRef');
    try {
      await read('component:default/orders');
      expect(getEntityByRef).toHaveBeenCalledTimes(1);
    } finally {
      getEntityByRef.mockRestore();
    }
  });

  it('refuses an entity that is missing, not a pipeline, or owned by others', async () => {
    await expect(read('component:default/gone')).rejects.toThrow(
      'entityRef: component:default/gone is not in the catalog',
    );
    await expect(read('component:default/website')).rejects.toThrow(
      'entityRef: component:default/website is not a streaming pipeline (Component of type streaming-pipeline)',
    );
    await expect(
      read('component:default/orders', 'group:default/team-b'),
    ).rejects.toThrow(/is not among its owners .*; it is not backfilled$/);
  });

  it("takes the input's Kubernetes cluster, else the pipeline's annotation", async () => {
    const orders = await read('component:default/orders');
    expect(pipelineCluster(orders)).toBe('prod');
    expect(pipelineCluster(orders, 'staging')).toBe('staging');
    expect(() =>
      pipelineCluster(component('bare', 'streaming-pipeline')),
    ).toThrow(
      'cluster: component:default/bare has no streaming-platform.dev/kubernetes-cluster annotation; name the Kubernetes cluster',
    );
  });
});
