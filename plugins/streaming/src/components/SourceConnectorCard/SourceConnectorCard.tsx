import { ResponseError } from '@backstage/errors';
import {
  ANNOTATION_PIPELINE_SUMMARY,
  PipelineConnector,
  PipelineConnectorsResponse,
} from '@internal/plugin-streaming-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { makeStyles, Theme } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import { useEntityStreamingData } from '../../hooks/useEntityStreamingData';
import { DataCard } from '../DataCard';
import { Fact } from '../Fact';
import { Identifier } from '../Identifier';

const stateColor = (theme: Theme, state: string) => {
  switch (state) {
    case 'RUNNING':
      return theme.palette.success;
    case 'FAILED':
      return theme.palette.error;
    case 'PAUSED':
    case 'STOPPED':
    case 'RESTARTING':
      return theme.palette.warning;
    default:
      return theme.palette.info;
  }
};

const useStyles = makeStyles<Theme, { state: string }>(theme => ({
  chip: ({ state }) => ({
    backgroundColor: stateColor(theme, state).main,
    color: stateColor(theme, state).contrastText,
    fontWeight: theme.typography.fontWeightBold as number,
  }),
}));

/** Props of {@link ConnectorStateChip}. */
interface ConnectorStateChipProps {
  state: string;
  label?: string;
}

/** A connector's or task's state as Kafka Connect names it, coloured by how well it is. */
function ConnectorStateChip({ state, label }: ConnectorStateChipProps) {
  const classes = useStyles({ state });
  return (
    <Chip
      size="small"
      className={classes.chip}
      label={label ? `${label} ${state}` : state}
    />
  );
}

/** The connector class without its package (`PostgresConnector`). */
const shortClass = (connectorClass: string) =>
  connectorClass.split('.').pop() ?? connectorClass;

function ConnectorBody({ connector }: { connector: PipelineConnector }) {
  const failed = connector.tasks.filter(t => t.state === 'FAILED');
  return (
    <Box mb={2} component="section" aria-label={`connector ${connector.name}`}>
      <Box display="flex" alignItems="center" style={{ gap: 8 }}>
        <Typography variant="subtitle1" component="h3">
          <Identifier text={connector.name} />
        </Typography>
        <ConnectorStateChip state={connector.state} />
      </Box>
      <Grid container spacing={2}>
        <Grid item xs={6} md={3}>
          <Fact label="Connect cluster">{connector.cluster}</Fact>
        </Grid>
        <Grid item xs={6} md={3}>
          <Fact label="Class">
            <span title={connector.connectorClass}>
              {shortClass(connector.connectorClass)}
            </span>
          </Fact>
        </Grid>
        <Grid item xs={6} md={3}>
          <Fact label="Worker">{connector.workerId ?? 'unassigned'}</Fact>
        </Grid>
        <Grid item xs={6} md={3}>
          <Fact label="Writes">
            {connector.topics.map(t => (
              <div key={t}>
                <Identifier text={t} />
              </div>
            ))}
          </Fact>
        </Grid>
      </Grid>
      <Box mt={1} display="flex" flexWrap="wrap" style={{ gap: 8 }}>
        {connector.tasks.length === 0 ? (
          <Typography variant="body2" color="textSecondary">
            No tasks
          </Typography>
        ) : (
          connector.tasks.map(t => (
            <ConnectorStateChip
              key={t.id}
              state={t.state}
              label={`task ${t.id}`}
            />
          ))
        )}
      </Box>
      {connector.trace && (
        <Box mt={1}>
          <Alert severity="error">Connector: {connector.trace}</Alert>
        </Box>
      )}
      {failed.map(t => (
        <Box mt={1} key={t.id}>
          <Alert severity="error">
            Task {t.id}
            {t.workerId ? ` on ${t.workerId}` : ''}:{' '}
            {t.trace ?? 'failed without a trace'}
          </Alert>
        </Box>
      ))}
    </Box>
  );
}

/**
 * The Kafka Connect source connectors that write the pipeline's source
 * topics (the Debezium connector of a CDC pipeline): their state, their
 * tasks' and the first line of a failed task's trace. Shown only when a
 * connector feeds the pipeline or a Connect cluster did not answer; hidden
 * from callers without `streaming.connector.read`.
 */
export function SourceConnectorCard() {
  const { missingAnnotation, state } = useEntityStreamingData(
    ANNOTATION_PIPELINE_SUMMARY,
    (api, ref) => api.getPipelineConnectors(ref),
  );
  const nothing = (s: PipelineConnectorsResponse) =>
    s.connectors.length === 0 && s.errors.length === 0;
  const refused =
    state.error instanceof ResponseError && state.error.statusCode === 403;
  if (
    missingAnnotation ||
    state.loading ||
    refused ||
    (state.value && nothing(state.value))
  ) {
    return null;
  }
  return (
    <DataCard
      title="Source connector"
      state={state}
      emptyTitle="No connector found"
      sourceErrors={s => s.errors}
    >
      {s => (
        <>
          {s.connectors.length === 0 && (
            <Typography variant="body2" color="textSecondary">
              No Kafka Connect cluster that answered has a connector writing the
              pipeline's source topics.
            </Typography>
          )}
          {s.connectors.map(connector => (
            <ConnectorBody
              key={`${connector.cluster}/${connector.name}`}
              connector={connector}
            />
          ))}
        </>
      )}
    </DataCard>
  );
}
