import {
  StatusError,
  StatusOK,
  StatusWarning,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  ANNOTATION_ELASTICSEARCH_CLUSTER,
  ANNOTATION_ELASTICSEARCH_INDEX,
  ANNOTATION_ELASTICSEARCH_NODES,
  SearchIndexDetailsResponse,
} from '@internal/plugin-streaming-common';
import Grid from '@material-ui/core/Grid';
import { useEntityStreamingData } from '../../hooks/useEntityStreamingData';
import { formatValue } from '../../lib/formatValue';
import { relatedPipelines } from '../../lib/relatedPipelines';
import { DataCard } from '../DataCard';
import { Fact, PipelinesFact } from '../Fact';

const healthStatus: Record<SearchIndexDetailsResponse['health'], JSX.Element> =
  {
    green: <StatusOK>green</StatusOK>,
    yellow: <StatusWarning>yellow (replicas unassigned)</StatusWarning>,
    red: <StatusError>red (primaries unassigned)</StatusError>,
  };

/**
 * An Elasticsearch / OpenSearch index: the pipelines writing it, its
 * document count and size, shards and health, read by the backend from the
 * search cluster of app-config that the pipeline names or that its nodes
 * belong to.
 */
export function SearchIndexCard() {
  const { entity } = useEntity();
  const { missingAnnotation, state } = useEntityStreamingData(
    entity.metadata.annotations?.[ANNOTATION_ELASTICSEARCH_CLUSTER]
      ? ANNOTATION_ELASTICSEARCH_CLUSTER
      : ANNOTATION_ELASTICSEARCH_NODES,
    (api, ref) => api.getSearchIndexDetails(ref),
  );
  return (
    <DataCard
      title="Search index"
      subheader={entity.metadata.annotations?.[ANNOTATION_ELASTICSEARCH_INDEX]}
      missingAnnotation={missingAnnotation}
      state={state}
      emptyTitle="No index statistics"
    >
      {index => (
        <Grid container spacing={2}>
          <Grid item xs={6} md={3}>
            <Fact label="Documents">
              {formatValue(index.documents, 'count')}
            </Fact>
          </Grid>
          <Grid item xs={6} md={3}>
            <Fact label="Size">{formatValue(index.sizeBytes, 'bytes')}</Fact>
          </Grid>
          <Grid item xs={6} md={3}>
            <Fact label="Shards">
              {`${index.primaryShards} primary, ${index.replicaShards} replica`}
            </Fact>
          </Grid>
          <Grid item xs={6} md={3}>
            <Fact label="Health">{healthStatus[index.health]}</Fact>
          </Grid>
          <Grid item xs={6} md={3}>
            <Fact label="Cluster">{index.cluster}</Fact>
          </Grid>
          <Grid item xs={6} md={3}>
            <PipelinesFact
              label="Written by"
              entityRefs={relatedPipelines(entity, 'writers')}
            />
          </Grid>
          <Grid item xs={12} md={6}>
            <Fact label="Observed">
              {new Date(index.observedAt).toLocaleString('en-GB')}
            </Fact>
          </Grid>
        </Grid>
      )}
    </DataCard>
  );
}
