import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import {
  LineageDirection,
  LineageEntityFetcher,
  walkLineage,
} from '@internal/plugin-streaming-common';
import { AutoRefreshState, useAutoRefresh } from './useAutoRefresh';

/** How many hops the lineage card follows each way. */
export const LINEAGE_DEPTH = 3;

/** Entities upstream and downstream of one entity, nearest hop first. */
export interface Lineage {
  upstream: Entity[][];
  downstream: Entity[][];
}

async function levels(
  from: string,
  direction: LineageDirection,
  fetchEntities: LineageEntityFetcher,
): Promise<Entity[][]> {
  const graph = await walkLineage({
    from,
    direction,
    fetchEntities,
    maxDepth: LINEAGE_DEPTH,
  });
  const byDepth: Entity[][] = [];
  for (const node of graph.nodes) {
    if (node.depth > 0 && node.entity) {
      (byDepth[node.depth - 1] ??= []).push(node.entity);
    }
  }
  return byDepth.filter(level => level.length > 0);
}

/**
 * The lineage of an entity over the catalog's `dependsOn`/`dependencyOf`
 * relations, kept fresh like the other cards.
 */
export function useLineage(entity: Entity): AutoRefreshState<Lineage> {
  const catalogApi = useApi(catalogApiRef);
  const entityRef = stringifyEntityRef(entity);
  return useAutoRefresh(async () => {
    const fetchEntities: LineageEntityFetcher = async entityRefs =>
      (await catalogApi.getEntitiesByRefs({ entityRefs })).items;
    const [upstream, downstream] = await Promise.all([
      levels(entityRef, 'upstream', fetchEntities),
      levels(entityRef, 'downstream', fetchEntities),
    ]);
    return { upstream, downstream };
  }, [catalogApi, entityRef]);
}
