import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  RELATION_MEMBER_OF,
  stringifyEntityRef,
  UserEntity,
} from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';

/** Who runs the task: its user ref and the user's entity (for `memberOf`). */
export type TaskUser = { ref?: string; entity?: UserEntity };

/**
 * Refuses to act for a catalog entity that exists and is not owned by the
 * user running the task. Ownership is the user's ref plus the groups of its
 * `memberOf` relations, as Backstage resolves it at sign-in; the entity's
 * owners are its `spec.owner`. An entity not in the catalog yet (a new
 * pipeline, registered later by the template) is allowed.
 */
export async function assertOwnsEntity(options: {
  catalog: CatalogService;
  credentials: BackstageCredentials;
  entityRef: string;
  user?: TaskUser;
  /** What is not done when refused. */
  refused?: string;
}): Promise<void> {
  const { catalog, credentials, entityRef } = options;
  const entity = await catalog.getEntityByRef(entityRef, { credentials });
  if (entity) {
    assertOwns(entity, options.user, options.refused);
  }
}

/**
 * Refuses (NotAllowedError) when the user running the task is not among the
 * owners of `entity`, an entity read from the catalog; `refused` says what is
 * not done.
 */
export function assertOwns(
  entity: Entity,
  user: TaskUser | undefined,
  refused = 'its SparkApplication is not applied',
): void {
  const owner = entity.spec?.owner;
  const owners =
    typeof owner === 'string'
      ? [
          stringifyEntityRef(
            parseEntityRef(owner, {
              defaultKind: 'group',
              defaultNamespace: entity.metadata.namespace ?? 'default',
            }),
          ),
        ]
      : [];
  const ownership = [
    ...(user?.ref ? [user.ref] : []),
    ...(user?.entity?.relations ?? [])
      .filter(relation => relation.type === RELATION_MEMBER_OF)
      .map(relation => relation.targetRef),
  ].map(ref => ref.toLocaleLowerCase('en-US'));
  if (!owners.some(ref => ownership.includes(ref.toLocaleLowerCase('en-US')))) {
    throw new NotAllowedError(
      `${stringifyEntityRef(entity)} already exists in the catalog and ${
        user?.ref ?? 'the user running this task'
      } is not among its owners (spec.owner: ${
        owners.join(', ') || 'none'
      }); ${refused}`,
    );
  }
}
