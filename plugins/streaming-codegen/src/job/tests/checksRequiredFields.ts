import { PipelineSpec } from '@internal/plugin-streaming-common';

/**
 * Whether the job leaves out records missing a required (not nullable)
 * field: JSON records of a Kafka source with a dead-letter target (the
 * runtime's `json_bad`).
 */
export function checksRequiredFields(spec: PipelineSpec): boolean {
  const { source, dead_letter: deadLetter } = spec.pipeline;
  return (
    deadLetter !== undefined &&
    source.type === 'kafka' &&
    source.format !== 'avro'
  );
}
