import { PipelineSpec } from '@internal/plugin-streaming-common';

/**
 * Whether the job leaves out records missing a required (not nullable)
 * field: JSON records of a Kafka source and change events of a Debezium
 * source (in their after image) with a dead-letter target (the runtime's
 * `json_bad` and `debezium_bad`).
 */
export function checksRequiredFields(spec: PipelineSpec): boolean {
  const { source, dead_letter: deadLetter } = spec.pipeline;
  return (
    deadLetter !== undefined &&
    (source.type === 'debezium' ||
      (source.type === 'kafka' && source.format === 'json'))
  );
}
