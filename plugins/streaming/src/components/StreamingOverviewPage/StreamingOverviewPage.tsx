import {
  Content,
  ContentHeader,
  EmptyState,
  Header,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { streamingApiRef } from '../../api';
import { useAutoRefresh } from '../../hooks/useAutoRefresh';
import { OverviewTiles } from './OverviewTiles';
import { PAGE_SIZE, PipelinesQuery, PipelinesTable } from './PipelinesTable';
import { TeamsCard } from './TeamsCard';

/** The pipelines overview page, reached from the "Streaming" nav item. */
export function StreamingOverviewPage() {
  const api = useApi(streamingApiRef);
  const [query, setQuery] = useState<PipelinesQuery>({
    offset: 0,
    limit: PAGE_SIZE,
  });
  const state = useAutoRefresh(
    () => api.getOverview(query),
    [api, JSON.stringify(query)],
  );
  const overview = state.value;

  let body;
  if (state.loading) {
    body = <Progress />;
  } else if (state.error) {
    body = <ResponseErrorPanel error={state.error} />;
  } else if (!overview || overview.totals.pipelines === 0) {
    body = (
      <EmptyState
        missing="data"
        title="No streaming pipelines yet"
        description="Pipelines appear here once a Component of type streaming-pipeline is in the catalog. Create one from a template on the Create page."
      />
    );
  } else {
    body = (
      <>
        {overview.errors.map(e => (
          <Alert key={e.source} severity="warning" style={{ marginBottom: 8 }}>
            {e.source}: {e.message}
          </Alert>
        ))}
        <OverviewTiles totals={overview.totals} />
        <Box mt={3}>
          <PipelinesTable
            overview={overview}
            query={query}
            onQueryChange={setQuery}
          />
        </Box>
        <Box mt={3}>
          <TeamsCard />
        </Box>
        <Box mt={1}>
          <Typography variant="caption" color="textSecondary">
            Updated {new Date(overview.generatedAt).toLocaleTimeString('en-GB')}
          </Typography>
        </Box>
      </>
    );
  }

  return (
    <Page themeId="tool">
      <Header
        title="Streaming pipelines"
        subtitle="Spark Structured Streaming pipelines, their lag and cost"
      />
      <Content>
        <ContentHeader title="Operations" />
        {body}
      </Content>
    </Page>
  );
}
