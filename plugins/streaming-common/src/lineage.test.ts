import { Entity } from '@backstage/catalog-model';
import { LineageEntityFetcher, walkLineage } from './lineage';

/** A chain of Resources and Components joined by dependsOn/dependencyOf, as the catalog stitches it. */
function catalogOf(edges: Array<[string, string]>): {
  fetchEntities: LineageEntityFetcher;
  calls: string[][];
} {
  const entities = new Map<string, Entity>();
  const get = (ref: string) => {
    if (!entities.has(ref)) {
      const [kind, rest] = ref.split(':');
      const [namespace, name] = rest.split('/');
      entities.set(ref, {
        apiVersion: 'backstage.io/v1alpha1',
        kind,
        metadata: { name, namespace },
        relations: [],
      });
    }
    return entities.get(ref)!;
  };
  // [a, b]: data flows from a into b, so b dependsOn a.
  for (const [from, to] of edges) {
    get(to).relations!.push({ type: 'dependsOn', targetRef: from });
    get(from).relations!.push({ type: 'dependencyOf', targetRef: to });
  }
  const calls: string[][] = [];
  return {
    calls,
    fetchEntities: async refs => {
      calls.push(refs);
      return refs.map(ref => entities.get(ref));
    },
  };
}

const topic = 'resource:default/topic.local.events';
const pipeline = 'component:default/user-events';
const table = 'resource:default/delta.data.delta.event_summary';
const downstream = 'component:default/event-report';
const report = 'resource:default/es.reports';

describe('walkLineage', () => {
  const chain: Array<[string, string]> = [
    [topic, pipeline],
    [pipeline, table],
    [table, downstream],
    [downstream, report],
  ];

  it('walks downstream across pipelines, one fetch per level', async () => {
    const { fetchEntities, calls } = catalogOf(chain);
    const graph = await walkLineage({
      from: topic,
      direction: 'downstream',
      fetchEntities,
    });
    expect(graph.nodes.map(n => [n.entityRef, n.depth])).toEqual([
      [topic, 0],
      [pipeline, 1],
      [table, 2],
      [downstream, 3],
      [report, 4],
    ]);
    expect(graph.edges).toEqual(chain.map(([from, to]) => ({ from, to })));
    expect(graph.truncated).toBe(false);
    expect(calls).toHaveLength(5);
  });

  it('walks upstream with edges in data-flow order', async () => {
    const { fetchEntities } = catalogOf(chain);
    const graph = await walkLineage({
      from: report,
      direction: 'upstream',
      fetchEntities,
    });
    expect(graph.nodes.map(n => n.entityRef)).toEqual([
      report,
      downstream,
      table,
      pipeline,
      topic,
    ]);
    expect(graph.edges).toContainEqual({ from: topic, to: pipeline });
  });

  it('stops at maxDepth and says so', async () => {
    const { fetchEntities } = catalogOf(chain);
    const graph = await walkLineage({
      from: topic,
      direction: 'downstream',
      fetchEntities,
      maxDepth: 2,
    });
    expect(graph.nodes.map(n => n.entityRef)).toEqual([topic, pipeline, table]);
    expect(graph.truncated).toBe(true);
    const exact = await walkLineage({
      from: topic,
      direction: 'downstream',
      fetchEntities,
      maxDepth: 4,
    });
    expect(exact.truncated).toBe(false);
  });

  it('visits each entity once in a cycle and in a diamond', async () => {
    const other = 'component:default/enrich';
    const { fetchEntities, calls } = catalogOf([
      [topic, pipeline],
      [topic, other],
      [pipeline, table],
      [other, table],
      [table, topic],
    ]);
    const graph = await walkLineage({
      from: topic,
      direction: 'downstream',
      fetchEntities,
    });
    expect(graph.nodes.map(n => n.entityRef).sort()).toEqual(
      [topic, pipeline, other, table].sort(),
    );
    expect(graph.edges).toHaveLength(5);
    expect(calls.flat().sort()).toEqual([topic, pipeline, other, table].sort());
    expect(graph.truncated).toBe(false);
  });

  it('keeps refs it cannot read as leaves and accepts short refs', async () => {
    const { fetchEntities } = catalogOf([[topic, pipeline]]);
    const graph = await walkLineage({
      from: 'Resource:topic.local.events',
      direction: 'downstream',
      fetchEntities: async refs =>
        (
          await fetchEntities(refs)
        ).map(e => (e?.kind === 'component' ? undefined : e)),
    });
    expect(graph.root).toBe(topic);
    expect(graph.nodes).toEqual([
      expect.objectContaining({ entityRef: topic, depth: 0 }),
      { entityRef: pipeline, depth: 1, entity: undefined },
    ]);
  });

  it('rejects a negative depth', async () => {
    const { fetchEntities } = catalogOf(chain);
    await expect(
      walkLineage({
        from: topic,
        direction: 'upstream',
        fetchEntities,
        maxDepth: -1,
      }),
    ).rejects.toThrow(TypeError);
  });
});
