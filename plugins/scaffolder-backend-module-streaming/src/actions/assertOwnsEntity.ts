import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  parseEntityRef,
  RELATION_MEMBER_OF,
  stringifyEntityRef,
  UserEntity,
} from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';

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
  user?: { ref?: string; entity?: UserEntity };
  /** What is not done when refused. */
  refused?: string;
}): Promise<void> {
  const { catalog, credentials, entityRef, user } = options;
  const entity = await catalog.getEntityByRef(entityRef, { credentials });
  if (!entity) {
    return;
  }
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
      } is not among its owners (spec.owner: ${owners.join(', ') || 'none'}); ${
        options.refused ?? 'its SparkApplication is not applied'
      }`,
    );
  }
}
