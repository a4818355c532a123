import {
  ANNOTATION_PIPELINE_SUMMARY,
  PipelineMetricsResponse,
} from '@internal/plugin-streaming-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { useEntityStreamingData } from '../../hooks/useEntityStreamingData';
import { useEnvironmentLabel } from '../../hooks/useEnvironmentLabel';
import { formatValue } from '../../lib/formatValue';
import { DataCard } from '../DataCard';
import { Fact } from '../Fact';
import { Identifier } from '../Identifier';

/**
 * The state the query keeps (rows, memory, rows dropped as late) and how far
 * its event-time watermark trails the clock, from the newest micro-batch.
 */
export function StateWatermarkCard() {
  const { missingAnnotation, state } = useEntityStreamingData(
    ANNOTATION_PIPELINE_SUMMARY,
    (api, ref) => api.getPipelineMetrics(ref, { window: '15m' }),
  );
  return (
    <DataCard
      title="State and watermark"
      subheader={useEnvironmentLabel()}
      missingAnnotation={missingAnnotation}
      state={state}
      isEmpty={m => m.batches.length === 0}
      emptyTitle="No recent micro-batch"
      emptyDescription="State and watermark come from the newest streaming query progress."
    >
      {metrics => <StateBody metrics={metrics} />}
    </DataCard>
  );
}

function StateBody({ metrics }: { metrics: PipelineMetricsResponse }) {
  const latest = metrics.batches[metrics.batches.length - 1];
  const watermark = latest.watermark ?? metrics.summary.watermark;
  const watermarkMs = watermark ? Date.parse(watermark) : NaN;
  const behindSeconds = Number.isFinite(watermarkMs)
    ? (Date.parse(latest.timestamp) - watermarkMs) / 1000
    : null;
  const operators = latest.stateOperators;
  return (
    <>
      <Grid container spacing={2}>
        <Grid item xs={12} sm={6}>
          <Fact label="Watermark">
            {watermark && Number.isFinite(watermarkMs)
              ? new Date(watermarkMs).toLocaleString('en-GB')
              : 'none (no event-time operator)'}
          </Fact>
        </Grid>
        <Grid item xs={12} sm={6}>
          <Fact label="Behind the batch time">
            {formatValue(behindSeconds, 'seconds')}
          </Fact>
        </Grid>
        <Grid item xs={12} sm={6}>
          <Fact label="Latest batch">#{latest.batchId}</Fact>
        </Grid>
        <Grid item xs={12} sm={6}>
          <Fact label="State memory">
            {formatValue(
              operators.reduce((sum, op) => sum + op.memoryUsedBytes, 0),
              'bytes',
            )}
          </Fact>
        </Grid>
      </Grid>
      <Box mt={2}>
        {operators.length === 0 ? (
          <Typography variant="body2" color="textSecondary">
            This query keeps no state.
          </Typography>
        ) : (
          // One block per operator, its figures as facts: a table of four
          // columns does not fit the narrow card without breaking words.
          <Box component="ul" aria-label="state operators" p={0} m={0}>
            {operators.map((op, i) => (
              <Box component="li" key={i} mb={1} style={{ listStyle: 'none' }}>
                <Typography variant="subtitle2" component="div">
                  <Identifier text={op.operatorName ?? 'state'} />
                </Typography>
                <Grid container spacing={1}>
                  <Grid item xs={4}>
                    <Fact label="Rows">
                      {formatValue(op.numRowsTotal, 'count')}
                    </Fact>
                  </Grid>
                  <Grid item xs={4}>
                    <Fact label="Memory">
                      {formatValue(op.memoryUsedBytes, 'bytes')}
                    </Fact>
                  </Grid>
                  <Grid item xs={4}>
                    <Fact label="Late dropped">
                      {formatValue(op.numRowsDroppedByWatermark ?? 0, 'count')}
                    </Fact>
                  </Grid>
                </Grid>
              </Box>
            ))}
          </Box>
        )}
      </Box>
    </>
  );
}
