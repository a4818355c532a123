import {
  ANNOTATION_PIPELINE_SUMMARY,
  PipelineCostResponse,
} from '@internal/plugin-streaming-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import {
  Area,
  AreaChart,
  CartesianGrid,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { useEntityStreamingData } from '../../hooks/useEntityStreamingData';
import { useEnvironmentLabel } from '../../hooks/useEnvironmentLabel';
import { formatValue } from '../../lib/formatValue';
import { DataCard } from '../DataCard';
import { Fact } from '../Fact';

/**
 * What a pipeline costs: per hour, day and month, per million input records,
 * driver against executors, and the daily trend.
 */
export function CostCard() {
  const { missingAnnotation, state } = useEntityStreamingData(
    ANNOTATION_PIPELINE_SUMMARY,
    (api, ref) => api.getPipelineCost(ref),
  );
  return (
    <DataCard
      title="Cost"
      subheader={useEnvironmentLabel()}
      missingAnnotation={missingAnnotation}
      state={state}
      isEmpty={cost => cost.perHour === 0 && cost.history.length === 0}
      emptyTitle="No cost yet"
      emptyDescription="Cost is computed from the pipeline's resources and the rates in app-config."
      sourceErrors={cost => cost.errors}
    >
      {cost => <CostBody cost={cost} />}
    </DataCard>
  );
}

/**
 * A cost axis label with enough precision to tell ticks apart: three
 * significant digits under 10 ($0.0025, $0.005), whole units above.
 */
export function formatAxisMoney(value: number, currency: string): string {
  return new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency,
    ...(Math.abs(value) < 10
      ? { maximumSignificantDigits: 3 }
      : { maximumFractionDigits: 0 }),
  }).format(value);
}

function cores(n: number) {
  return `${n} ${n === 1 ? 'core' : 'cores'}`;
}

function CostBody({ cost }: { cost: PipelineCostResponse }) {
  const theme = useTheme();
  const money = (value: number | null, suffix?: string) =>
    formatValue(value, 'currency', { currency: cost.currency, suffix });
  const total = cost.breakdown.driverPerHour + cost.breakdown.executorsPerHour;
  const driverShare =
    total > 0 ? (cost.breakdown.driverPerHour / total) * 100 : 0;
  const { driver, executor } = cost.resources;
  return (
    <>
      {!cost.running && (
        <Typography variant="body2" color="textSecondary" paragraph>
          Not running: an estimate of what it costs while running, not counted
          in the monthly total.
        </Typography>
      )}
      <Grid container spacing={2}>
        <Grid item xs={6} md={3}>
          <Fact label="Per hour">{money(cost.perHour, '/h')}</Fact>
        </Grid>
        <Grid item xs={6} md={3}>
          <Fact label="Per day">{money(cost.perDay, '/day')}</Fact>
        </Grid>
        <Grid item xs={6} md={3}>
          <Fact label="Per month">{money(cost.perMonth, '/mo')}</Fact>
        </Grid>
        <Grid item xs={6} md={3}>
          <Fact label="Per 1M records">{money(cost.perMillionRecords)}</Fact>
        </Grid>
      </Grid>
      <Box mt={2}>
        <Typography variant="body2">
          {`Driver ${money(cost.breakdown.driverPerHour, '/h')} (${cores(
            driver.cores,
          )}, ${driver.memoryGb} GB) · Executors ${money(
            cost.breakdown.executorsPerHour,
            '/h',
          )} (${executor.instances} × ${cores(executor.cores)}, ${
            executor.memoryGb
          } GB)`}
        </Typography>
        <LinearProgress
          variant="determinate"
          value={driverShare}
          aria-label="driver share of cost"
          style={{ height: 8, marginTop: 4 }}
        />
        <Typography variant="caption" color="textSecondary">
          {cost.source === 'opencost'
            ? 'From OpenCost'
            : 'From configured rates'}
          {cost.costSinceStart !== null &&
            ` · ${money(cost.costSinceStart)} since start`}
          {cost.uptimeHours !== null &&
            ` (${formatValue(cost.uptimeHours * 3600, 'seconds')} up)`}
        </Typography>
      </Box>
      {cost.history.length > 1 && (
        <Box height={160} mt={2} data-testid="cost-chart">
          <ResponsiveContainer width="100%" height="100%">
            <AreaChart
              data={cost.history.map(h => ({ date: h.date, cost: h.cost }))}
            >
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="date" />
              <YAxis
                tickFormatter={v => formatAxisMoney(v, cost.currency)}
                width={70}
              />
              <Tooltip formatter={(v: number) => money(v, '/day')} />
              <Area
                type="monotone"
                dataKey="cost"
                name="Cost per day"
                stroke={theme.palette.primary.main}
                fill={theme.palette.primary.light}
                fillOpacity={0.4}
                isAnimationActive={false}
              />
            </AreaChart>
          </ResponsiveContainer>
        </Box>
      )}
    </>
  );
}
