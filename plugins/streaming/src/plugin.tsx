import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import StreamIcon from '@material-ui/icons/Timeline';
import { StreamingClient, streamingApiRef } from './api';
import {
  ENTITY_TYPE_DATABASE_TABLE,
  ENTITY_TYPE_DELTA_TABLE,
  ENTITY_TYPE_ELASTICSEARCH_INDEX,
  ENTITY_TYPE_KAFKA_CONNECTOR,
  ENTITY_TYPE_KAFKA_TOPIC,
  ENTITY_TYPE_PIPELINE,
} from '@internal/plugin-streaming-common';
import {
  rootRouteRef,
  scaffolderTemplateRouteRef,
  techDocsReaderRouteRef,
} from './routes';
import {
  kafkaTopicPickerFormField,
  pipelineFieldsEditorFormField,
  pipelineResourcesEditorFormField,
  pipelineTransformationsEditorFormField,
  searchClusterPickerFormField,
} from './scaffolder/scaffolderFormFields';

/** The client of the `streaming` backend. */
export const streamingApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: streamingApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new StreamingClient({ discoveryApi, fetchApi }),
    }),
});

/** The pipelines overview page at `/streaming`, with its "Streaming" nav item. */
export const streamingOverviewPage = PageBlueprint.make({
  params: {
    path: '/streaming',
    title: 'Streaming',
    icon: <StreamIcon />,
    routeRef: rootRouteRef,
    noHeader: true,
    loader: () =>
      import('./components/StreamingOverviewPage').then(m => (
        <m.StreamingOverviewPage />
      )),
  },
});

/*
 * Which entities show the tab and the cards: entity predicates, so that an
 * app can widen or narrow them in app-config (`app.extensions`, the
 * extension's `config.filter`), as for any entity content or card.
 */

/** The "Streaming" tab of `streaming-pipeline` Components. */
export const pipelineStreamingContent = EntityContentBlueprint.make({
  name: 'pipeline',
  params: {
    path: '/streaming',
    title: 'Streaming',
    filter: { kind: 'component', 'spec.type': ENTITY_TYPE_PIPELINE },
    loader: () =>
      import('./components/PipelineStreamingContent').then(m => (
        <m.PipelineStreamingContent />
      )),
  },
});

/** Partitions, offsets, throughput and pipelines of `kafka-topic` Resources. */
export const topicCard = EntityCardBlueprint.make({
  name: 'topic',
  params: {
    type: 'content',
    filter: { kind: 'resource', 'spec.type': ENTITY_TYPE_KAFKA_TOPIC },
    loader: () => import('./components/TopicCard').then(m => <m.TopicCard />),
  },
});

/** Writers, schema, last write and Delta log facts of `delta-table` Resources. */
export const deltaTableCard = EntityCardBlueprint.make({
  name: 'delta-table',
  params: {
    type: 'content',
    filter: { kind: 'resource', 'spec.type': ENTITY_TYPE_DELTA_TABLE },
    loader: () =>
      import('./components/DeltaTableCard').then(m => <m.DeltaTableCard />),
  },
});

/** Document count, size, shards and health of `elasticsearch-index` Resources. */
export const searchIndexCard = EntityCardBlueprint.make({
  name: 'search-index',
  params: {
    type: 'content',
    filter: { kind: 'resource', 'spec.type': ENTITY_TYPE_ELASTICSEARCH_INDEX },
    loader: () =>
      import('./components/SearchIndexCard').then(m => <m.SearchIndexCard />),
  },
});

/**
 * The Resource types the streaming platform puts in a pipeline's lineage:
 * their pages show the Lineage card (app-config keeps Backstage's one-hop
 * Relations card off them).
 */
const LINEAGE_RESOURCE_TYPES = [
  ENTITY_TYPE_KAFKA_TOPIC,
  ENTITY_TYPE_DELTA_TABLE,
  ENTITY_TYPE_ELASTICSEARCH_INDEX,
  ENTITY_TYPE_KAFKA_CONNECTOR,
  ENTITY_TYPE_DATABASE_TABLE,
];

/** Upstream and downstream lineage on topic, table, index and connector pages. */
export const lineageCard = EntityCardBlueprint.make({
  name: 'lineage',
  params: {
    type: 'content',
    filter: {
      kind: 'resource',
      'spec.type': { $in: LINEAGE_RESOURCE_TYPES },
    },
    loader: () =>
      import('./components/LineageCard').then(m => <m.LineageCard />),
  },
});

/** The streaming pipelines frontend plugin. */
export const streamingPlugin = createFrontendPlugin({
  pluginId: 'streaming',
  title: 'Streaming',
  icon: <StreamIcon />,
  extensions: [
    streamingApi,
    streamingOverviewPage,
    pipelineStreamingContent,
    topicCard,
    deltaTableCard,
    searchIndexCard,
    lineageCard,
    kafkaTopicPickerFormField,
    pipelineTransformationsEditorFormField,
    pipelineResourcesEditorFormField,
    pipelineFieldsEditorFormField,
    searchClusterPickerFormField,
  ],
  routes: {
    root: rootRouteRef,
  },
  externalRoutes: {
    techDocsReader: techDocsReaderRouteRef,
    scaffolderTemplate: scaffolderTemplateRouteRef,
  },
});
