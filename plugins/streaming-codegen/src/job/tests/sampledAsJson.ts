import { PipelineSpec } from '@internal/plugin-streaming-common';

/**
 * Whether the pipeline's tests can feed its job sample records as JSON text:
 * a Debezium source, or a Kafka source of JSON without a registry subject.
 * Avro records need Spark's Avro reader, whose jar the test session does not
 * carry, and a subject's records are checked against the registry, which it
 * does not have; for those the transformations are tested from rows.
 */
export function sampledAsJson(spec: PipelineSpec): boolean {
  const { source } = spec.pipeline;
  return (
    source.type === 'debezium' ||
    (source.type === 'kafka' &&
      source.format === 'json' &&
      typeof source.schema !== 'object')
  );
}
