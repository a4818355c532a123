import { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_PIPELINE_SUMMARY,
  PipelineSummary,
  pipelineSummarySchema,
} from '@internal/plugin-streaming-common';

/** The pipeline summary annotation of an entity; undefined when missing or unreadable. */
export function readPipelineSummary(
  entity: Entity,
): PipelineSummary | undefined {
  const text = entity.metadata.annotations?.[ANNOTATION_PIPELINE_SUMMARY];
  if (!text) return undefined;
  try {
    return pipelineSummarySchema.parse(JSON.parse(text));
  } catch {
    return undefined;
  }
}
