import {
  createPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';

/**
 * Reading a pipeline's cost. Checked against the pipeline entity
 * (resource type `catalog-entity`), on top of catalog read access.
 *
 * @public
 */
export const streamingCostReadPermission: ResourcePermission<'catalog-entity'> =
  createPermission({
    name: 'streaming.cost.read',
    attributes: { action: 'read' },
    resourceType: 'catalog-entity',
  });

/**
 * All permissions of the streaming plugins.
 *
 * @public
 */
export const streamingPermissions = [streamingCostReadPermission];
