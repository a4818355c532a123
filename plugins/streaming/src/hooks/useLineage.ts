import {
  Entity,
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { CatalogApi, catalogApiRef } from '@backstage/plugin-catalog-react';
import { AutoRefreshState, useAutoRefresh } from './useAutoRefresh';

/** How many hops the lineage follows each way. */
export const LINEAGE_DEPTH = 3;

/** Entities upstream and downstream of one entity, nearest hop first. */
export interface Lineage {
  upstream: Entity[][];
  downstream: Entity[][];
}

/**
 * Walks the lineage of an entity through the catalog: upstream along
 * `dependsOn` (a pipeline depends on its inputs), downstream along
 * `dependencyOf` (an output depends on its pipeline), each entity once.
 */
export async function walkLineage(
  catalogApi: CatalogApi,
  entity: Entity,
  depth: number = LINEAGE_DEPTH,
): Promise<Lineage> {
  const seen = new Set([stringifyEntityRef(entity)]);
  const walk = async (relation: string) => {
    const levels: Entity[][] = [];
    let frontier = [entity];
    for (let hop = 0; hop < depth && frontier.length > 0; hop++) {
      const refs = [
        ...new Set(
          frontier.flatMap(e =>
            (e.relations ?? [])
              .filter(r => r.type === relation)
              .map(r => r.targetRef),
          ),
        ),
      ].filter(ref => !seen.has(ref));
      if (refs.length === 0) {
        break;
      }
      refs.forEach(ref => seen.add(ref));
      const { items } = await catalogApi.getEntitiesByRefs({
        entityRefs: refs,
      });
      frontier = items.filter((e): e is Entity => e !== undefined);
      levels.push(frontier);
    }
    return levels;
  };
  const upstream = await walk(RELATION_DEPENDS_ON);
  const downstream = await walk(RELATION_DEPENDENCY_OF);
  return { upstream, downstream };
}

/** The lineage of an entity, kept fresh like the other cards. */
export function useLineage(entity: Entity): AutoRefreshState<Lineage> {
  const catalogApi = useApi(catalogApiRef);
  return useAutoRefresh(
    () => walkLineage(catalogApi, entity),
    [catalogApi, stringifyEntityRef(entity), entity.relations?.length],
  );
}
