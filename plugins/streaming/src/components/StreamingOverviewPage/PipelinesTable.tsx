import { useState } from 'react';
import { Table, TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  PipelineHealth,
  PipelineOverviewRow,
  StreamingOverviewResponse,
} from '@internal/plugin-streaming-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import { formatValue } from '../../lib/formatValue';
import { HealthStatus, healthLabel } from '../HealthStatus';

const HEALTH_ORDER: PipelineHealth[] = [
  'critical',
  'warning',
  'stale',
  'unknown',
  'ok',
];

type Row = PipelineOverviewRow & { id: string; route: string };

function byNullable<K extends keyof Row>(key: K) {
  return (a: Row, b: Row) =>
    Number(a[key] ?? -Infinity) - Number(b[key] ?? -Infinity);
}

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
    customSort: (a, b) =>
      HEALTH_ORDER.indexOf(a.health) - HEALTH_ORDER.indexOf(b.health),
    customFilterAndSearch: (term: string, row) =>
      healthLabel(row.health)
        .toLocaleLowerCase('en-US')
        .includes(term.toLocaleLowerCase('en-US')),
  },
  { title: 'Source → sink', field: 'route' },
  {
    title: 'Throughput',
    field: 'inputRowsPerSecond',
    type: 'numeric',
    render: row =>
      formatValue(row.inputRowsPerSecond, 'count', { suffix: 'msg/s' }),
    customSort: byNullable('inputRowsPerSecond'),
  },
  {
    title: 'Latency',
    field: 'processingDelayMs',
    type: 'numeric',
    render: row => formatValue(row.processingDelayMs, 'ms'),
    customSort: byNullable('processingDelayMs'),
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
    customSort: byNullable('lagMessages'),
  },
  {
    title: 'Executors',
    field: 'executors',
    type: 'numeric',
    render: row =>
      row.executors === null ? (
        <span title="Not observed: executors are read from Kubernetes; a local job runs in Spark's local mode">
          {formatValue(null, 'count')}
        </span>
      ) : (
        formatValue(row.executors, 'count')
      ),
    customSort: byNullable('executors'),
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
    customSort: byNullable('monthlyCost'),
  },
  {
    title: 'Owner',
    field: 'owner',
    render: row =>
      row.owner ? (
        <EntityRefLink entityRef={row.owner} defaultKind="group" />
      ) : (
        '—'
      ),
  },
];

/** Props of {@link PipelinesTable}. */
export interface PipelinesTableProps {
  overview: StreamingOverviewResponse;
}

/** Every pipeline, sortable by each column and filterable by health and text. */
export function PipelinesTable({ overview }: PipelinesTableProps) {
  const [health, setHealth] = useState<PipelineHealth | undefined>();
  const rows: Row[] = overview.pipelines
    .filter(p => health === undefined || p.health === health)
    .map(p => ({ ...p, id: p.entityRef, route: `${p.source} → ${p.sink}` }));
  return (
    <>
      <Box display="flex" flexWrap="wrap" mb={2} style={{ gap: 8 }}>
        <Chip
          label={`All (${overview.pipelines.length})`}
          color={health === undefined ? 'primary' : 'default'}
          onClick={() => setHealth(undefined)}
        />
        {HEALTH_ORDER.filter(h => (overview.byHealth[h] ?? 0) > 0).map(h => (
          <Chip
            key={h}
            label={`${healthLabel(h)} (${overview.byHealth[h]})`}
            color={health === h ? 'primary' : 'default'}
            onClick={() => setHealth(health === h ? undefined : h)}
          />
        ))}
      </Box>
      <Table
        title="Pipelines"
        options={{
          paging: rows.length > 20,
          pageSize: 20,
          search: true,
          padding: 'dense',
        }}
        columns={columns}
        data={rows}
      />
    </>
  );
}
