import { Table, TableColumn } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  ANNOTATION_DELTA_PATH,
  DeltaTableDetailsResponse,
} from '@internal/plugin-streaming-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { useEntityStreamingData } from '../../hooks/useEntityStreamingData';
import { formatValue } from '../../lib/formatValue';
import { relatedPipelines } from '../../lib/relatedPipelines';
import { DataCard } from '../DataCard';
import { Fact, PipelinesFact } from '../Fact';

type SchemaField = NonNullable<DeltaTableDetailsResponse['schema']>[number] & {
  id: string;
};

const schemaColumns: TableColumn<SchemaField>[] = [
  { title: 'Column', field: 'name' },
  { title: 'Type', field: 'type' },
  { title: 'Nullable', render: f => (f.nullable ? 'yes' : 'no') },
];

/**
 * A Delta table: the pipelines writing it, its schema, its last write and,
 * when the backend can read its location, the facts of its Delta log.
 */
export function DeltaTableCard() {
  const { entity } = useEntity();
  const { missingAnnotation, state } = useEntityStreamingData(
    ANNOTATION_DELTA_PATH,
    (api, ref) => api.getDeltaTableDetails(ref),
  );
  const writers = relatedPipelines(entity, 'writers');
  const readers = relatedPipelines(entity, 'readers');
  return (
    <DataCard
      title="Delta table"
      subheader={entity.metadata.annotations?.[ANNOTATION_DELTA_PATH]}
      missingAnnotation={missingAnnotation}
      state={state}
      emptyTitle="No table details"
      sourceErrors={t => t.errors}
    >
      {table => (
        <>
          <Grid container spacing={2}>
            <Grid item xs={6} md={4}>
              <PipelinesFact label="Written by" entityRefs={writers} />
            </Grid>
            <Grid item xs={6} md={4}>
              <PipelinesFact label="Read by" entityRefs={readers} />
            </Grid>
            <Grid item xs={12} md={4}>
              <Fact label="Last write">
                {table.lastOperation
                  ? `${table.lastOperation.operation}, ${new Date(
                      table.lastOperation.timestamp,
                    ).toLocaleString('en-GB')}`
                  : 'none yet'}
              </Fact>
            </Grid>
          </Grid>
          {table.readable ? (
            <Grid container spacing={2} style={{ marginTop: 8 }}>
              <Grid item xs={4}>
                <Fact label="Version">{table.version ?? '—'}</Fact>
              </Grid>
              <Grid item xs={4}>
                <Fact label="Files">
                  {formatValue(table.numFiles, 'count')}
                </Fact>
              </Grid>
              <Grid item xs={4}>
                <Fact label="Size">
                  {formatValue(table.sizeBytes, 'bytes')}
                </Fact>
              </Grid>
            </Grid>
          ) : (
            <Box mt={2}>
              <Typography variant="body2" color="textSecondary">
                The backend cannot read {table.location}, so the Delta log facts
                (version, files, size) are not shown.
              </Typography>
            </Box>
          )}
          {table.schema && table.schema.length > 0 && (
            <Box mt={2}>
              <Table
                title="Schema"
                options={{ paging: false, search: false, padding: 'dense' }}
                columns={schemaColumns}
                data={table.schema.map(f => ({ ...f, id: f.name }))}
              />
            </Box>
          )}
        </>
      )}
    </DataCard>
  );
}
