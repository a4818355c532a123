import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { HomePageWidgetBlueprint } from '@backstage/plugin-home-react/alpha';
import { MarkdownContent } from '@backstage/core-components';

const content = `
Spark Structured Streaming pipelines as a self-service platform.

- **[Streaming overview](/streaming)**: every pipeline you may read, with its
  health, throughput, consumer lag and monthly cost.
- **[Create a pipeline](/create)**: pick a template, fill in source,
  transformations, sink and alerts, and get a repository with the PySpark job,
  its SparkApplication manifest, alert rules and a runbook.
- **[Catalog](/catalog?filters[type]=streaming-pipeline)**: pipelines with the
  Kafka topics and Delta tables they read and write, as a lineage graph.
- **[Platform documentation](/docs/default/component/streaming-platform)**:
  writing a pipeline spec, operating pipelines, the architecture.
`;

const gettingStartedWidget = HomePageWidgetBlueprint.make({
  name: 'getting-started',
  params: {
    name: 'GettingStarted',
    title: 'Streaming pipelines',
    description: 'Where to start with the streaming pipelines platform',
    components: async () => ({
      Content: () => <MarkdownContent content={content} />,
    }),
  },
});

export const homeModule = createFrontendModule({
  pluginId: 'home',
  extensions: [gettingStartedWidget],
});
