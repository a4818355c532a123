import { Table, TableColumn } from '@backstage/core-components';
import {
  ANNOTATION_PIPELINE_SUMMARY,
  PartitionLag,
  PipelineLagResponse,
} from '@internal/plugin-streaming-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
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
  thresholdDomainMax,
} from '../../lib/chartTime';
import { formatValue } from '../../lib/formatValue';
import { readableColumns } from '../../lib/readableColumns';
import { DataCard } from '../DataCard';
import { Fact } from '../Fact';
import { Identifier } from '../Identifier';

const ISSUE_TEXT: Record<NonNullable<PartitionLag['issue']>, string> = {
  'no-progress': 'no progress yet',
  'no-commit': 'no committed offset',
  'below-log-start': 'offset below log start (data loss)',
  leaderless: 'no leader',
  'topic-recreated': 'topic recreated',
  'new-partition': 'new partition',
};

const partitionColumns: TableColumn<PartitionLag & { id: string }>[] = [
  {
    title: 'Partition',
    width: '34%',
    field: 'id',
    // The note (a few words) goes under the partition: a column of its own
    // ran past the half-width card at 1280 px.
    render: row => (
      <>
        <Identifier text={`${row.topic}/${row.partition}`} />
        {row.issue && (
          <Typography variant="caption" component="div" color="textSecondary">
            {ISSUE_TEXT[row.issue] ?? row.issue}
          </Typography>
        )}
      </>
    ),
  },
  {
    title: 'Consumed / latest',
    width: '30%',
    field: 'latestOffset',
    render: row => `${row.consumedOffset ?? '—'} / ${row.latestOffset}`,
  },
  {
    title: 'Lag',
    width: '16%',
    field: 'lagMessages',
    type: 'numeric',
    render: row => formatValue(row.lagMessages, 'count'),
  },
  {
    title: 'Lag (time)',
    width: '20%',
    field: 'lagSeconds',
    type: 'numeric',
    render: row => formatValue(row.lagSeconds, 'seconds'),
  },
];

/**
 * A pipeline's consumer lag: in total and per partition, in messages and in
 * seconds, with its trend against the alert thresholds.
 */
export function LagCard() {
  const { missingAnnotation, state } = useEntityStreamingData(
    ANNOTATION_PIPELINE_SUMMARY,
    (api, ref) => api.getPipelineLag(ref),
  );
  return (
    <DataCard
      title="Consumer lag"
      subheader={useEnvironmentLabel()}
      missingAnnotation={missingAnnotation}
      state={state}
      isEmpty={lag => lag.partitions.length === 0 && lag.history.length === 0}
      emptyTitle="No lag data yet"
      emptyDescription="Lag appears once the topic's offsets have been read and the job has processed a batch."
      sourceErrors={lag => lag.errors}
    >
      {lag => <LagBody lag={lag} />}
    </DataCard>
  );
}

function LagBody({ lag }: { lag: PipelineLagResponse }) {
  const theme = useTheme();
  const data = breakAtGaps(
    lag.history.map(h => ({
      time: Date.parse(h.time),
      messages: h.lagMessages as number | null,
      seconds: h.lagSeconds,
    })),
    { messages: null, seconds: null },
  );
  // The history ends at the last micro-batch; the trend ends at the lag now,
  // which keeps rising while the job is stopped.
  const observedAt = lag.observedAt ? Date.parse(lag.observedAt) : NaN;
  const last = data[data.length - 1];
  if (last && Number.isFinite(observedAt)) {
    data.push({
      time: Math.max(observedAt, last.time + 1),
      messages: lag.totalMessages,
      seconds: lag.maxLagSeconds,
    });
  }
  const rows = lag.partitions.map(p => ({
    ...p,
    id: `${p.topic}-${p.partition}`,
  }));
  return (
    <>
      <Grid container spacing={2}>
        <Grid item xs={6} md={3}>
          <Fact label="Total lag">
            {lag.totalMessages === null
              ? `unknown: ${lag.unknownReason ?? 'no data'}`
              : formatValue(lag.totalMessages, 'count', {
                  suffix: 'messages',
                })}
          </Fact>
        </Grid>
        <Grid item xs={6} md={3}>
          <Fact label="Max lag">
            {formatValue(lag.maxLagSeconds, 'seconds')}
          </Fact>
        </Grid>
        <Grid item xs={6} md={3}>
          <Fact label="Alert at">
            {formatValue(lag.thresholds.lagMessages, 'count', {
              suffix: 'messages',
            })}
            {lag.thresholds.lagSeconds !== undefined &&
              ` / ${formatValue(lag.thresholds.lagSeconds, 'seconds')}`}
          </Fact>
        </Grid>
        <Grid item xs={6} md={3}>
          <Fact label="Offsets read">
            {lag.ageSeconds === undefined
              ? 'not yet'
              : `${formatValue(lag.ageSeconds, 'seconds')} ago`}{' '}
            ({lag.method === 'spark-progress' ? 'Spark progress' : 'group'})
          </Fact>
        </Grid>
      </Grid>
      {data.length > 0 && (
        <Box height={220} mt={2} data-testid="lag-chart">
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={data}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis
                dataKey="time"
                type="number"
                scale="time"
                domain={['dataMin', 'dataMax']}
                tickFormatter={chartTimeFormatter(data.map(d => d.time))}
              />
              <YAxis
                yAxisId="messages"
                domain={[0, thresholdDomainMax(lag.thresholds.lagMessages)]}
                tickFormatter={v => formatValue(v, 'count')}
                width={50}
              />
              <YAxis
                yAxisId="seconds"
                orientation="right"
                domain={[0, thresholdDomainMax(lag.thresholds.lagSeconds)]}
                tickFormatter={v => formatValue(v, 'seconds')}
                width={60}
              />
              <Tooltip
                labelFormatter={v => formatChartDateTime(Number(v))}
                formatter={(value: number, name: string) =>
                  name === 'Lag (messages)'
                    ? formatValue(value, 'count')
                    : formatValue(value, 'seconds')
                }
              />
              <Legend />
              <ReferenceLine
                yAxisId="messages"
                y={lag.thresholds.lagMessages}
                stroke={theme.palette.error.main}
                strokeDasharray="6 3"
                label={{
                  value: 'message threshold',
                  position: 'insideTopLeft',
                }}
              />
              {lag.thresholds.lagSeconds !== undefined && (
                <ReferenceLine
                  yAxisId="seconds"
                  y={lag.thresholds.lagSeconds}
                  stroke={theme.palette.warning?.main ?? '#ed6c02'}
                  strokeDasharray="2 2"
                  label={{
                    value: 'time threshold',
                    position: 'insideTopRight',
                  }}
                />
              )}
              <Line
                yAxisId="messages"
                type="monotone"
                dataKey="messages"
                name="Lag (messages)"
                stroke={theme.palette.primary.main}
                dot={false}
                isAnimationActive={false}
              />
              <Line
                yAxisId="seconds"
                type="monotone"
                dataKey="seconds"
                name="Lag (seconds)"
                stroke={theme.palette.secondary.main}
                dot={false}
                isAnimationActive={false}
              />
            </LineChart>
          </ResponsiveContainer>
        </Box>
      )}
      {rows.length > 0 && (
        <Box mt={2}>
          <Table
            title="Per partition"
            options={{
              paging: rows.length > 10,
              pageSize: 10,
              search: false,
              padding: 'dense',
            }}
            columns={readableColumns(partitionColumns)}
            data={rows}
          />
        </Box>
      )}
    </>
  );
}
