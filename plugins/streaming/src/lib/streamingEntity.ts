import { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_PIPELINE_SUMMARY,
  ENTITY_TYPE_DELTA_TABLE,
  ENTITY_TYPE_KAFKA_TOPIC,
  ENTITY_TYPE_PIPELINE,
  PipelineSummary,
  pipelineSummarySchema,
} from '@internal/plugin-streaming-common';

/** Where the platform's own documentation (annotations, runbooks) is served. */
export const STREAMING_DOCS_URL = '/docs/default/component/streaming-platform/';

function hasType(entity: Entity, kind: string, type: string) {
  return (
    entity.kind.toLocaleLowerCase('en-US') === kind &&
    entity.spec?.type === type
  );
}

/** A `Component` of type `streaming-pipeline`. */
export function isStreamingPipeline(entity: Entity): boolean {
  return hasType(entity, 'component', ENTITY_TYPE_PIPELINE);
}

/** A `Resource` of type `kafka-topic`. */
export function isKafkaTopic(entity: Entity): boolean {
  return hasType(entity, 'resource', ENTITY_TYPE_KAFKA_TOPIC);
}

/** A `Resource` of type `delta-table`. */
export function isDeltaTable(entity: Entity): boolean {
  return hasType(entity, 'resource', ENTITY_TYPE_DELTA_TABLE);
}

/**
 * The pipeline summary the catalog processor wrote into the entity, or
 * undefined when the annotation is missing or not a summary.
 */
export function readPipelineSummary(
  entity: Entity,
): PipelineSummary | undefined {
  const raw = entity.metadata.annotations?.[ANNOTATION_PIPELINE_SUMMARY];
  if (!raw) {
    return undefined;
  }
  try {
    const parsed = pipelineSummarySchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    // not JSON: treated like a missing summary
    return undefined;
  }
}

/**
 * The section of a pipeline's TechDocs runbook for an alert (`lag`, `failed`,
 * `stale`), or the runbook itself.
 */
export function runbookUrl(entity: Entity, section?: string): string {
  const namespace = encodeURIComponent(entity.metadata.namespace ?? 'default');
  const name = encodeURIComponent(entity.metadata.name);
  const anchor = section ? `#${encodeURIComponent(section)}` : '';
  return `/docs/${namespace}/component/${name}/runbook/${anchor}`;
}
