import {
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { Link } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { useSignal } from '@backstage/plugin-signals-react';
import { TECHDOCS_ANNOTATION } from '@backstage/plugin-techdocs-common';
import {
  ANNOTATION_DASHBOARD_URL,
  ANNOTATION_PIPELINE_SUMMARY,
  PipelineStatusResponse,
} from '@internal/plugin-streaming-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useEffect } from 'react';
import { useEntityStreamingData } from '../../hooks/useEntityStreamingData';
import { useEnvironmentLabel } from '../../hooks/useEnvironmentLabel';
import { useTechDocsLink } from '../../hooks/useTechDocsLink';
import { formatValue } from '../../lib/formatValue';
import { safeHttpUrl } from '../../lib/safeHttpUrl';
import { DataCard } from '../DataCard';
import { HealthStatus } from '../HealthStatus';
import { Fact } from '../Fact';

/**
 * The top of a pipeline's Streaming tab: its health against the thresholds,
 * the age of its last micro-batch, the SparkApplication's state, and links to
 * the driver UI, the runbook and the dashboard. Refetches as soon as the
 * backend signals a change of health (`streaming:health:<entity ref>`).
 */
export function PipelineHealthHeader() {
  const { entity } = useEntity();
  const environment = useEnvironmentLabel();
  const { missingAnnotation, state } = useEntityStreamingData(
    ANNOTATION_PIPELINE_SUMMARY,
    (api, ref) => api.getPipelineStatus(ref),
  );
  // The backend signals every change of health: refetch at once.
  const { lastSignal } = useSignal(
    `streaming:health:${stringifyEntityRef(entity)}`,
  );
  const { retry } = state;
  useEffect(() => {
    if (lastSignal) retry();
  }, [lastSignal, retry]);
  return (
    <DataCard
      title="Health"
      subheader={environment}
      missingAnnotation={missingAnnotation}
      state={state}
      emptyTitle="No status yet"
      sourceErrors={s => s.errors}
    >
      {status => <HealthBody status={status} entity={entity} />}
    </DataCard>
  );
}

function HealthBody(props: {
  status: PipelineStatusResponse;
  entity: ReturnType<typeof useEntity>['entity'];
}) {
  const { status, entity } = props;
  const app = status.application;
  const driverUi = safeHttpUrl(app?.driverUiUrl);
  const dashboard = safeHttpUrl(
    entity.metadata.annotations?.[ANNOTATION_DASHBOARD_URL],
  );
  const docsLink = useTechDocsLink();
  const section = status.runbookSection
    ? `#${encodeURIComponent(status.runbookSection)}`
    : '';
  const runbook = entity.metadata.annotations?.[TECHDOCS_ANNOTATION]
    ? docsLink(getCompoundEntityRef(entity), `runbook/${section}`)
    : undefined;
  return (
    <>
      <Grid container spacing={3} alignItems="flex-start">
        <Grid item xs={12} sm={6} md={3}>
          <Fact label="Status">
            <HealthStatus health={status.health} />
          </Fact>
        </Grid>
        <Grid item xs={12} sm={6} md={3}>
          <Fact label="Last micro-batch">
            {status.lastBatchAgeSeconds === undefined
              ? 'none yet'
              : `${formatValue(status.lastBatchAgeSeconds, 'seconds')} ago`}
          </Fact>
        </Grid>
        <Grid item xs={12} sm={6} md={3}>
          <Fact label="Spark application">
            {app
              ? `${app.state} (${app.executors.running}/${
                  app.executors.max ?? app.executors.total
                } executors)`
              : `${status.running ? 'running' : 'not running'} (${
                  status.runningSource === 'progress'
                    ? 'from progress events'
                    : 'no Kubernetes data'
                })`}
          </Fact>
        </Grid>
        <Grid item xs={12} sm={6} md={3}>
          <Fact label="Links">
            <Box display="flex" flexWrap="wrap" style={{ gap: 12 }}>
              {driverUi && <Link to={driverUi}>Driver UI</Link>}
              {runbook && (
                <Link to={runbook}>
                  {status.runbookSection
                    ? `Runbook: ${status.runbookSection}`
                    : 'Runbook'}
                </Link>
              )}
              {dashboard && <Link to={dashboard}>Dashboard</Link>}
              {!driverUi && !runbook && !dashboard && 'none annotated'}
            </Box>
          </Fact>
        </Grid>
      </Grid>
      {status.reasons.length > 0 && (
        <Box mt={2}>
          {status.reasons.map(reason => (
            <Typography key={reason} variant="body2">
              {reason}
            </Typography>
          ))}
        </Box>
      )}
      {app?.lastError && (
        <Box mt={2}>
          <Alert severity="error">{app.lastError}</Alert>
        </Box>
      )}
      {status.scalingHint && (
        <Box mt={2}>
          <Alert severity="info">{status.scalingHint}</Alert>
        </Box>
      )}
    </>
  );
}
