import {
  Content,
  ContentHeader,
  EmptyState,
  Header,
  Page,
} from '@backstage/core-components';

/** The pipelines overview page, reached from the "Streaming" nav item. */
export const StreamingOverviewPage = () => (
  <Page themeId="tool">
    <Header
      title="Streaming pipelines"
      subtitle="Spark Structured Streaming pipelines, their lag and cost"
    />
    <Content>
      <ContentHeader title="Overview" />
      <EmptyState
        missing="data"
        title="No pipeline metrics yet"
        description="Pipelines appear here once they publish micro-batch progress."
      />
    </Content>
  </Page>
);
