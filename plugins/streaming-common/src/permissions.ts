import {
  BasicPermission,
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
 * Listing every topic of a configured Kafka cluster (`GET /topics?cluster=`,
 * the topic picker of the Create form) and the names of the configured search
 * clusters (`GET /search/clusters`, its search cluster picker): the people who
 * may create pipelines. Not tied to an entity.
 *
 * @public
 */
export const streamingTopicListPermission: BasicPermission = createPermission({
  name: 'streaming.topic.list',
  attributes: { action: 'read' },
});

/**
 * Pausing, resuming and restarting a pipeline (the `POST
 * /pipelines/{namespace}/{name}/pause|resume|restart` routes and the buttons
 * of the Streaming tab). Checked against the pipeline entity (resource type
 * `catalog-entity`), so a policy can use the catalog's rules: the app's
 * policy allows it to the entity's owners (`isEntityOwner`) and denies
 * everyone else.
 *
 * @public
 */
export const streamingPipelineOperatePermission: ResourcePermission<'catalog-entity'> =
  createPermission({
    name: 'streaming.pipeline.operate',
    attributes: { action: 'update' },
    resourceType: 'catalog-entity',
  });

/**
 * Reading the state of the Kafka Connect connectors that feed a pipeline
 * (`GET /pipelines/{namespace}/{name}/connectors`, the Source connector card):
 * their tasks' failure traces may name database hosts and tables. Checked
 * against the pipeline entity (resource type `catalog-entity`), on top of
 * catalog read access.
 *
 * @public
 */
export const streamingConnectorReadPermission: ResourcePermission<'catalog-entity'> =
  createPermission({
    name: 'streaming.connector.read',
    attributes: { action: 'read' },
    resourceType: 'catalog-entity',
  });

/**
 * All permissions of the streaming plugins.
 *
 * @public
 */
export const streamingPermissions = [
  streamingCostReadPermission,
  streamingTopicListPermission,
  streamingPipelineOperatePermission,
  streamingConnectorReadPermission,
];
