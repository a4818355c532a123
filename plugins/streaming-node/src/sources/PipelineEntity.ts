import { Entity } from '@backstage/catalog-model';
import { PipelineSummary } from '@internal/plugin-streaming-common';

/**
 * A pipeline entity with what the streaming backend and its sources need
 * from it.
 *
 * @public
 */
export interface PipelineEntity {
  entity: Entity;
  entityRef: string;
  /** Changes whenever the entity does (its etag, else its annotations). */
  revision: string;
  summary: PipelineSummary;
  /** Kafka cluster of the source: summary, else annotation. */
  kafkaCluster?: string;
  /** Consumer groups of a non-Spark consumer (`kafka.apache.org/consumer-groups`). */
  consumerGroups: string[];
  /** `SparkApplication` coordinates, when the entity names them. */
  sparkApplication?: { cluster?: string; namespace?: string; name: string };
}
