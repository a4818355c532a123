import { useState } from 'react';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import {
  ANNOTATION_PIPELINE_SUMMARY,
  MicroBatch,
  PipelineMetricsResponse,
} from '@internal/plugin-streaming-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import { useTheme } from '@material-ui/core/styles';
import {
  Area,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { useEntityStreamingData } from '../../hooks/useEntityStreamingData';
import { useEnvironmentLabel } from '../../hooks/useEnvironmentLabel';
import {
  breakAtGaps,
  chartTimeFormatter,
  formatChartDateTime,
} from '../../lib/chartTime';
import { formatValue } from '../../lib/formatValue';
import { DataCard } from '../DataCard';
import { Fact } from '../Fact';
import { RangePicker } from '../RangePicker';
import { MetricsWindow } from '../../api';
import { deadLetterEntityRef } from '../../lib/deadLetterEntityRef';

/**
 * Micro-batches of a pipeline over a chosen time range: input against
 * processed rows per second, and how long each batch took.
 */
export function MicroBatchChartCard() {
  const [window, setWindow] = useState<MetricsWindow>('1h');
  const environment = useEnvironmentLabel();
  const { missingAnnotation, state } = useEntityStreamingData(
    ANNOTATION_PIPELINE_SUMMARY,
    (api, ref) => api.getPipelineMetrics(ref, { window }),
    [window],
  );
  return (
    <DataCard
      title="Micro-batches"
      subheader={[
        environment,
        'Input vs processed rows per second, batch duration, and the bytes, unparseable and dead-lettered records the job reports',
      ]
        .filter(Boolean)
        .join(' · ')}
      action={<RangePicker window={window} onChange={setWindow} />}
      missingAnnotation={missingAnnotation}
      state={state}
      isEmpty={m => m.batches.length === 0}
      emptyTitle="No micro-batches in this range"
      emptyDescription="The chart fills once the job publishes its streaming query progress."
    >
      {metrics => <MicroBatchBody metrics={metrics} />}
    </DataCard>
  );
}

/** The sum of a figure over the batches that report it; null when none does. */
function sumReported(
  batches: MicroBatch[],
  figure: (batch: MicroBatch) => number | undefined,
): number | null {
  const reported = batches
    .map(figure)
    .filter((n): n is number => n !== undefined);
  return reported.length ? reported.reduce((a, b) => a + b, 0) : null;
}

function MicroBatchBody({ metrics }: { metrics: PipelineMetricsResponse }) {
  const theme = useTheme();
  const { entity } = useEntity();
  const deadLetterRef = deadLetterEntityRef(entity);
  const lastBatch = metrics.batches[metrics.batches.length - 1];
  const deadLettered = sumReported(metrics.batches, b => b.deadLetterRecords);
  const { summary } = metrics;
  const data = breakAtGaps(
    metrics.batches.map(b => ({
      time: Date.parse(b.timestamp),
      input: b.inputRowsPerSecond as number | null,
      processed: b.processedRowsPerSecond as number | null,
      duration: (b.durationMs.triggerExecution ?? 0) as number | null,
    })),
    { input: null, processed: null, duration: null },
  );
  const bytes = sumReported(metrics.batches, b => b.inputBytes);
  const badRecords = sumReported(metrics.batches, b => b.badRecords);
  return (
    <>
      <Grid container spacing={2}>
        <Grid item xs={6} md={4}>
          <Fact label="Input">
            {formatValue(summary.inputRowsPerSecond, 'count', {
              suffix: 'rows/s',
            })}
          </Fact>
        </Grid>
        <Grid item xs={6} md={4}>
          <Fact label="Processed">
            {formatValue(summary.processedRowsPerSecond, 'count', {
              suffix: 'rows/s',
            })}
          </Fact>
        </Grid>
        <Grid item xs={6} md={4}>
          <Fact label="Batch duration (avg / p95)">
            {formatValue(summary.avgBatchDurationMs, 'ms')} /{' '}
            {formatValue(summary.p95BatchDurationMs, 'ms')}
          </Fact>
        </Grid>
        <Grid item xs={6} md={4}>
          <Fact label="Rows in range">
            {formatValue(summary.totalInputRows, 'count')}
          </Fact>
        </Grid>
        <Grid item xs={6} md={4}>
          <Fact label="Bytes in range">
            {bytes === null ? 'not reported' : formatValue(bytes, 'bytes')}
          </Fact>
        </Grid>
        <Grid item xs={6} md={4}>
          <Fact label="Unparseable records">
            {badRecords === null
              ? 'not reported'
              : formatValue(badRecords, 'count')}
          </Fact>
        </Grid>
        <Grid item xs={6} md={4}>
          <Fact label="Dead-lettered (last batch / range)">
            {deadLettered === null
              ? 'not reported'
              : `${formatValue(
                  lastBatch?.deadLetterRecords,
                  'count',
                )} / ${formatValue(deadLettered, 'count')}`}
          </Fact>
        </Grid>
        <Grid item xs={6} md={4}>
          <Fact label="Dead-letter target">
            {deadLetterRef ? (
              <EntityRefLink entityRef={deadLetterRef} />
            ) : (
              'none: unparseable records flow on as nulls'
            )}
          </Fact>
        </Grid>
      </Grid>
      <Box height={280} mt={2} data-testid="micro-batch-chart">
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={data}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis
              dataKey="time"
              type="number"
              scale="time"
              domain={['dataMin', 'dataMax']}
              tickFormatter={chartTimeFormatter(data.map(d => d.time))}
            />
            <YAxis
              yAxisId="rows"
              tickFormatter={v => formatValue(v, 'count')}
              width={50}
            />
            <YAxis
              yAxisId="duration"
              orientation="right"
              tickFormatter={v => formatValue(v, 'ms')}
              width={60}
            />
            <Tooltip
              labelFormatter={v => formatChartDateTime(Number(v))}
              formatter={(value: number, name: string) =>
                name === 'Batch duration'
                  ? formatValue(value, 'ms')
                  : formatValue(value, 'count', { suffix: 'rows/s' })
              }
            />
            <Legend />
            <Area
              yAxisId="rows"
              type="monotone"
              dataKey="input"
              name="Input rows/s"
              stroke={theme.palette.primary.main}
              fill={theme.palette.primary.light}
              fillOpacity={0.4}
              isAnimationActive={false}
            />
            <Line
              yAxisId="rows"
              type="monotone"
              dataKey="processed"
              name="Processed rows/s"
              stroke={theme.palette.success?.main ?? '#2e7d32'}
              dot={false}
              isAnimationActive={false}
            />
            <Line
              yAxisId="duration"
              type="monotone"
              dataKey="duration"
              name="Batch duration"
              stroke={theme.palette.warning?.main ?? '#ed6c02'}
              strokeDasharray="4 2"
              dot={false}
              isAnimationActive={false}
            />
          </ComposedChart>
        </ResponsiveContainer>
      </Box>
    </>
  );
}
