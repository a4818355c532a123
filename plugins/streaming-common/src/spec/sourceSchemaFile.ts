import { PipelineSource } from './pipelineSpecSchema';

const REGISTRY_SCHEMA_EXTENSIONS = {
  avro: '.avsc',
  json: '.schema.json',
  protobuf: '.proto',
} as const;

/**
 * Where a pipeline repository keeps the reader schema of a registry subject
 * (the version the spec pins), relative to the repository root: an Avro
 * schema (`schemas/<subject>.avsc`) for Avro payloads, a JSON Schema
 * (`schemas/<subject>.schema.json`) for JSON ones, a `.proto`
 * (`schemas/<subject>.proto`) for Protobuf ones.
 *
 * @public
 */
export function registrySchemaFile(
  subject: string,
  format: 'avro' | 'json' | 'protobuf',
): string {
  return `schemas/${subject}${REGISTRY_SCHEMA_EXTENSIONS[format]}`;
}

/**
 * The schema file the job of a Kafka or Debezium source reads, relative to
 * the repository root: the spec's schema file, or the reader schema of its
 * registry subject (`registrySchemaFile`); undefined for inline fields and
 * Delta sources.
 *
 * @public
 */
export function sourceSchemaFile(source: PipelineSource): string | undefined {
  if (source.type === 'delta' || !source.schema) {
    return undefined;
  }
  return typeof source.schema === 'string'
    ? source.schema.replace(/^\.\//, '')
    : registrySchemaFile(source.schema.subject, source.format);
}
