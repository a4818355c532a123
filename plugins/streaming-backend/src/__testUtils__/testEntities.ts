import {
  BackstageCredentials,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { ANNOTATION_LOCATION, Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  ANNOTATION_DELTA_PATH,
  ANNOTATION_KAFKA_CLUSTER,
  ANNOTATION_KAFKA_CONSUMER_GROUPS,
  ANNOTATION_KAFKA_TOPIC,
  ANNOTATION_PIPELINE_SUMMARY,
  ANNOTATION_PIPELINE_SUMMARY_LOCATION,
  parsePipelineSpec,
  streamingConnectorReadPermission,
  streamingCostReadPermission,
  streamingPipelineOperatePermission,
  streamingTopicListPermission,
  toPipelineSummary,
} from '@internal/plugin-streaming-common';

/** A user the catalog hides every entity from. */
export const OUTSIDER = 'user:default/outsider';
/** A user who reads pipelines but not their cost. */
export const NO_COST_USER = 'user:default/no-cost';
/** A user who may not list the topics of Kafka clusters. */
export const NO_TOPICS_USER = 'user:default/no-topics';
/** A user who reads pipelines but does not own them: may not operate them. */
export const NON_OWNER = 'user:default/non-owner';
/** A user who reads pipelines but not the state of their Kafka connectors. */
export const NO_CONNECTORS_USER = 'user:default/no-connectors';

const principalOf = (credentials?: BackstageCredentials) =>
  (credentials?.principal as { userEntityRef?: string } | undefined)
    ?.userEntityRef;

/** What a test pipeline reads, writes and alerts on. */
export interface TestPipelineOptions {
  name: string;
  topic: string;
  cluster: string;
  lagMessages?: number;
  consumerGroups?: string;
  sinkPath?: string;
  alertChannel?: string;
}

/** The `pipeline.yaml` of a test pipeline. */
export function pipelineSpecText(options: TestPipelineOptions): string {
  return [
    'pipeline:',
    `  name: ${options.name}`,
    '  owner: group:default/data-platform',
    '  source:',
    '    type: kafka',
    `    topic: ${options.topic}`,
    `    cluster: ${options.cluster}`,
    '    format: json',
    '    schema: schemas/user_event.avsc',
    '  sink:',
    '    type: delta',
    `    path: ${options.sinkPath ?? `/data/delta/${options.name}`}`,
    '    mode: append',
    `    checkpoint: /checkpoints/${options.name}`,
    '  monitoring:',
    '    alert_on_lag: 60',
    `    alert_on_lag_messages: ${options.lagMessages ?? 10000}`,
    ...(options.alertChannel
      ? [`    alert_channel: ${options.alertChannel}`]
      : []),
  ].join('\n');
}

/** A pipeline Component as the catalog processor leaves it: spec -> summary annotation. */
export function pipelineEntity(options: TestPipelineOptions): Entity {
  const { spec, errors } = parsePipelineSpec(pipelineSpecText(options));
  if (!spec) {
    throw new Error(JSON.stringify(errors));
  }
  const location = `url:https://example.com/pipelines/${options.name}/catalog-info.yaml`;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: options.name,
      namespace: 'default',
      annotations: {
        [ANNOTATION_PIPELINE_SUMMARY]: JSON.stringify(toPipelineSummary(spec)),
        [ANNOTATION_PIPELINE_SUMMARY_LOCATION]: location,
        [ANNOTATION_LOCATION]: location,
        [ANNOTATION_KAFKA_CLUSTER]: options.cluster,
        ...(options.consumerGroups
          ? { [ANNOTATION_KAFKA_CONSUMER_GROUPS]: options.consumerGroups }
          : {}),
      },
    },
    spec: {
      type: 'streaming-pipeline',
      lifecycle: 'production',
      owner: 'group:default/data-platform',
    },
  };
}

/** A `kafka-topic` Resource. */
export function topicEntity(
  name: string,
  topic: string,
  cluster: string,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        [ANNOTATION_KAFKA_TOPIC]: topic,
        [ANNOTATION_KAFKA_CLUSTER]: cluster,
      },
    },
    spec: { type: 'kafka-topic', owner: 'group:default/data-platform' },
  };
}

/** A `delta-table` Resource. */
export function tableEntity(name: string, location: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      namespace: 'default',
      annotations: { [ANNOTATION_DELTA_PATH]: location },
    },
    spec: { type: 'delta-table', owner: 'group:default/data-platform' },
  };
}

/** The in-memory catalog, hiding everything from {@link OUTSIDER} as a real permission policy would. */
export function catalogFactory(entities: Entity[]) {
  return createServiceFactory({
    service: catalogServiceRef,
    deps: {},
    factory() {
      const inner = catalogServiceMock({ entities });
      const hidden = (options?: object) =>
        principalOf(
          (options as { credentials?: BackstageCredentials } | undefined)
            ?.credentials,
        ) === OUTSIDER;
      const catalog: typeof inner = Object.create(inner);
      catalog.getEntityByRef = async (ref, options) =>
        hidden(options) ? undefined : inner.getEntityByRef(ref, options);
      catalog.getEntities = async (request, options) =>
        hidden(options) ? { items: [] } : inner.getEntities(request, options);
      catalog.queryEntities = async (request, options) =>
        hidden(options)
          ? { items: [], pageInfo: {}, totalItems: 0 }
          : inner.queryEntities(request, options);
      return catalog;
    },
  });
}

/**
 * Permissions: cost denied to {@link NO_COST_USER}, listing topics to
 * {@link NO_TOPICS_USER}, operating pipelines to {@link NON_OWNER}, reading
 * their connectors to {@link NO_CONNECTORS_USER}, everything else allowed.
 */
export function permissionsFactory() {
  return createServiceFactory({
    service: coreServices.permissions,
    deps: {},
    factory() {
      const denied: Record<string, string> = {
        [streamingCostReadPermission.name]: NO_COST_USER,
        [streamingTopicListPermission.name]: NO_TOPICS_USER,
        [streamingPipelineOperatePermission.name]: NON_OWNER,
        [streamingConnectorReadPermission.name]: NO_CONNECTORS_USER,
      };
      const decide = (
        requests: Array<{ permission: { name: string } }>,
        credentials: BackstageCredentials,
      ) =>
        requests.map(({ permission }) => ({
          result:
            denied[permission.name] === principalOf(credentials)
              ? AuthorizeResult.DENY
              : AuthorizeResult.ALLOW,
        }));
      return mockServices.permissions.mock({
        authorize: async (requests, options) =>
          decide(requests, options.credentials) as any,
        authorizeConditional: async (requests, options) =>
          decide(requests, options.credentials) as any,
      });
    },
  });
}
