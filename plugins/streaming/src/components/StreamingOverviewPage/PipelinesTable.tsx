import { Table, TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  OverviewSortKey,
  PipelineHealth,
  PipelineOverviewRow,
  StreamingOverviewQuery,
  StreamingOverviewResponse,
} from '@internal/plugin-streaming-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import { formatValue } from '../../lib/formatValue';
import { localRuntimeLabel } from '../../lib/localRuntimeLabel';
import { readableColumns } from '../../lib/readableColumns';
import { HealthStatus, healthLabel } from '../HealthStatus';
import { Identifier } from '../Identifier';
import { OwnerLink } from '../OwnerLink';

const HEALTH_ORDER: PipelineHealth[] = [
  'critical',
  'warning',
  'stale',
  'unknown',
  'ok',
];

type Row = PipelineOverviewRow & { id: string; route: string };

/** Rows a page shows first. */
export const PAGE_SIZE = 20;

const columns: TableColumn<Row>[] = [
  {
    title: 'Pipeline',
    field: 'title',
    highlight: true,
    render: row => (
      <EntityRefLink entityRef={row.entityRef} title={row.title} />
    ),
  },
  {
    title: 'Status',
    field: 'health',
    render: row => <HealthStatus health={row.health} />,
    cellStyle: { whiteSpace: 'nowrap' },
  },
  {
    title: 'Source → sink',
    field: 'route',
    sorting: false,
    render: row => <Identifier text={row.route} />,
  },
  {
    title: 'Throughput',
    field: 'inputRowsPerSecond',
    type: 'numeric',
    render: row =>
      formatValue(row.inputRowsPerSecond, 'count', { suffix: 'msg/s' }),
  },
  {
    title: 'Latency',
    field: 'processingDelayMs',
    type: 'numeric',
    render: row => formatValue(row.processingDelayMs, 'ms'),
  },
  {
    title: 'Lag',
    field: 'lagMessages',
    type: 'numeric',
    render: row =>
      row.lagMessages === null ? (
        <span title={row.lagUnknownReason}>unknown</span>
      ) : (
        `${formatValue(row.lagMessages, 'count')} (${formatValue(
          row.lagSeconds,
          'seconds',
        )})`
      ),
  },
  {
    title: 'Executors',
    field: 'executors',
    type: 'numeric',
    render: row => {
      if (row.localThreads !== null) {
        return (
          <span title="Observed from the job: Spark's local mode, no executors">
            {localRuntimeLabel([row.localThreads])}
          </span>
        );
      }
      if (row.executors === null) {
        return (
          <span title="Not observed: neither Kubernetes nor a running job reported executors">
            {formatValue(null, 'count')}
          </span>
        );
      }
      return (
        <span
          title={`Observed from ${
            row.executorsObservedBy === 'kubernetes' ? 'Kubernetes' : 'the job'
          }`}
        >
          {formatValue(row.executors, 'count')}
        </span>
      );
    },
  },
  {
    title: 'Cost',
    field: 'monthlyCost',
    type: 'numeric',
    render: row =>
      row.running || row.monthlyCost === null ? (
        formatValue(row.monthlyCost, 'currency', { suffix: '/mo' })
      ) : (
        <span title="Not running: not counted in the monthly total">
          {`${formatValue(row.monthlyCost, 'currency', {
            suffix: '/mo',
          })} estimate`}
        </span>
      ),
  },
  {
    title: 'Owner',
    field: 'owner',
    render: row => (row.owner ? <OwnerLink entityRef={row.owner} /> : '—'),
  },
];

/**
 * Column widths: room for routes and names, little for the figures (the
 * table's default gives every column the same width, squeezing the routes).
 */
const WIDTHS: Partial<Record<keyof Row, string>> = {
  title: '13%',
  health: '9%',
  route: '25%',
  inputRowsPerSecond: '9%',
  processingDelayMs: '7%',
  lagMessages: '10%',
  executors: '9%',
  monthlyCost: '9%',
  owner: '9%',
};

/** The server's sort key of each sortable column. */
const SORT_KEYS: Partial<Record<keyof Row, OverviewSortKey>> = {
  title: 'title',
  health: 'health',
  inputRowsPerSecond: 'throughput',
  processingDelayMs: 'latency',
  lagMessages: 'lag',
  executors: 'executors',
  monthlyCost: 'cost',
  owner: 'owner',
};

/** What the table asks the server for. */
export type PipelinesQuery = StreamingOverviewQuery & {
  offset: number;
  limit: number;
};

/** Props of {@link PipelinesTable}. */
export interface PipelinesTableProps {
  /** One page of pipelines, with the totals of all. */
  overview: StreamingOverviewResponse;
  query: PipelinesQuery;
  onQueryChange: (query: PipelinesQuery) => void;
}

/**
 * The pipelines, a page at a time: sorting by a column, the health chips
 * and the search box ask the server (which sorts and filters all of them).
 */
export function PipelinesTable({
  overview,
  query,
  onQueryChange,
}: PipelinesTableProps) {
  const health = query.health?.[0];
  const rows: Row[] = overview.pipelines.map(p => ({
    ...p,
    id: p.entityRef,
    route: `${p.source} → ${p.sink}`,
  }));
  const change = (next: Partial<PipelinesQuery>) =>
    onQueryChange({ ...query, offset: 0, ...next });
  const sortedColumn = columns.findIndex(
    c => c.field && SORT_KEYS[c.field as keyof Row] === query.sort,
  );
  return (
    <>
      <Box display="flex" flexWrap="wrap" mb={2} style={{ gap: 8 }}>
        <Chip
          label={`All (${overview.totals.pipelines})`}
          color={health === undefined ? 'primary' : 'default'}
          onClick={() => change({ health: undefined })}
        />
        {HEALTH_ORDER.filter(h => (overview.byHealth[h] ?? 0) > 0).map(h => (
          <Chip
            key={h}
            label={`${healthLabel(h)} (${overview.byHealth[h]})`}
            color={health === h ? 'primary' : 'default'}
            onClick={() => change({ health: health === h ? undefined : [h] })}
          />
        ))}
      </Box>
      <Table
        title="Pipelines"
        options={{
          paging: overview.totals.pipelines > PAGE_SIZE,
          pageSize: query.limit,
          pageSizeOptions: [PAGE_SIZE, 50, 100],
          search: true,
          searchText: query.q,
          debounceInterval: 300,
          padding: 'dense',
        }}
        columns={readableColumns(columns).map((c, i) => ({
          ...c,
          width: c.field ? WIDTHS[c.field as keyof Row] : undefined,
          // The server has sorted and filtered the page: keep its order.
          customSort: () => 0,
          customFilterAndSearch: () => true,
          defaultSort: i === sortedColumn ? query.order ?? 'asc' : undefined,
        }))}
        data={rows}
        page={Math.floor(query.offset / query.limit)}
        totalCount={overview.page.total}
        onPageChange={(page, pageSize) =>
          onQueryChange({ ...query, offset: page * pageSize, limit: pageSize })
        }
        onRowsPerPageChange={pageSize => change({ limit: pageSize })}
        onOrderChange={(column, direction) => {
          const field = columns[column]?.field as keyof Row | undefined;
          const sort = field ? SORT_KEYS[field] : undefined;
          change({
            sort: direction ? sort : undefined,
            order: direction && sort ? direction : undefined,
          });
        }}
        onSearchChange={text => change({ q: text || undefined })}
      />
    </>
  );
}
