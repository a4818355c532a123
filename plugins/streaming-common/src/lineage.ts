import {
  Entity,
  parseEntityRef,
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
  stringifyEntityRef,
} from '@backstage/catalog-model';

/**
 * Which way to walk: `upstream` follows `dependsOn` (what feeds this entity),
 * `downstream` follows `dependencyOf` (what this entity feeds).
 *
 * @public
 */
export type LineageDirection = 'upstream' | 'downstream';

/**
 * Fetches entities by ref, in the order asked, `undefined` for a ref the caller
 * cannot see. Backend: the catalog service's `getEntitiesByRefs`; frontend:
 * the catalog API's `getEntitiesByRefs`.
 *
 * @public
 */
export type LineageEntityFetcher = (
  entityRefs: string[],
) => Promise<Array<Entity | undefined>>;

/** @public */
export interface LineageNode {
  entityRef: string;
  /** Steps from the start; the start itself is 0. */
  depth: number;
  /** The entity, when it exists and could be read. */
  entity?: Entity;
}

/**
 * One hop of the walk, always written in data-flow order: data flows from
 * `from` into `to`.
 *
 * @public
 */
export interface LineageEdge {
  from: string;
  to: string;
}

/** @public */
export interface LineageGraph {
  root: string;
  direction: LineageDirection;
  /** Every entity reached, the start first, then by depth. */
  nodes: LineageNode[];
  edges: LineageEdge[];
  /** True when `maxDepth` stopped the walk before it ran out of entities. */
  truncated: boolean;
}

/** @public */
export interface WalkLineageOptions {
  /** The entity to start from: `kind:namespace/name`, or `kind:name` in the default namespace. */
  from: string;
  direction: LineageDirection;
  fetchEntities: LineageEntityFetcher;
  /** Hops to follow at most; default 10. */
  maxDepth?: number;
}

const DEFAULT_MAX_DEPTH = 10;

function normalizeRef(ref: string): string {
  return stringifyEntityRef(parseEntityRef(ref)).toLocaleLowerCase('en-US');
}

function neighbours(entity: Entity, direction: LineageDirection): string[] {
  const type =
    direction === 'upstream' ? RELATION_DEPENDS_ON : RELATION_DEPENDENCY_OF;
  const refs = (entity.relations ?? [])
    .filter(relation => relation.type === type)
    .map(relation => normalizeRef(relation.targetRef));
  return [...new Set(refs)].sort();
}

/**
 * The upstream or downstream closure of an entity over the catalog's
 * `dependsOn`/`dependencyOf` relations, breadth first, one fetch per level,
 * each entity visited once (cycles end there), at most `maxDepth` hops.
 *
 * @public
 */
export async function walkLineage(
  options: WalkLineageOptions,
): Promise<LineageGraph> {
  const { direction, fetchEntities } = options;
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  if (!Number.isInteger(maxDepth) || maxDepth < 0) {
    throw new TypeError(
      `maxDepth must be a non-negative integer, got ${maxDepth}`,
    );
  }
  const root = normalizeRef(options.from);
  const nodes = new Map<string, LineageNode>();
  const edges: LineageEdge[] = [];
  let frontier = [root];
  let truncated = false;

  for (let depth = 0; frontier.length > 0; depth++) {
    const fetched = await fetchEntities(frontier);
    const next: string[] = [];
    frontier.forEach((ref, index) => {
      const entity = fetched[index];
      nodes.set(ref, { entityRef: ref, depth, entity });
    });
    for (const ref of frontier) {
      const entity = nodes.get(ref)?.entity;
      if (!entity) {
        continue;
      }
      for (const neighbour of neighbours(entity, direction)) {
        if (depth >= maxDepth) {
          truncated ||= !nodes.has(neighbour);
          continue;
        }
        edges.push(
          direction === 'downstream'
            ? { from: ref, to: neighbour }
            : { from: neighbour, to: ref },
        );
        if (!nodes.has(neighbour) && !next.includes(neighbour)) {
          next.push(neighbour);
        }
      }
    }
    frontier = next;
  }

  return { root, direction, nodes: [...nodes.values()], edges, truncated };
}
