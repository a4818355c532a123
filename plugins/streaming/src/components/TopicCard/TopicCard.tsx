import { Table, TableColumn } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  ANNOTATION_KAFKA_TOPIC,
  TopicDetailsResponse,
} from '@internal/plugin-streaming-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import { useEntityStreamingData } from '../../hooks/useEntityStreamingData';
import { formatValue } from '../../lib/formatValue';
import { readableColumns } from '../../lib/readableColumns';
import { relatedPipelines } from '../../lib/relatedPipelines';
import { DataCard } from '../DataCard';
import { Fact, PipelinesFact } from '../Fact';

type PartitionRow = TopicDetailsResponse['partitions'][number] & {
  id: string;
};

const columns: TableColumn<PartitionRow>[] = [
  { title: 'Partition', field: 'partition', type: 'numeric' },
  {
    title: 'Leader',
    field: 'leader',
    render: p => (p.leader === null ? 'none' : String(p.leader)),
  },
  { title: 'Replicas', render: p => p.replicas.join(', ') },
  { title: 'In sync', render: p => p.isr.join(', ') },
  { title: 'Earliest offset', field: 'earliestOffset', type: 'numeric' },
  { title: 'End offset', field: 'latestOffset', type: 'numeric' },
];

/**
 * A Kafka topic: its partitions and end offsets, its throughput, and the
 * pipelines that write and read it.
 */
export function TopicCard() {
  const { entity } = useEntity();
  const { missingAnnotation, state } = useEntityStreamingData(
    ANNOTATION_KAFKA_TOPIC,
    (api, ref) => api.getTopicDetails(ref),
  );
  const writers = relatedPipelines(entity, 'writers');
  const readers = relatedPipelines(entity, 'readers');
  return (
    <DataCard
      title="Kafka topic"
      subheader={entity.metadata.annotations?.[ANNOTATION_KAFKA_TOPIC]}
      missingAnnotation={missingAnnotation}
      state={state}
      isEmpty={t => t.partitions.length === 0}
      emptyTitle="No partitions found"
      emptyDescription="The topic does not exist on the cluster yet, or the broker could not be read."
      sourceErrors={t => t.errors}
    >
      {topic => (
        <>
          <Grid container spacing={2}>
            <Grid item xs={6} md={3}>
              <Fact label="Throughput">
                {formatValue(topic.messagesPerSecond, 'count', {
                  suffix: 'msg/s',
                })}
              </Fact>
            </Grid>
            <Grid item xs={6} md={3}>
              <Fact label="Messages retained">
                {formatValue(topic.totalMessages, 'count')}
              </Fact>
            </Grid>
            <Grid item xs={6} md={3}>
              <PipelinesFact label="Written by" entityRefs={writers} />
            </Grid>
            <Grid item xs={6} md={3}>
              <PipelinesFact label="Read by" entityRefs={readers} />
            </Grid>
          </Grid>
          <Box mt={2}>
            <Table
              title={`${topic.partitions.length} partitions on ${topic.cluster}`}
              options={{
                paging: topic.partitions.length > 12,
                pageSize: 12,
                search: false,
                padding: 'dense',
              }}
              columns={readableColumns(columns)}
              data={topic.partitions.map(p => ({
                ...p,
                id: String(p.partition),
              }))}
            />
          </Box>
        </>
      )}
    </DataCard>
  );
}
