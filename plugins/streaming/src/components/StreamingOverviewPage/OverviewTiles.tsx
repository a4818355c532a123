import { InfoCard } from '@backstage/core-components';
import { StreamingOverviewResponse } from '@internal/plugin-streaming-common';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { formatValue } from '../../lib/formatValue';
import { localRuntimeLabel } from '../../lib/localRuntimeLabel';

/** Props of {@link OverviewTiles}. */
export interface OverviewTilesProps {
  totals: StreamingOverviewResponse['totals'];
}

/** The operations dashboard's eight figures. */
export function OverviewTiles({ totals }: OverviewTilesProps) {
  const tiles = [
    {
      label: 'Active pipelines',
      value: formatValue(totals.activePipelines, 'count'),
      caption: `of ${formatValue(totals.pipelines, 'count')}`,
    },
    {
      label: 'Total throughput',
      value: formatValue(totals.throughput, 'count', { suffix: 'events/s' }),
    },
    {
      label: 'Avg processing delay',
      value: formatValue(totals.avgProcessingDelayMs, 'ms'),
    },
    {
      label: 'Consumer lag',
      value:
        totals.totalLagMessages === null
          ? 'unknown'
          : formatValue(totals.totalLagMessages, 'count', {
              suffix: 'messages',
            }),
      caption: totals.unknownLagPipelines
        ? `${totals.unknownLagPipelines} ${
            totals.unknownLagPipelines === 1 ? 'pipeline' : 'pipelines'
          } unknown, not counted`
        : undefined,
    },
    executorsTile(totals),
    {
      label: 'Delta tables',
      value: formatValue(totals.deltaTables, 'count'),
    },
    {
      // What the micro-batches read in the last 24 hours: not a daily rate,
      // a pipeline that ran for part of the day counts that part.
      label: 'Data in the last 24 h',
      value:
        totals.bytesPerDay !== null
          ? formatValue(totals.bytesPerDay, 'bytes')
          : formatValue(totals.recordsPerDay, 'count', { suffix: 'records' }),
      caption:
        totals.bytesPerDay !== null
          ? `${formatValue(totals.recordsPerDay, 'count')} records`
          : undefined,
    },
    {
      label: 'Monthly cost',
      value:
        totals.monthlyCost === null
          ? 'not permitted'
          : formatValue(totals.monthlyCost, 'currency', {
              currency: totals.currency,
              suffix: '/mo',
            }),
      caption:
        totals.monthlyCost === null ? undefined : 'running pipelines only',
    },
  ];
  return (
    <Grid container spacing={3}>
      {tiles.map(tile => (
        <Grid item xs={6} md={3} key={tile.label}>
          <InfoCard>
            <section aria-label={tile.label}>
              <Typography variant="overline" color="textSecondary">
                {tile.label}
              </Typography>
              <Typography variant="h4" component="p">
                {tile.value}
              </Typography>
              <Typography variant="caption" color="textSecondary">
                {tile.caption ?? '\u00a0'}
              </Typography>
            </section>
          </InfoCard>
        </Grid>
      ))}
    </Grid>
  );
}

/**
 * Executors as observed: Kubernetes' count over the clusters where the
 * applications were found, and the jobs running in Spark's local mode with
 * their threads (as the jobs report them).
 */
function executorsTile(totals: StreamingOverviewResponse['totals']) {
  const local = totals.localPipelines
    ? `${totals.localPipelines} ${
        totals.localPipelines === 1 ? 'pipeline' : 'pipelines'
      } in local mode, observed from the job`
    : undefined;
  if (totals.executors === 0 && totals.localPipelines > 0) {
    return {
      label: 'Executors',
      value: localRuntimeLabel(totals.localThreads),
      caption: local,
    };
  }
  const kubernetes = totals.clusters
    ? `observed on Kubernetes · ${totals.clusters} ${
        totals.clusters === 1 ? 'cluster' : 'clusters'
      }`
    : undefined;
  return {
    label: 'Executors',
    value: formatValue(totals.executors, 'count'),
    caption:
      [kubernetes, local].filter(Boolean).join(' · ') ||
      'no running job observed',
  };
}
