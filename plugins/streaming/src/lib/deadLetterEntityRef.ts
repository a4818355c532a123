import { CompoundEntityRef, Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_PIPELINE_SUMMARY,
  deltaTableEntityName,
  kafkaTopicEntityName,
  pipelineSummarySchema,
} from '@internal/plugin-streaming-common';

/**
 * The Resource the catalog module emits for a pipeline's dead-letter target
 * (a topic on the source's cluster, or a Delta table), from the pipeline's
 * summary annotation; undefined without a dead-letter target or summary.
 */
export function deadLetterEntityRef(
  entity: Entity,
): CompoundEntityRef | undefined {
  const text = entity.metadata.annotations?.[ANNOTATION_PIPELINE_SUMMARY];
  if (!text) {
    return undefined;
  }
  let parsed;
  try {
    parsed = pipelineSummarySchema.safeParse(JSON.parse(text));
  } catch {
    return undefined;
  }
  const deadLetter = parsed.success ? parsed.data.deadLetter : undefined;
  const cluster = parsed.success ? parsed.data.source.cluster : undefined;
  let name: string | undefined;
  if (deadLetter?.type === 'kafka' && deadLetter.topic && cluster) {
    name = kafkaTopicEntityName(cluster, deadLetter.topic);
  } else if (deadLetter?.type === 'delta' && deadLetter.path) {
    name = deltaTableEntityName(deadLetter.path);
  }
  return name ? { kind: 'Resource', namespace: 'default', name } : undefined;
}
