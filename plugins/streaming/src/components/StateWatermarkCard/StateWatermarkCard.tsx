import {
  ANNOTATION_PIPELINE_SUMMARY,
  PipelineMetricsResponse,
} from '@internal/plugin-streaming-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { useEntityStreamingData } from '../../hooks/useEntityStreamingData';
import { formatValue } from '../../lib/formatValue';
import { DataCard } from '../DataCard';
import { Fact } from '../Fact';

const NO_WRAP = { whiteSpace: 'nowrap', wordBreak: 'normal' } as const;

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
          <Box overflow="auto">
            <Table size="small" aria-label="state operators">
              <TableHead>
                <TableRow>
                  {/* Headers never break inside a word; the table scrolls instead. */}
                  <TableCell style={NO_WRAP}>Operator</TableCell>
                  <TableCell align="right" style={NO_WRAP}>
                    Rows
                  </TableCell>
                  <TableCell align="right" style={NO_WRAP}>
                    Memory
                  </TableCell>
                  <TableCell align="right" style={NO_WRAP}>
                    Late dropped
                  </TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {operators.map((op, i) => (
                  <TableRow key={i}>
                    <TableCell>{op.operatorName ?? 'state'}</TableCell>
                    <TableCell align="right">
                      {formatValue(op.numRowsTotal, 'count')}
                    </TableCell>
                    <TableCell align="right">
                      {formatValue(op.memoryUsedBytes, 'bytes')}
                    </TableCell>
                    <TableCell align="right">
                      {formatValue(op.numRowsDroppedByWatermark ?? 0, 'count')}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Box>
        )}
      </Box>
    </>
  );
}
