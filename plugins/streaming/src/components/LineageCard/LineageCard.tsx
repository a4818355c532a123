import {
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
} from '@backstage/catalog-model';
import {
  Direction,
  EntityCatalogGraphCard,
  RelationPairs,
} from '@backstage/plugin-catalog-graph';

/** How many hops the lineage card follows each way. */
export const LINEAGE_DEPTH = 3;

const LINEAGE_RELATIONS = [RELATION_DEPENDS_ON, RELATION_DEPENDENCY_OF];

/** Each pair as one edge in the direction the data flows. */
const DATA_FLOW: RelationPairs = [
  [RELATION_DEPENDENCY_OF, RELATION_DEPENDS_ON],
];

/**
 * Where the entity's data comes from and where it goes: the catalog graph
 * over the `dependsOn`/`dependencyOf` relations the catalog module derives
 * from pipeline specs. Edges point the way the data flows (`dependencyOf`:
 * topic to pipeline to table), left to right, so upstream is on the left and
 * downstream on the right.
 */
export function LineageCard() {
  return (
    <EntityCatalogGraphCard
      title="Lineage"
      relations={LINEAGE_RELATIONS}
      relationPairs={DATA_FLOW}
      direction={Direction.LEFT_RIGHT}
      maxDepth={LINEAGE_DEPTH}
      height={320}
    />
  );
}
