import { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_PIPELINE_SUMMARY,
  PipelineSummary,
  pipelineSummarySchema,
} from '@internal/plugin-streaming-common';

/**
 * The pipeline summary the catalog module wrote into the entity, or
 * undefined when the entity has none or it does not parse.
 */
export function readPipelineSummary(
  entity: Entity,
): PipelineSummary | undefined {
  const text = entity.metadata.annotations?.[ANNOTATION_PIPELINE_SUMMARY];
  if (!text) {
    return undefined;
  }
  try {
    const parsed = pipelineSummarySchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * "Environment: dev" for a pipeline whose spec declares environments: the
 * cards that read the summary's own facts show its first environment's, and
 * say so with this. Undefined without environments.
 */
export function environmentLabel(entity: Entity): string | undefined {
  const environment = readPipelineSummary(entity)?.environment;
  return environment ? `Environment: ${environment}` : undefined;
}
