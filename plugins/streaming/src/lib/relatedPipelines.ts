import {
  Entity,
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
  parseEntityRef,
} from '@backstage/catalog-model';

/**
 * Components on one side of a resource's lineage: `writers` are the pipelines
 * it depends on (they write it), `readers` the ones that depend on it.
 */
export function relatedPipelines(
  entity: Entity,
  side: 'readers' | 'writers',
): string[] {
  const type =
    side === 'writers' ? RELATION_DEPENDS_ON : RELATION_DEPENDENCY_OF;
  return (entity.relations ?? [])
    .filter(
      r => r.type === type && parseEntityRef(r.targetRef).kind === 'component',
    )
    .map(r => r.targetRef);
}
