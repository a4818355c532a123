import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { ANNOTATION_KUBERNETES_CLUSTER } from '@internal/plugin-streaming-common';
import { assertOwns, TaskUser } from './assertOwnsEntity';

/**
 * Refuses an entity that is not a streaming pipeline (a Component of type
 * `streaming-pipeline`): InputError naming the ref.
 */
export function assertIsPipeline(entity: Entity): void {
  if (
    entity.kind.toLocaleLowerCase('en-US') !== 'component' ||
    entity.spec?.type !== 'streaming-pipeline'
  ) {
    throw new InputError(
      `entityRef: ${stringifyEntityRef(
        entity,
      )} is not a streaming pipeline (Component of type streaming-pipeline)`,
    );
  }
}

/**
 * The Kubernetes cluster of a pipeline's objects: the one the action's input
 * names, else the entity's `streaming-platform.dev/kubernetes-cluster`
 * annotation; InputError when neither does.
 */
export function pipelineCluster(entity: Entity, cluster?: string): string {
  const named =
    cluster ?? entity.metadata.annotations?.[ANNOTATION_KUBERNETES_CLUSTER];
  if (!named) {
    throw new InputError(
      `cluster: ${stringifyEntityRef(
        entity,
      )} has no ${ANNOTATION_KUBERNETES_CLUSTER} annotation; name the Kubernetes cluster`,
    );
  }
  return named;
}

/**
 * The streaming pipeline `entityRef` names, as the user running the task
 * sees it in the catalog, which that user must own: NotFoundError when the
 * catalog does not have it (or does not show it to the user), InputError when
 * it is not a pipeline, NotAllowedError when the user is not among its
 * owners. The checks every action on an existing pipeline makes before its
 * first change.
 */
export async function readOwnedPipeline(options: {
  catalog: CatalogService;
  credentials: BackstageCredentials;
  entityRef: string;
  user?: TaskUser;
  /** What is not done when refused, e.g. "it is not backfilled". */
  refused: string;
}): Promise<Entity> {
  const { catalog, credentials, user, refused } = options;
  const entityRef = stringifyEntityRef(
    parseEntityRef(options.entityRef, { defaultKind: 'component' }),
  );
  const entity = await catalog.getEntityByRef(entityRef, { credentials });
  if (!entity) {
    throw new NotFoundError(`entityRef: ${entityRef} is not in the catalog`);
  }
  assertIsPipeline(entity);
  assertOwns(entity, user, refused);
  return entity;
}
